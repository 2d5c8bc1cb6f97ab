package photo

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	"golang.org/x/image/webp"

	"guichet"
)

// decodeBudget bounds the memory a decoder may take for one photo,
// estimated from the header: pixels alone would let through a progressive
// JPEG, which keeps 4 more bytes per sample until its last scan, or a
// 16-bit PNG, 8 bytes a pixel.
const decodeBudget = 256 << 20

// The messages a refused photo is shown with.
const (
	msgEmpty      = "Le fichier est vide."
	msgTooHeavy   = "La photo dépasse 10 Mo."
	msgType       = "Choisissez une photo au format JPEG, PNG ou WebP."
	msgUnreadable = "La photo est illisible : choisissez un autre fichier."
	msgTooLarge   = "La photo est trop grande : choisissez-en une de 40 millions de pixels au plus."
)

// refuse returns the error a form shows on its photo field; a new one each
// time, since a caller may add its own fields to the map.
func refuse(msg string) error { return guichet.Invalid(map[string]string{"photo": msg}) }

// kind is an accepted format.
type kind int

const (
	kindJPEG kind = iota + 1
	kindPNG
	kindWebP
)

// kinds maps the sniffed content types accepted to their format.
var kinds = map[string]kind{"image/jpeg": kindJPEG, "image/png": kindPNG, "image/webp": kindWebP}

// upload is what the checks learnt of a file before decoding it.
type upload struct {
	kind   kind
	config image.Config
	head   jpegHead // JPEG only
}

// inspect sniffs data and reads its header, refusing it before any pixel
// is decoded when it is not an accepted image or would cost too much.
func inspect(data []byte) (upload, error) {
	switch {
	case len(data) == 0:
		return upload{}, refuse(msgEmpty)
	case len(data) > MaxBytes:
		return upload{}, refuse(msgTooHeavy)
	}
	u := upload{kind: kinds[http.DetectContentType(data)]}
	if u.kind == 0 {
		return upload{}, refuse(msgType)
	}
	// The decoder of the sniffed format reads the header, not whichever
	// decoder image.DecodeConfig would pick from the first bytes.
	cfg, err := u.kind.decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return upload{}, refuse(msgUnreadable)
	}
	u.config = cfg
	if u.kind == kindJPEG {
		u.head = readHead(data)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels || u.cost() > decodeBudget {
		return upload{}, refuse(msgTooLarge)
	}
	return u, nil
}

// cost estimates the bytes decoding takes.
func (u upload) cost() int64 {
	pixels := int64(u.config.Width) * int64(u.config.Height)
	if u.kind == kindJPEG {
		if !u.head.frame.ok {
			return pixels * 24 // the frame was missed: assume the worst, progressive CMYK
		}
		return u.head.frame.cost(u.config.Width, u.config.Height)
	}
	return pixels * bytesPerPixel(u.config.ColorModel)
}

// bytesPerPixel is what an image of model m holds per pixel once decoded.
func bytesPerPixel(m color.Model) int64 {
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	return 4
}

func (k kind) decodeConfig(r io.Reader) (image.Config, error) {
	switch k {
	case kindJPEG:
		return jpeg.DecodeConfig(r)
	case kindPNG:
		return png.DecodeConfig(r)
	default:
		return webp.DecodeConfig(r)
	}
}

func (k kind) decode(r io.Reader) (image.Image, error) {
	switch k {
	case kindJPEG:
		return jpeg.Decode(r)
	case kindPNG:
		return png.Decode(r)
	default:
		return webp.Decode(r)
	}
}
