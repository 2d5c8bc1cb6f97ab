package sharingweb

import (
	"net/http"
	"strings"

	"guichet"
	"guichet/internal/capability/sharing"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// postView is a post as the queue page shows it.
type postView struct {
	*sharing.Post
	Limit   int
	Length  int
	Account string
	When    string
}

// queue lists the posts waiting for approval, queued, failed and sent.
func (m *Module) queue(w http.ResponseWriter, r *http.Request) error {
	return m.renderQueue(w, r, http.StatusOK, nil)
}

func (m *Module) renderQueue(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	ctx := r.Context()
	accounts, err := m.store.Accounts(ctx, t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	lists := map[string][]postView{}
	for key, states := range map[string][]string{"Pending": {sharing.Pending}, "Queued": {sharing.Queued},
		"Failed": {sharing.Failed}, "Sent": {sharing.Sent}} {
		posts, err := m.store.Posts(ctx, t.ID, 50, states...)
		if err != nil {
			return err
		}
		for _, post := range posts {
			lists[key] = append(lists[key], m.postView(r, p, post))
		}
	}
	var held []*sharing.Account
	for _, a := range accounts {
		if a.Status == sharing.NeedsToken {
			held = append(held, a)
		}
	}
	p.Data = map[string]any{"Accounts": accounts, "Held": held, "Pending": lists["Pending"], "Queued": lists["Queued"],
		"Failed": lists["Failed"], "Sent": lists["Sent"]}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("sharing.queue.title")
	if r.URL.Query().Get("fait") != "" && len(errs) == 0 {
		p.Notice = p.T("sharing.queue.done")
	}
	m.s.Render.Page(w, r, status, "sharing/queue", p)
	return nil
}

func (m *Module) postView(r *http.Request, p *web.Page, post *sharing.Post) postView {
	limit := (&sharing.Account{Network: post.Network}).Limit()
	return postView{Post: post, Limit: limit, Length: sharing.Length(post.Network, post.Text),
		Account: p.T("sharing.network."+post.Network) + " · " + post.Host,
		When:    guichet.Date(post.Updated.In(tenant.FromContext(r.Context()).Location()), p.Lang)}
}

// approve sends a waiting post with its text as edited.
func (m *Module) approve(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	err := m.store.Approve(r.Context(), t.ID, id, r.PostForm.Get("text-"+id))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderQueue(w, r, http.StatusUnprocessableEntity, map[string]string{"text-" + id: fields["text"]})
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "sharing.post_approved", id)
	return publishingweb.SeeOther(w, r, QueuePath+"?fait=1")
}

func (m *Module) cancel(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.Cancel(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "sharing.post_cancelled", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, QueuePath+"?fait=1")
}

func (m *Module) retry(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.Retry(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "sharing.post_retried", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, QueuePath+"?fait=1")
}

// options returns the networks and the kinds as a form offers them.
func options(p *web.Page) (networks, kinds []publishingweb.Option) {
	for _, n := range sharing.Networks {
		networks = append(networks, publishingweb.Option{Value: n, Label: p.T("sharing.network." + n)})
	}
	for _, k := range sharing.Kinds {
		kinds = append(kinds, publishingweb.Option{Value: k, Label: p.T("sharing.kind." + k)})
	}
	return networks, kinds
}

// accountView is an account as the settings show it: never its secret,
// only when it was saved.
type accountView struct {
	*sharing.Account
	Saved string
	Kinds string
}

func (m *Module) accountView(r *http.Request, p *web.Page, a *sharing.Account) accountView {
	var kinds []string
	for _, k := range a.Kinds {
		kinds = append(kinds, p.T("sharing.kind."+k))
	}
	return accountView{Account: a, Kinds: strings.Join(kinds, ", "),
		Saved: guichet.Date(a.SecretSavedAt.In(tenant.FromContext(r.Context()).Location()), p.Lang)}
}

// accounts lists the accounts with the form to add one.
func (m *Module) accounts(w http.ResponseWriter, r *http.Request) error {
	return m.renderAccounts(w, r, http.StatusOK, nil, "")
}

func (m *Module) renderAccounts(w http.ResponseWriter, r *http.Request, status int, errs map[string]string, notice string) error {
	t := tenant.FromContext(r.Context())
	list, err := m.store.Accounts(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	views := make([]accountView, len(list))
	for i, a := range list {
		views[i] = m.accountView(r, p, a)
	}
	networks, kinds := options(p)
	values := r.PostForm["kinds"]
	if r.Method == http.MethodGet {
		values = sharing.Kinds
	}
	p.Data = map[string]any{"Accounts": views, "Networks": networks, "Kinds": kinds, "KindValues": values,
		"Approval": r.Method == http.MethodGet || r.PostForm.Get("approval") != ""}
	p.Errors, p.Form, p.Notice = errs, r.PostForm, notice
	if notice == "" && r.URL.Query().Get("enregistre") != "" {
		p.Notice = p.T("sharing.accounts.saved")
	}
	p.Title = p.T("sharing.accounts.title")
	m.s.Render.Page(w, r, status, "sharing/accounts", p)
	return nil
}

// accountForm reads an account's settings from the form.
// An account's own form names its fields after it (suffix "-<id>"), so
// that the page's forms have distinct fields.
func accountForm(r *http.Request, t *tenant.Tenant, suffix string) *sharing.Account {
	f := r.PostForm
	return &sharing.Account{TenantID: t.ID, Network: f.Get("network"), Host: f.Get("host" + suffix), Handle: f.Get("handle" + suffix),
		Secret: f.Get("secret" + suffix), Kinds: f["kinds"+suffix], Approval: f.Get("approval"+suffix) != ""}
}

func (m *Module) addAccount(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	a := accountForm(r, t, "")
	err := m.store.AddAccount(r.Context(), a)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAccounts(w, r, http.StatusUnprocessableEntity, fields, "")
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "sharing.account_added", a.ID)
	return publishingweb.SeeOther(w, r, AccountsPath+"?enregistre=1")
}

func (m *Module) updateAccount(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	old, err := m.store.Account(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	a := accountForm(r, t, "-"+old.ID)
	a.ID, a.Network = old.ID, old.Network
	err = m.store.UpdateAccount(r.Context(), a)
	if fields := guichet.FieldErrors(err); fields != nil {
		prefixed := map[string]string{}
		for k, v := range fields {
			prefixed[k+"-"+a.ID] = v
		}
		return m.renderAccounts(w, r, http.StatusUnprocessableEntity, prefixed, "")
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "sharing.account_saved", a.ID)
	return publishingweb.SeeOther(w, r, AccountsPath+"?enregistre=1")
}

// check tests an account's connection and shows what it found.
func (m *Module) check(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	msg, err := m.store.Check(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderAccounts(w, r, http.StatusOK, nil, msg)
}

func (m *Module) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := m.store.DeleteAccount(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "sharing.account_deleted", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, AccountsPath+"?enregistre=1")
}
