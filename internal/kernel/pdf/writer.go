// Package pdf writes the simple official documents capabilities hand out
// (receipts, decision letters, council acts) and reads the text inside a
// PDF for search. Writing is go-pdf/fpdf's; reading is poppler's
// pdftotext, an optional program (see Text).
package pdf

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"
)

// FontPaths are where the Writer looks for a UTF-8 font (Debian's
// fonts-dejavu-core); without one it falls back to the core Helvetica,
// which covers French through Windows-1252.
var FontPaths = [2]string{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"}

// Writer starts documents. Its zero value is ready; the fonts are read once,
// at the first document, and shared by all.
type Writer struct {
	once          sync.Once
	regular, bold []byte
}

func (w *Writer) load() {
	w.once.Do(func() {
		r, err1 := os.ReadFile(FontPaths[0])
		b, err2 := os.ReadFile(FontPaths[1])
		if err1 == nil && err2 == nil {
			w.regular, w.bold = r, b
		}
	})
}

// Doc is one PDF being written, with text helpers that encode for the font
// in use. It is not safe for concurrent use.
type Doc struct {
	pdf *fpdf.Fpdf
	enc func(string) string
	fam string
}

// New starts an A4 portrait document titled title, with 20 mm margins and
// its first page added.
func (w *Writer) New(title string) *Doc {
	w.load()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetTitle(title, true)
	p.SetCreator("Guichet", true)
	p.SetMargins(20, 20, 20)
	d := &Doc{pdf: p, enc: func(s string) string { return s }, fam: "DejaVu"}
	if w.regular != nil {
		p.AddUTF8FontFromBytes("DejaVu", "", w.regular)
		p.AddUTF8FontFromBytes("DejaVu", "B", w.bold)
	} else {
		d.fam, d.enc = "Helvetica", p.UnicodeTranslatorFromDescriptor("")
	}
	p.AddPage()
	return d
}

// Text writes s at size points, wrapped to the margins.
func (d *Doc) Text(size float64, bold bool, s string) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(d.fam, style, size)
	d.pdf.MultiCell(0, size*0.5, d.enc(strings.TrimRight(s, "\r\n")), "", "L", false)
}

// Gap leaves h millimetres of blank space.
func (d *Doc) Gap(h float64) { d.pdf.Ln(h) }

// Line writes a row of a bold label and its value, the value wrapping in
// its own column.
func (d *Doc) Line(label, value string) {
	d.pdf.SetFont(d.fam, "B", 10)
	d.pdf.CellFormat(55, 6, d.enc(label), "", 0, "L", false, 0, "")
	d.pdf.SetFont(d.fam, "", 10)
	d.pdf.MultiCell(0, 6, d.enc(value), "", "L", false)
}

// keepWithHeading is the room a heading needs below it for its first lines;
// with less, it starts the next page rather than end this one alone.
const keepWithHeading = 25

// Heading writes a bold 13 pt heading with space before it.
func (d *Doc) Heading(s string) {
	_, height := d.pdf.GetPageSize()
	_, bottom := d.pdf.GetAutoPageBreak()
	if d.pdf.GetY()+keepWithHeading > height-bottom {
		d.pdf.AddPage()
	} else {
		d.pdf.Ln(5)
	}
	d.Text(13, true, s)
	d.pdf.Ln(1.5)
}

const bodySize = 10.5

// Paragraphs writes body text: paragraphs separated by blank lines, each
// line kept as written (an act's "Vu …" lines, a signature block), and
// lines starting with "- " as bullets whose wrapped lines stay indented.
func (d *Doc) Paragraphs(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for i, para := range splitParagraphs(s) {
		if i > 0 {
			d.pdf.Ln(2.5)
		}
		var plain []string
		flush := func() {
			if len(plain) > 0 {
				d.Text(bodySize, false, strings.Join(plain, "\n"))
				plain = nil
			}
		}
		for _, line := range strings.Split(para, "\n") {
			item, bullet := strings.CutPrefix(strings.TrimLeft(line, " \t"), "- ")
			if !bullet {
				plain = append(plain, line)
				continue
			}
			flush()
			d.pdf.SetFont(d.fam, "", bodySize)
			d.pdf.CellFormat(6, bodySize*0.5, d.enc("•"), "", 0, "L", false, 0, "")
			// MultiCell wraps at the x it starts from: the item's lines align.
			d.pdf.MultiCell(0, bodySize*0.5, d.enc(strings.TrimSpace(item)), "", "L", false)
		}
		flush()
	}
}

// splitParagraphs cuts s at blank lines (spaces only count as blank),
// dropping empty paragraphs.
func splitParagraphs(s string) []string {
	var paras []string
	var cur []string
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				paras = append(paras, strings.Join(cur, "\n"))
				cur = nil
			}
			continue
		}
		cur = append(cur, strings.TrimRight(line, " \t"))
	}
	if len(cur) > 0 {
		paras = append(paras, strings.Join(cur, "\n"))
	}
	return paras
}

// Footer writes s and "page N / M" in small grey type at the bottom of
// every page. Call it before the body: a page already turned has no footer.
func (d *Doc) Footer(s string) {
	// The total is known only when the document closes: fpdf replaces the
	// alias then. The last page prints its own number, which is the total,
	// so the digits it needs are in the embedded font's subset.
	d.pdf.AliasNbPages("{nb}")
	d.pdf.SetFooterFunc(func() {
		left, _, right, _ := d.pdf.GetMargins()
		width, _ := d.pdf.GetPageSize()
		d.pdf.SetY(-15)
		d.pdf.SetFont(d.fam, "", 8)
		d.pdf.SetTextColor(110, 110, 110)
		pageNo := fmt.Sprintf("page %d / {nb}", d.pdf.PageNo())
		d.pdf.CellFormat(width-left-right-30, 5, d.enc(s), "", 0, "L", false, 0, "")
		d.pdf.CellFormat(30, 5, d.enc(pageNo), "", 0, "R", false, 0, "")
		d.pdf.SetTextColor(0, 0, 0)
	})
}

// Bytes closes the document and returns it.
func (d *Doc) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return b.Bytes(), nil
}
