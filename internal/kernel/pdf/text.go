package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
)

const (
	extractor = "pdftotext" // Debian's poppler-utils
	maxInput  = 50 << 20
	// maxText is more than any act needs to be found by, little enough
	// to index at once.
	maxText       = 2 << 20
	extractTime   = 20 * time.Second
	stderrKept    = 4 << 10
	afterKillWait = 2 * time.Second
)

// ErrNoExtractor is Text's answer when pdftotext is not installed: the
// caller keeps the document without its PDF's text and says so.
var ErrNoExtractor = guichet.Errorf(guichet.EInternal,
	"Le texte des PDF ne peut pas être lu : pdftotext (poppler-utils) n'est pas installé sur le serveur.")

// Available says whether Text can read PDFs here. It looks again at each
// call, so installing poppler-utils needs no restart.
func Available() bool {
	_, err := exec.LookPath(extractor)
	return err == nil
}

// Text returns the text of the PDF body, pages separated by newlines, at
// most 2 MiB of valid UTF-8. It refuses a body over 50 MiB
// (guichet.ETooLarge), answers ErrNoExtractor without pdftotext, and gives
// up after 20 seconds.
func Text(ctx context.Context, body []byte) (string, error) {
	return extract(ctx, extractor, body)
}

func extract(ctx context.Context, program string, body []byte) (string, error) {
	if len(body) > maxInput {
		return "", guichet.Errorf(guichet.ETooLarge, "Ce PDF dépasse %d Mo : son texte n'est pas lu.", maxInput>>20)
	}
	path, err := exec.LookPath(program)
	if err != nil {
		return "", ErrNoExtractor
	}
	ctx, cancel := context.WithTimeout(ctx, extractTime)
	defer cancel()
	// "-" "-": the PDF on stdin, the text on stdout; no file to clean up.
	cmd := exec.CommandContext(ctx, path, "-enc", "UTF-8", "-", "-")
	// Only what the program needs: the server's secrets stay in the server.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	cmd.Stdin = bytes.NewReader(body)
	stderr := &headBuffer{max: stderrKept}
	cmd.Stderr = stderr
	cmd.WaitDelay = afterKillWait
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", fmt.Errorf("pdf: %s: %w", program, err)
	}
	if err := cmd.Start(); err != nil { // a context already done included
		return "", fmt.Errorf("pdf: %s: %w", program, err)
	}
	// One byte past the limit tells that the text was cut.
	raw, readErr := io.ReadAll(io.LimitReader(stdout, maxText+1))
	cut := len(raw) > maxText
	if cut || readErr != nil {
		// The rest would be thrown away: stop the program now.
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	switch {
	case cut:
		// What was kept is enough, however the program ended.
	case ctx.Err() != nil:
		return "", fmt.Errorf("pdf: %s: %w", program, ctx.Err())
	case readErr != nil:
		return "", fmt.Errorf("pdf: %s: reading its output: %w", program, readErr)
	case waitErr != nil:
		return "", fmt.Errorf("pdf: %s could not read the PDF: %s (%w)", program, firstError(stderr.String()), waitErr)
	}
	return clip(raw, maxText), nil
}

// clip turns pdftotext's output into at most limit bytes of valid UTF-8,
// with the form feed that ends each page as a newline.
func clip(raw []byte, limit int) string {
	s := strings.ToValidUTF8(string(raw), "\uFFFD")
	s = strings.ReplaceAll(s, "\f", "\n")
	if len(s) <= limit {
		return s
	}
	end := limit
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end]
}

// firstError picks the line of stderr that says why: poppler warns first
// ("May not be a PDF file (continuing anyway)") and errs after.
func firstError(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, l := range lines {
		if strings.Contains(l, "Error") {
			return strings.TrimSpace(l)
		}
	}
	if lines[0] == "" {
		return "no message"
	}
	return strings.TrimSpace(lines[0])
}

// headBuffer keeps the first max bytes written to it and drops the rest,
// so that a program's chatter cannot fill memory.
type headBuffer struct {
	bytes.Buffer
	max int
}

func (b *headBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
