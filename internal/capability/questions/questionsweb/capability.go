package questionsweb

import (
	"guichet/internal/capability/questions"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Capability is the questions residents ask and the answers published,
// installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *questions.Store
	Module *Module
}

// NewCapability returns questions, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns questions as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "questions" }

// Migrations implements kernel.Capability: its own set, after the shared
// "content" set that created its table.
func (c *Capability) Migrations() db.Migrations { return questions.Migrations }

// Install builds the store and registers its mails, export ("questions",
// as in every export so far), erasure, retention, register line and
// back-office section. Moderators answer.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := questions.NewStore(k.DB, k.Mail)
	s.Join(k.Changes)
	s.Now = k.Now
	k.Accounts.RegisterExporter("questions", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	if err := k.AddMails("questions", questions.MailFiles()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "questions.section", DescKey: "questions.section_desc", Path: "/gestion/questions",
		Roles: []account.Role{account.RoleModerator}, Order: 140})
	m := New(s)
	c.Store, c.Module = s, m
	return m, nil
}
