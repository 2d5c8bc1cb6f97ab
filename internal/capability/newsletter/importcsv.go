package newsletter

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/jobs"
	"guichet/internal/publishing"
)

// Import is a CSV import of subscribers and its progress.
type Import struct {
	ID, TenantID, Name, Status, Author   string
	Total, Done, Added, Updated, Skipped int
	// Problems lists the lines left out and why, one per line.
	Problems   []string
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// Percent is the share of lines read, 0 to 100.
func (i *Import) Percent() int {
	if i.Total == 0 {
		return 0
	}
	return i.Done * 100 / i.Total
}

// Statuses of an import.
const (
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// ImportRequest is what the import form asks: the file, the lists every
// line joins, and the consent: the source of an already recorded consent
// (the people become active), or a confirmation link mailed to each.
type ImportRequest struct {
	TenantID, Name, Author string
	Body                   io.Reader
	Lists                  []string
	// ConsentSource says where and when the people agreed ("bulletin
	// d'inscription papier, accueil de la mairie, 2025"); empty with
	// Confirm.
	ConsentSource string
	// Confirm mails each new address its confirmation link instead.
	Confirm bool
	BaseURL string
}

// Limits of an import.
const (
	MaxImportBytes = 20 << 20
	MaxImportLines = 200_000
	maxProblems    = 200
)

// importArgs is the job that reads an import's file.
type importArgs struct {
	TenantID string `json:"tenant_id"`
	ImportID string `json:"import_id"`
}

// importOptions are the form's choices, kept with the import.
type importOptions struct {
	TenantID, Lists, Source, BaseURL string
	Confirm                          bool
}

// Kind implements river.JobArgs.
func (importArgs) Kind() string { return "newsletter_import" }

// UseImports registers the import job on q with the bucket that keeps
// the files while they are read.
func (s *Store) UseImports(q *jobs.Queue, bucket files.Storage) error {
	s.bucket = bucket
	return jobs.AddFunc(q, func(ctx context.Context, job *river.Job[importArgs]) error {
		return s.RunImport(ctx, job.Args.TenantID, job.Args.ImportID)
	})
}

// StartImport checks the form, keeps the file and queues its reading.
func (s *Store) StartImport(ctx context.Context, r ImportRequest) (*Import, error) {
	errs := map[string]string{}
	r.ConsentSource = strings.TrimSpace(r.ConsentSource)
	if !r.Confirm {
		publishing.CheckText(errs, "consent_source", r.ConsentSource, 5, 300,
			"Dites où et quand ces personnes ont accepté de recevoir la lettre, ou faites-leur confirmer leur adresse.",
			"La source du consentement dépasse 300 caractères.")
	}
	all, err := s.listIDs(ctx, r.TenantID, false)
	if err != nil {
		return nil, err
	}
	if len(only(r.Lists, all)) != len(r.Lists) {
		errs["lists"] = "Choisissez des listes existantes."
	}
	if len(errs) > 0 {
		return nil, guichet.Invalid(errs)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > MaxImportBytes {
		return nil, guichet.Invalid(map[string]string{"file": "Le fichier dépasse 20 Mo."})
	}
	total, err := checkCSV(body)
	if err != nil {
		return nil, guichet.Invalid(map[string]string{"file": err.Error()})
	}
	imp := &Import{ID: uuid.NewString(), TenantID: r.TenantID, Name: r.Name, Status: ImportRunning, Author: r.Author,
		Total: total, CreatedAt: s.Stamp()}
	if _, err := s.bucket.Put(ctx, importKey(imp.ID), bytes.NewReader(body)); err != nil {
		return nil, err
	}
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO newsletter_imports (id, tenant_id, name, status, total, author, lists, consent_source,
			confirm, base_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, imp.ID, imp.TenantID, imp.Name, imp.Status, imp.Total,
			imp.Author, strings.Join(r.Lists, ","), r.ConsentSource, r.Confirm, r.BaseURL, imp.CreatedAt); err != nil {
			return err
		}
		_, err := s.sending.Jobs.InsertTx(ctx, tx, importArgs{TenantID: r.TenantID, ImportID: imp.ID}, nil)
		return err
	})
	if err != nil {
		_ = s.bucket.Delete(context.WithoutCancel(ctx), importKey(imp.ID))
		return nil, fmt.Errorf("newsletter: start import: %w", err)
	}
	return imp, nil
}

func importKey(id string) string { return "import-" + id }

// columns are the header names an import understands, French or English.
var columns = map[string]string{
	"email": "email", "e-mail": "email", "courriel": "email", "adresse": "email", "mail": "email",
	"nom": "name", "name": "name", "prenom nom": "name", "prénom nom": "name",
	"langue": "lang", "lang": "lang", "language": "lang",
	"listes": "lists", "lists": "lists", "liste": "lists",
}

// header maps each column of the file to what it holds.
func header(rec []string) (map[string]int, error) {
	idx := map[string]int{}
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if key, ok := columns[h]; ok {
			if _, dup := idx[key]; !dup {
				idx[key] = i
			}
		}
	}
	if _, ok := idx["email"]; !ok {
		return nil, errors.New("La première ligne doit nommer les colonnes, dont « email » (ou « courriel »).")
	}
	return idx, nil
}

// reader reads a CSV separated by commas or semicolons (what spreadsheets
// in French write), in UTF-8.
func reader(body []byte) *csv.Reader {
	first, _, _ := bufio.NewReader(bytes.NewReader(body)).ReadLine()
	r := csv.NewReader(bytes.NewReader(body))
	if strings.Count(string(first), ";") > strings.Count(string(first), ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	return r
}

// checkCSV checks the file's encoding and header and counts its lines.
func checkCSV(body []byte) (int, error) {
	if !utf8.Valid(body) {
		return 0, errors.New("Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 » depuis votre tableur.")
	}
	r := reader(body)
	rec, err := r.Read()
	if err != nil {
		return 0, errors.New("Le fichier est vide ou n'est pas un CSV.")
	}
	if _, err := header(rec); err != nil {
		return 0, err
	}
	n := 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := r.FieldPos(0)
			return 0, fmt.Errorf("Ligne %d illisible : %v.", line, err)
		}
		n++
		if n > MaxImportLines {
			return 0, fmt.Errorf("Le fichier dépasse %d lignes : coupez-le en plusieurs.", MaxImportLines)
		}
	}
	if n == 0 {
		return 0, errors.New("Le fichier n'a aucune ligne après celle des noms de colonnes.")
	}
	return n, nil
}

// importBatch is how many lines one transaction writes.
const importBatch = 500

// RunImport reads an import's file (its job calls it), in transactions
// of importBatch lines whose progress is saved with them: a job run again
// resumes after the last saved line.
func (s *Store) RunImport(ctx context.Context, tenantID, id string) error {
	imp, err := s.Import(ctx, tenantID, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil || imp.Status != ImportRunning {
		return err
	}
	a := importOptions{TenantID: tenantID}
	if err := s.DB().QueryRow(ctx, `SELECT lists, consent_source, confirm, base_url FROM newsletter_imports WHERE tenant_id = ? AND id = ?`,
		tenantID, id).Scan(&a.Lists, &a.Source, &a.Confirm, &a.BaseURL); err != nil {
		return err
	}
	f, err := s.bucket.Open(ctx, importKey(imp.ID))
	if err != nil {
		return s.failImport(ctx, imp, "Le fichier de l'import est introuvable.")
	}
	body, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return err
	}
	r := reader(body)
	rec, err := r.Read()
	if err != nil {
		return s.failImport(ctx, imp, "Le fichier est vide.")
	}
	idx, err := header(rec)
	if err != nil {
		return s.failImport(ctx, imp, err.Error())
	}
	byName, err := s.listsByName(ctx, a.TenantID)
	if err != nil {
		return err
	}
	var base []string
	if a.Lists != "" {
		base = strings.Split(a.Lists, ",")
	}
	for i := 0; i < imp.Done; i++ { // already written by an earlier run
		if _, err := r.Read(); err != nil {
			break
		}
	}
	var confirmations []pendingLink
	for line := imp.Done; ; {
		var batch [][]string
		for len(batch) < importBatch {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return s.failImport(ctx, imp, err.Error())
			}
			batch = append(batch, rec)
		}
		if len(batch) == 0 {
			break
		}
		var links []pendingLink
		err := s.DB().InTx(ctx, func(tx *db.Tx) error {
			var added, updated, skipped int
			var problems []string
			for j, rec := range batch {
				n := line + j + 2 // the header is line 1
				outcome, link, problem, err := s.importLine(ctx, tx, a, rec, idx, byName, base)
				if err != nil {
					return err
				}
				switch outcome {
				case "added":
					added++
				case "updated":
					updated++
				default:
					skipped++
					problems = append(problems, fmt.Sprintf("Ligne %d : %s", n, problem))
				}
				if link != nil {
					links = append(links, *link)
				}
			}
			extra := ""
			if len(problems) > 0 && len(imp.Problems) < maxProblems {
				imp.Problems = append(imp.Problems, problems...)
				if len(imp.Problems) > maxProblems {
					imp.Problems = imp.Problems[:maxProblems]
				}
			}
			extra = strings.Join(imp.Problems, "\n")
			_, err := tx.Exec(ctx, `UPDATE newsletter_imports SET done = done + ?, added = added + ?, updated = updated + ?,
				skipped = skipped + ?, problems = ? WHERE tenant_id = ? AND id = ?`, len(batch), added, updated, skipped, extra, a.TenantID, imp.ID)
			return err
		})
		if err != nil {
			return fmt.Errorf("newsletter: import: %w", err)
		}
		confirmations = append(confirmations, links...)
		line += len(batch)
	}
	for _, l := range confirmations {
		if err := s.Send(ctx, a.TenantID, l.email, "newsletter/confirm", l.lang, map[string]any{
			"ConfirmURL": a.BaseURL + "/lettre/confirmer/" + l.token}); err != nil {
			return err
		}
	}
	_, err = s.DB().Exec(ctx, `UPDATE newsletter_imports SET status = ?, finished_at = ? WHERE tenant_id = ? AND id = ?`,
		ImportDone, s.Stamp(), a.TenantID, imp.ID)
	if err == nil {
		_ = s.bucket.Delete(ctx, importKey(imp.ID))
	}
	return err
}

type pendingLink struct{ email, lang, token string }

// importLine writes one line: a new subscriber (active with the declared
// consent, or pending with a confirmation link), or new lists for one
// already known; a suppressed address is left out.
func (s *Store) importLine(ctx context.Context, tx *db.Tx, a importOptions, rec []string, idx map[string]int,
	byName map[string]string, base []string) (outcome string, link *pendingLink, problem string, err error) {
	field := func(key string) string {
		if i, ok := idx[key]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	email, ok := ParseEmail(field("email"))
	if !ok {
		return "skipped", nil, "adresse électronique invalide", nil
	}
	lists := append([]string(nil), base...)
	if names := field("lists"); names != "" {
		for _, n := range strings.FieldsFunc(names, func(r rune) bool { return r == '|' || r == ';' || r == ',' }) {
			id, ok := byName[strings.ToLower(strings.TrimSpace(n))]
			if !ok {
				return "skipped", nil, fmt.Sprintf("liste « %s » inconnue", strings.TrimSpace(n)), nil
			}
			if !slices.Contains(lists, id) {
				lists = append(lists, id)
			}
		}
	}
	if gone, err := s.Suppressed(ctx, tx, a.TenantID, email); err != nil || gone {
		return "skipped", nil, "adresse désabonnée : elle n'est pas ajoutée de nouveau", err
	}
	name := field("name")
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	lang := publishing.MailLang(strings.ToLower(field("lang")))
	var id string
	err = tx.QueryRow(ctx, `SELECT id FROM newsletter_subscribers WHERE tenant_id = ? AND email = ?`, a.TenantID, email).Scan(&id)
	switch {
	case err == nil:
		for _, l := range lists {
			if _, err := tx.Exec(ctx, `INSERT INTO newsletter_memberships (list_id, subscriber_id, tenant_id) VALUES (?, ?, ?)
				ON CONFLICT (list_id, subscriber_id) DO NOTHING`, l, id, a.TenantID); err != nil {
				return "", nil, "", err
			}
		}
		return "updated", nil, "", nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", nil, "", err
	}
	id, now := uuid.NewString(), s.Stamp()
	status, source, hash, consent := SubscriberActive, "import : "+a.Source, "", any(now)
	if a.Confirm {
		var token string
		token, hash = publishing.NewLink()
		status, source, consent = SubscriberPending, "", nil
		link = &pendingLink{email: email, lang: lang, token: token}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO newsletter_subscribers (id, tenant_id, email, name, lang, status, confirm_hash,
		unsubscribe_token, consent_at, consent_source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, a.TenantID, email, name, lang, status, hash, publishing.NewUnsubscribeToken(), consent, source, now, now); err != nil {
		return "", nil, "", err
	}
	if err := setLists(ctx, tx, a.TenantID, id, lists); err != nil {
		return "", nil, "", err
	}
	return "added", link, "", nil
}

func (s *Store) listsByName(ctx context.Context, tenantID string) (map[string]string, error) {
	lists, err := s.Lists(ctx, tenantID, false)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, l := range lists {
		out[strings.ToLower(l.Name)] = l.ID
	}
	return out, nil
}

func (s *Store) failImport(ctx context.Context, imp *Import, why string) error {
	_, err := s.DB().Exec(ctx, `UPDATE newsletter_imports SET status = ?, problems = ?, finished_at = ? WHERE tenant_id = ? AND id = ?`,
		ImportFailed, why, s.Stamp(), imp.TenantID, imp.ID)
	_ = s.bucket.Delete(ctx, importKey(imp.ID))
	return err
}

// Import returns one import and its progress.
func (s *Store) Import(ctx context.Context, tenantID, id string) (*Import, error) {
	var imp Import
	var problems string
	var finished sql.NullTime
	err := s.DB().QueryRow(ctx, `SELECT id, tenant_id, name, status, total, done, added, updated, skipped, problems, author,
		created_at, finished_at FROM newsletter_imports WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&imp.ID, &imp.TenantID,
		&imp.Name, &imp.Status, &imp.Total, &imp.Done, &imp.Added, &imp.Updated, &imp.Skipped, &problems, &imp.Author, &imp.CreatedAt, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if problems != "" {
		imp.Problems = strings.Split(problems, "\n")
	}
	imp.FinishedAt = publishing.FromNull(finished)
	return &imp, nil
}

// ExportCSV writes the collectivité's subscribers (filtered like the
// list) as CSV, in pages of 1,000, calling progress after each.
func (s *Store) ExportCSV(ctx context.Context, tenantID string, f Filter, w io.Writer, progress func(done, total int)) error {
	lists, err := s.Lists(ctx, tenantID, false)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, l := range lists {
		names[l.ID] = l.Name
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"email", "nom", "langue", "statut", "listes", "consentement_date", "consentement_source", "mesure_audience"}); err != nil {
		return err
	}
	f.Limit, f.After = 1000, ""
	done := 0
	for {
		page, total, err := s.Subscribers(ctx, tenantID, f)
		if err != nil {
			return err
		}
		memberships, err := s.memberships(ctx, tenantID, page)
		if err != nil {
			return err
		}
		for _, sub := range page {
			var ls []string
			for _, id := range memberships[sub.ID] {
				ls = append(ls, names[id])
			}
			consent := ""
			if sub.ConsentAt != nil {
				consent = sub.ConsentAt.Format(time.RFC3339)
			}
			measure := "non"
			if sub.Measure {
				measure = "oui"
			}
			if err := cw.Write([]string{csvSafe(sub.Email), csvSafe(sub.Name), sub.Lang, sub.Status, csvSafe(strings.Join(ls, "|")),
				consent, csvSafe(sub.ConsentSource), measure}); err != nil {
				return err
			}
		}
		done += len(page)
		cw.Flush()
		if progress != nil {
			progress(done, total)
		}
		if len(page) < f.Limit {
			break
		}
		f.After = page[len(page)-1].Email
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a value as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func (s *Store) memberships(ctx context.Context, tenantID string, subs []*Subscriber) (map[string][]string, error) {
	out := map[string][]string{}
	if len(subs) == 0 {
		return out, nil
	}
	ids := make([]any, 0, len(subs)+1)
	ids = append(ids, tenantID)
	for _, sub := range subs {
		ids = append(ids, sub.ID)
	}
	rows, err := s.DB().Query(ctx, `SELECT subscriber_id, list_id FROM newsletter_memberships WHERE tenant_id = ? AND subscriber_id IN (`+
		marks(len(subs))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var sid, lid string
		if err := rows.Scan(&sid, &lid); err != nil {
			return nil, err
		}
		out[sid] = append(out[sid], lid)
	}
	return out, rows.Err()
}
