package app

import (
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
)

// buildAppointments wires the appointments domain: its store on the job
// queue and the outbox, its emails, its back-office section and its pages.
func (a *App) buildAppointments() (*appointmentweb.Module, error) {
	a.Appointments = appointment.NewStore(a.DB, a.Config.SecretKey)
	a.Appointments.Now = a.Now
	a.Appointments.Join(a.Changes)
	a.closers = append(a.closers, a.Appointments.Close) // before the database's
	if err := a.Appointments.Wire(a.Jobs, a.Mail, a.Tenants); err != nil {
		return nil, err
	}
	a.Accounts.RegisterExporter("appointments", a.Appointments.Export)
	a.Accounts.RegisterExporter("appointment_waitlist", a.Appointments.ExportWaitlist)
	a.Accounts.RegisterEraser(a.Appointments.Eraser())
	if err := a.addPrivacy(a.Appointments.Processing(), a.Appointments.RetentionRules()); err != nil {
		return nil, err
	}
	if err := a.Mail.Templates().Add("appointment", appointment.MailFiles()); err != nil {
		return nil, err
	}
	m := appointmentweb.New(a.Appointments)
	a.Backoffice.AddSection(staffweb.Section{Key: "appointment.section", DescKey: "appointment.section_desc",
		Path: "/gestion/rendez-vous", Roles: []account.Role{account.RoleAgent}, Order: 200})
	return m, nil
}
