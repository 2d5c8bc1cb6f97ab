// Package qr draws QR codes: as SVG for pages (a path of dark modules,
// crisp at any size and on any printer) and as PNG for emails. Encoding is
// boombuler/barcode's, already brought in by the TOTP library.
package qr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/boombuler/barcode"
	bqr "github.com/boombuler/barcode/qr"
)

// quiet is the blank margin the standard asks around a code, in modules.
const quiet = 4

func encode(text string) (barcode.Barcode, error) {
	c, err := bqr.Encode(text, bqr.M, bqr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return c, nil
}

// SVG returns an SVG image of text's QR code, labelled label for screen
// readers (role="img").
func SVG(text, label string) (string, error) {
	c, err := encode(text)
	if err != nil {
		return "", err
	}
	n := c.Bounds().Dx()
	var path strings.Builder
	for y := range n {
		for x := 0; x < n; x++ {
			if !dark(c, x, y) {
				continue
			}
			run := 1
			for x+run < n && dark(c, x+run, y) {
				run++
			}
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run - 1
		}
	}
	size := n + 2*quiet
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		size, size, escape(label), size, size, path.String()), nil
}

func dark(c barcode.Barcode, x, y int) bool {
	r, _, _, _ := c.At(x, y).RGBA()
	return r < 0x8000
}

var escape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace

// PNG returns a PNG of text's QR code, scale pixels per module.
func PNG(text string, scale int) ([]byte, error) {
	c, err := encode(text)
	if err != nil {
		return nil, err
	}
	n := c.Bounds().Dx()
	size := (n + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, size, size))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range n {
		for x := range n {
			if !dark(c, x, y) {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					img.SetGray((x+quiet)*scale+dx, (y+quiet)*scale+dy, color.Gray{})
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return b.Bytes(), nil
}
