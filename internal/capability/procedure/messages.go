package procedure

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
)

// Upload is a file already checked (type sniffed, size bounded) by the
// web layer, ready to store.
type Upload struct {
	Name        string
	ContentType string
	Body        io.Reader
}

// StoredFile is a file attached to a case, to an answer or to a message.
type StoredFile struct {
	FileRef
	CaseID    string
	MessageID string
	FieldKey  string
	key       string
}

// Message is one message on a case, from the resident or an agent.
type Message struct {
	ID         string
	At         time.Time
	AuthorName string
	FromStaff  bool
	Body       string
	Files      []FileRef
}

// maxMessageFiles bounds the attachments of one message.
const maxMessageFiles = 10

func storageKey() string { return strings.ReplaceAll(uuid.NewString(), "-", "") }

// put stores the bodies; on failure it removes what it stored.
func (s *Store) put(ctx context.Context, tenantID string, ups []Upload) ([]StoredFile, error) {
	if s.CheckStorage != nil && len(ups) > 0 {
		if err := s.CheckStorage(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	var out []StoredFile
	for _, u := range ups {
		f := StoredFile{FileRef: FileRef{ID: uuid.NewString(), Name: files.CleanName(u.Name), ContentType: u.ContentType}, key: storageKey()}
		n, err := s.Files.Put(ctx, f.key, u.Body)
		if err != nil {
			s.removeStored(ctx, out)
			return nil, err
		}
		f.Size = n
		out = append(out, f)
	}
	return out, nil
}

func (s *Store) removeStored(ctx context.Context, fs []StoredFile) {
	for _, f := range fs {
		_ = s.Files.Delete(context.WithoutCancel(ctx), f.key) // best effort: an orphan body harms no one
	}
}

func insertFile(ctx context.Context, q db.Querier, tenantID string, f StoredFile, now time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO case_files (id, tenant_id, case_id, message_id, field_key, name, content_type, size, storage_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, tenantID, f.CaseID, f.MessageID, f.FieldKey, f.Name, f.ContentType, f.Size, f.key, now)
	return err
}

// AttachToDraft stores files answering the field key of a draft and adds
// them to its answers.
func (s *Store) AttachToDraft(ctx context.Context, c *Case, fl *Field, ups []Upload) error {
	if c.State != Draft {
		return guichet.Errorf(guichet.EConflict, "Ce dossier a déjà été déposé : il ne peut plus être modifié.")
	}
	a := c.Answers[fl.Key]
	if len(a.Files)+len(ups) > maxFilesEach {
		return guichet.Invalid(map[string]string{InputName(fl.Key): fmt.Sprintf("« %s » accepte au plus %d fichiers.", fl.Label, maxFilesEach)})
	}
	stored, err := s.put(ctx, c.TenantID, ups)
	if err != nil {
		return err
	}
	answers := c.Answers.Clone()
	for i := range stored {
		stored[i].CaseID, stored[i].FieldKey = c.ID, fl.Key
		a.Files = append(a.Files, stored[i].FileRef)
	}
	answers[fl.Key] = a
	now := s.now()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, f := range stored {
			if err := insertFile(ctx, tx, c.TenantID, f, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = s.SaveDraft(ctx, c, answers, c.Page, c.Applicant)
	}
	if err != nil {
		s.removeStored(ctx, stored)
		return wrap("attach", err)
	}
	return nil
}

// Detach removes a file from a draft's answer.
func (s *Store) Detach(ctx context.Context, c *Case, fieldKey, fileID string) error {
	if c.State != Draft {
		return guichet.Errorf(guichet.EConflict, "Ce dossier a déjà été déposé : il ne peut plus être modifié.")
	}
	f, err := s.File(ctx, c.TenantID, c.ID, fileID)
	if err != nil || f.FieldKey != fieldKey {
		return ErrNotFound
	}
	answers := c.Answers.Clone()
	a := answers[fieldKey]
	a.Files = slicesDelete(a.Files, fileID)
	answers[fieldKey] = a
	if err := s.SaveDraft(ctx, c, answers, c.Page, c.Applicant); err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM case_files WHERE tenant_id = ? AND case_id = ? AND id = ?`, c.TenantID, c.ID, fileID); err != nil {
		return wrap("detach", err)
	}
	return s.Files.Delete(ctx, f.key)
}

func slicesDelete(fs []FileRef, id string) []FileRef {
	out := fs[:0:0]
	for _, f := range fs {
		if f.ID != id {
			out = append(out, f)
		}
	}
	return out
}

// File returns one file of a case.
func (s *Store) File(ctx context.Context, tenantID, caseID, fileID string) (*StoredFile, error) {
	if uuid.Validate(fileID) != nil {
		return nil, ErrNotFound
	}
	f := &StoredFile{}
	err := s.db.QueryRow(ctx, `SELECT id, case_id, message_id, field_key, name, content_type, size, storage_key FROM case_files
		WHERE tenant_id = ? AND case_id = ? AND id = ?`, tenantID, caseID, fileID).Scan(&f.ID, &f.CaseID, &f.MessageID,
		&f.FieldKey, &f.Name, &f.ContentType, &f.Size, &f.key)
	return f, notFound(err)
}

// OpenFile returns the body of a stored file.
func (s *Store) OpenFile(ctx context.Context, f *StoredFile) (io.ReadCloser, error) {
	return s.Files.Open(ctx, f.key)
}

// AddMessage posts a message with its attachments on a filed case.
func (s *Store) AddMessage(ctx context.Context, c *Case, by Actor, body string, ups []Upload) (*Message, error) {
	body = strings.TrimSpace(body)
	switch {
	case c.State == Draft:
		return nil, guichet.Errorf(guichet.EConflict, "Déposez d'abord le dossier.")
	case body == "" && len(ups) == 0:
		return nil, guichet.Invalid(map[string]string{"body": "Écrivez un message ou joignez un fichier."})
	case len(body) > 10000:
		return nil, guichet.Invalid(map[string]string{"body": "Le message ne doit pas dépasser 10000 caractères."})
	case len(ups) > maxMessageFiles:
		return nil, guichet.Invalid(map[string]string{"files": "Joignez au plus 10 fichiers."})
	}
	stored, err := s.put(ctx, c.TenantID, ups)
	if err != nil {
		return nil, err
	}
	m := &Message{ID: uuid.NewString(), At: s.now(), AuthorName: by.Name, FromStaff: by.Staff, Body: body}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO case_messages (id, tenant_id, case_id, at, author_id, author_name, from_staff, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, c.TenantID, c.ID, m.At, by.ID, by.Name, by.Staff, body); err != nil {
			return err
		}
		for i := range stored {
			stored[i].CaseID, stored[i].MessageID = c.ID, m.ID
			if err := insertFile(ctx, tx, c.TenantID, stored[i], m.At); err != nil {
				return err
			}
			m.Files = append(m.Files, stored[i].FileRef)
		}
		return nil
	})
	if err != nil {
		s.removeStored(ctx, stored)
		return nil, wrap("message", err)
	}
	if by.Staff {
		s.tell(ctx, c, LiveMessage)
	}
	return m, nil
}

// Messages returns a case's messages with their files, oldest first, in
// two queries whatever their number.
func (s *Store) Messages(ctx context.Context, tenantID, caseID string) ([]*Message, error) {
	rows, err := s.db.Query(ctx, `SELECT id, at, author_name, from_staff, body FROM case_messages
		WHERE tenant_id = ? AND case_id = ? ORDER BY at, id`, tenantID, caseID)
	if err != nil {
		return nil, wrap("messages", err)
	}
	var out []*Message
	byID := map[string]*Message{}
	for rows.Next() {
		m := &Message{}
		if err := rows.Scan(&m.ID, &m.At, &m.AuthorName, &m.FromStaff, &m.Body); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
		byID[m.ID] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	fs, err := s.CaseFiles(ctx, tenantID, caseID)
	for _, f := range fs {
		if m := byID[f.MessageID]; m != nil {
			m.Files = append(m.Files, f.FileRef)
		}
	}
	return out, err
}

// CaseFiles lists every file of a case.
func (s *Store) CaseFiles(ctx context.Context, tenantID, caseID string) ([]StoredFile, error) {
	rows, err := s.db.Query(ctx, `SELECT id, case_id, message_id, field_key, name, content_type, size, storage_key FROM case_files
		WHERE tenant_id = ? AND case_id = ? ORDER BY created_at, id`, tenantID, caseID)
	if err != nil {
		return nil, wrap("files", err)
	}
	defer rows.Close()
	var out []StoredFile
	for rows.Next() {
		var f StoredFile
		if err := rows.Scan(&f.ID, &f.CaseID, &f.MessageID, &f.FieldKey, &f.Name, &f.ContentType, &f.Size, &f.key); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Reply is the resident's answer to a request for complements: the
// message, then the case goes back to instruction with a new deadline.
func (s *Store) Reply(ctx context.Context, c *Case, p *Procedure, by Actor, body string, ups []Upload) (*Message, error) {
	m, err := s.AddMessage(ctx, c, by, body, ups)
	if err != nil {
		return nil, err
	}
	if c.State == Waiting {
		err := s.Transition(ctx, c, p, Instruction, by, "Compléments envoyés par le demandeur.")
		if err != nil && !errors.Is(err, ErrNotFound) {
			return m, err
		}
	}
	return m, nil
}

// FileKeys lists the storage keys of a collectivité's case files, for its
// backup.
func (s *Store) FileKeys(ctx context.Context, q db.Querier, tenantID string) ([]string, error) {
	var keys []string
	err := db.Each(ctx, q, `SELECT storage_key FROM case_files WHERE tenant_id = ? ORDER BY storage_key`, func(r db.Row) error {
		var k string
		err := r.Scan(&k)
		keys = append(keys, k)
		return err
	}, tenantID)
	return keys, wrap("file keys", err)
}

// StorageUsed returns the bytes of a collectivité's case files, counted
// against its storage quota.
func (s *Store) StorageUsed(ctx context.Context, tenantID string) (int64, error) {
	var n sql.NullInt64
	err := s.db.QueryRow(ctx, `SELECT SUM(size) FROM case_files WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n.Int64, wrap("storage used", err)
}
