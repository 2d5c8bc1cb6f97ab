package abuse

import "time"

// The limited actions and their default limits. Address limits are
// generous because a town hall's public computers or a mobile carrier put
// many residents behind one address; email limits are what stops the site
// from relaying mail to someone who did not ask for it; collectivité
// limits cap what a botnet of many addresses can make one site send.
var (
	// SignIn counts failed passwords only (Check, then Count on failure).
	// Guessing one account is held tightly per client address, and from
	// everywhere together more loosely; that looser limit does not hold
	// against the account's own browsers, so that a stranger who knows an
	// address cannot keep its owner out (ASVS 6.1.1).
	SignIn = Action{Name: "signin", Rules: []Rule{
		{Kind: ByAddress, Max: 20, Window: 15 * time.Minute},
		{Kind: ByEmailFromAddress, Max: 5, Window: 15 * time.Minute, PerTenant: true},
		{Kind: ByEmail, Max: 10, Window: 15 * time.Minute, PerTenant: true, UnlessKnown: true},
	}}
	// SignUp mails a verification link to the address typed.
	SignUp = mailing("signup", 20, 3, 300)
	// PasswordReset mails a reset link to the address typed.
	PasswordReset = mailing("password_reset", 20, 3, 300)
	// VerificationResend mails a new verification link to the account.
	VerificationResend = Action{Name: "verification_resend", Rules: []Rule{
		{Kind: ByAddress, Max: 20, Window: time.Hour},
		{Kind: ByAccount, Max: 3, Window: time.Hour},
	}}
	// Question mails a check link to a visitor's address.
	Question = mailing("question", 10, 5, 300)
	// AlertSubscription mails a confirmation link to the address typed.
	AlertSubscription = mailing("alert_subscription", 10, 3, 300)
	// ActsSubscription mails a confirmation link to follow new acts.
	ActsSubscription = mailing("acts_subscription", 10, 3, 300)
	// NewsletterSubscription mails a confirmation link to the address
	// typed on the newsletter's form.
	NewsletterSubscription = mailing("newsletter_subscription", 10, 3, 300)
	// CampaignTest mails a campaign to the staff's addresses: a staff
	// member's slip of the finger must not mail a thousand tests.
	CampaignTest = Action{Name: "campaign_test", Rules: []Rule{
		{Kind: ByAccount, Max: 30, Window: time.Hour},
		{Kind: ByTenant, Max: 200, Window: time.Hour},
	}}
	// EventRegistration holds a seat (or a waiting-list place) and mails
	// its cancellation link.
	EventRegistration = mailing("event_registration", 30, 10, 2000)
	// CaseStart opens a case draft; without an account it mails the
	// case's access link to the address typed.
	CaseStart = Action{Name: "case_start", Rules: []Rule{
		{Kind: ByAddress, Max: 20, Window: time.Hour},
		{Kind: ByEmail, Max: 5, Window: time.Hour},
		{Kind: ByAccount, Max: 20, Window: time.Hour},
		{Kind: ByTenant, Max: 1000, Window: time.Hour},
	}}
	// Upload stores files on a case (a step's answers, a message's
	// attachments) and tells its agents.
	Upload = Action{Name: "upload", Rules: []Rule{
		{Kind: ByAddress, Max: 200, Window: time.Hour},
		{Kind: ByAccount, Max: 100, Window: time.Hour},
		{Kind: ByTenant, Max: 10000, Window: time.Hour},
	}}
	// Booking holds a slot and mails its confirmation (attempts count, so
	// that a script cannot try every time); a rush of residents for
	// passport slots stays far under the collectivité's limit.
	Booking = Action{Name: "booking", Rules: []Rule{
		{Kind: ByAddress, Max: 120, Window: 10 * time.Minute},
		{Kind: ByEmail, Max: 20, Window: 10 * time.Minute},
		{Kind: ByAccount, Max: 20, Window: 10 * time.Minute},
		{Kind: ByTenant, Max: 20000, Window: 10 * time.Minute},
	}}
	// PrivacyRequest files a request about one's personal data; without an
	// account it mails a confirmation link to the address typed.
	PrivacyRequest = mailing("privacy_request", 5, 3, 200)
	// WaitingList holds a place on an agenda's waiting list, which mails
	// offers later.
	WaitingList = Action{Name: "waiting_list", Rules: []Rule{
		{Kind: ByAddress, Max: 30, Window: time.Hour},
		{Kind: ByEmail, Max: 5, Window: time.Hour},
		{Kind: ByAccount, Max: 10, Window: time.Hour},
		{Kind: ByTenant, Max: 2000, Window: time.Hour},
	}}
	// QueueTicket takes a place in a site's queue from a phone, and may
	// mail the address typed when the turn is near. The lobby's wifi puts
	// a crowd behind one address: the address limit is loose.
	QueueTicket = Action{Name: "queue_ticket", Rules: []Rule{
		{Kind: ByAddress, Max: 300, Window: time.Hour},
		{Kind: ByEmail, Max: 5, Window: time.Hour},
		{Kind: ByTenant, Max: 10000, Window: time.Hour},
	}}
	// KioskTicket takes a ticket or checks an appointment in at a kiosk,
	// counted per kiosk address: a busy kiosk serves a visitor every few
	// seconds, a script trying references is held.
	KioskTicket = Action{Name: "kiosk_ticket", Rules: []Rule{
		{Kind: ByAddress, Max: 600, Window: time.Hour},
		{Kind: ByTenant, Max: 20000, Window: time.Hour},
	}}
)

// Actions lists every action, for the console's legend.
var Actions = []Action{SignIn, SignUp, PasswordReset, VerificationResend, Question, AlertSubscription, ActsSubscription,
	NewsletterSubscription, CampaignTest,
	EventRegistration, CaseStart, Upload, Booking, WaitingList, PrivacyRequest, QueueTicket, KioskTicket}

// mailing is an action that mails an address a visitor typed: per hour,
// perAddress from one address, perEmail to one recipient, perTenant from
// one collectivité.
func mailing(name string, perAddress, perEmail, perTenant int) Action {
	return Action{Name: name, Rules: []Rule{
		{Kind: ByAddress, Max: perAddress, Window: time.Hour},
		{Kind: ByEmail, Max: perEmail, Window: time.Hour},
		{Kind: ByTenant, Max: perTenant, Window: time.Hour},
	}}
}
