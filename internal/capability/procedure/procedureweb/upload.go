package procedureweb

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/web"
)

// Body limits of the routes taking files: a message's attachments
// together, and a form page's files, whose own limit the page's fields set.
const (
	maxMessageUpload = 30 << 20
	messageBody      = maxMessageUpload + formOverhead
	stepBody         = web.MaxBody
	formOverhead     = 1 << 20 // the form's fields and the parts' headers
	inMemory         = 8 << 20 // files beyond go to temporary files
)

// parseUpload reads a multipart body whose files weigh at most limit: the
// limit stops the read as soon as it is passed, before the whole body
// arrives, and a declared length over it is refused without reading.
func parseUpload(w http.ResponseWriter, r *http.Request, limit int64) error {
	limit = min(limit, web.MaxBody-formOverhead)
	err := web.ParseMultipart(w, r, limit+formOverhead, inMemory)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return guichet.Errorf(guichet.EInvalid, "Les fichiers envoyés dépassent la taille maximale de %s.", procedure.HumanSize(limit))
	case err != nil:
		return guichet.Errorf(guichet.EInvalid, "Envoi illisible : recommencez.")
	}
	return nil
}

// opened are uploaded files to close once stored.
type opened []multipart.File

func (o opened) close() {
	for _, f := range o {
		f.Close()
	}
}

// uploads checks the files sent under name: each within limit and of an
// accepted type by its content, not only its name. It returns them ready
// to store, or a message for the field.
func uploads(r *http.Request, name string, accept []string, limit int64, keep *opened) ([]procedure.Upload, string) {
	if r.MultipartForm == nil {
		return nil, ""
	}
	var out []procedure.Upload
	for _, fh := range r.MultipartForm.File[name] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		fileName := files.CleanName(fh.Filename)
		if fh.Size > limit {
			return nil, "« " + fileName + " » dépasse la taille maximale de " + procedure.HumanSize(limit) + "."
		}
		f, err := fh.Open()
		if err != nil {
			return nil, "« " + fileName + " » n'a pas pu être lu."
		}
		*keep = append(*keep, f)
		head := make([]byte, files.SniffLen)
		n, _ := io.ReadFull(f, head)
		mime, msg := files.Sniff(fileName, head[:n], accept)
		if msg != "" {
			return nil, "« " + fileName + " » : " + msg
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, "« " + fileName + " » n'a pas pu être lu."
		}
		out = append(out, procedure.Upload{Name: fileName, ContentType: mime, Body: f})
	}
	return out, ""
}

// serveFile sends a stored file as an attachment, never shown inline.
func (m *Module) serveFile(w http.ResponseWriter, r *http.Request, f *procedure.StoredFile) error {
	body, err := m.store.OpenFile(r.Context(), f)
	if err != nil {
		return err
	}
	defer body.Close()
	name := strings.NewReplacer(`"`, "", "\\", "").Replace(f.Name)
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+asciiName(name)+`"; filename*=UTF-8''`+pathEscape(name))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = io.Copy(w, body)
	return err
}

func asciiName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 32 || r > 126 {
			return '_'
		}
		return r
	}, s)
}

func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}

// messageUploads reads the attachments of a message form, for agents and
// residents alike. A bad upload gives the status and field error to show
// the form again with; done releases the files once the message is stored.
func messageUploads(w http.ResponseWriter, r *http.Request) (ups []procedure.Upload, status int, errs map[string]string, done func(), err error) {
	var keep opened
	done = func() { keep.close() }
	if err := parseUpload(w, r, maxMessageUpload); err != nil {
		if guichet.ErrorCode(err) != guichet.EInvalid {
			return nil, 0, nil, done, err
		}
		return nil, http.StatusRequestEntityTooLarge, map[string]string{"files": guichet.ErrorMessage(err)}, done, nil
	}
	ups, msg := uploads(r, "files", nil, procedure.DefaultMaxSize, &keep)
	if msg != "" {
		return nil, http.StatusUnprocessableEntity, map[string]string{"files": msg}, done, nil
	}
	return ups, 0, nil, done, nil
}
