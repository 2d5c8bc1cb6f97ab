package phototest

import "bytes"

// The identifiers that open an APP1 segment's payload.
var app1Kinds = [][]byte{
	[]byte("Exif\x00"),
	[]byte("http://ns.adobe.com/xap/1.0/\x00"),
	[]byte("http://ns.adobe.com/xmp/extension/\x00"),
}

// HasEXIF reports whether the JPEG b carries an Exif or XMP segment (APP1)
// anywhere: it walks every marker, through the compressed data between
// them and past the end of image, where some phones append more.
func HasEXIF(b []byte) bool {
	if len(b) < 2 || b[0] != 0xff || b[1] != 0xd8 {
		return false
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			i++ // compressed data, or bytes after the end
			continue
		}
		m := b[i+1]
		switch {
		case m == 0xff: // fill byte
			i++
			continue
		case m == 0x00 || m == 0x01 || (m >= 0xd0 && m <= 0xd9): // no length follows
			i += 2
			continue
		}
		n := int(b[i+2])<<8 | int(b[i+3])
		end := min(len(b), i+2+n)
		if m == 0xe1 && end > i+4 {
			for _, kind := range app1Kinds {
				if bytes.HasPrefix(b[i+4:end], kind) {
					return true
				}
			}
		}
		i += 2 + max(n, 2)
	}
	return false
}
