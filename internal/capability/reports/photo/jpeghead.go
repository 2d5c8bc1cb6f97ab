package photo

import "bytes"

// jpegHead is what a JPEG's segments before its first scan tell.
type jpegHead struct {
	exif  []byte // the first APP1 Exif segment's payload, "Exif\0\0" included
	frame frame
}

// frame is a JPEG's frame header (SOF), enough to know what decoding costs.
type frame struct {
	ok          bool
	progressive bool
	sampling    [][2]int // each component's horizontal and vertical factors
}

// readHead walks data's marker segments up to the first scan, skipping
// stray bytes between segments as Go's decoder does. It only looks for the
// EXIF and the frame: the decoder judges the file.
func readHead(data []byte) jpegHead {
	var h jpegHead
	if len(data) < 2 || data[0] != 0xff || data[1] != 0xd8 {
		return h
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			i++
			continue
		}
		m := data[i+1]
		switch {
		case m == 0xff: // fill byte before a marker
			i++
			continue
		case m == 0x00: // a stray byte pair, not a marker
			i += 2
			continue
		case m == 0x01 || (m >= 0xd0 && m <= 0xd8): // markers without a length
			i += 2
			continue
		case m == 0xd9 || m == 0xda: // end of image, start of scan
			return h
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		if n < 2 || i+2+n > len(data) {
			return h
		}
		payload := data[i+4 : i+2+n]
		switch {
		case m == 0xe1 && h.exif == nil && bytes.HasPrefix(payload, []byte("Exif\x00\x00")):
			h.exif = payload
		case isSOF(m) && !h.frame.ok:
			h.frame = readFrame(m, payload)
		}
		i += 2 + n
	}
	return h
}

// isSOF reports whether m starts a frame; C4, C8 and CC share the range
// but are tables.
func isSOF(m byte) bool {
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc
}

// readFrame reads a SOF segment's payload: precision, height and width
// (the decoder's are used), then three bytes per component.
func readFrame(m byte, p []byte) frame {
	if len(p) < 6 {
		return frame{}
	}
	f := frame{
		progressive: m&0x03 == 0x02, // C2, C6, CA, CE
	}
	n := int(p[5])
	if n == 0 || len(p) < 6+3*n {
		return frame{}
	}
	for c := range n {
		hv := p[6+3*c+1]
		f.sampling = append(f.sampling, [2]int{max(1, int(hv>>4)), max(1, int(hv&0x0f))})
	}
	f.ok = true
	return f
}

// cost estimates the bytes Go's decoder takes for a frame of width by
// height pixels: a byte per sample of each component, over the whole
// blocks it allocates; for a progressive frame, 4 more per sample for the
// coefficients it keeps between scans; for four components, the CMYK
// image it converts them to.
func (f frame) cost(width, height int) int64 {
	hmax, vmax := 1, 1
	for _, s := range f.sampling {
		hmax, vmax = max(hmax, s[0]), max(vmax, s[1])
	}
	mcusX := int64((width + 8*hmax - 1) / (8 * hmax))
	mcusY := int64((height + 8*vmax - 1) / (8 * vmax))
	var samples int64
	for _, s := range f.sampling {
		samples += mcusX * int64(8*s[0]) * mcusY * int64(8*s[1])
	}
	cost := samples
	if f.progressive {
		cost += 4 * samples
	}
	if len(f.sampling) == 4 {
		cost += 4 * int64(width) * int64(height)
	}
	return cost
}
