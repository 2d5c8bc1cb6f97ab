package open311

import "strings"

// Format is the answer's format, taken from the path's extension.
type Format string

// The two formats served.
const (
	JSON Format = "json"
	XML  Format = "xml"
)

// ContentType is the format's content type.
func (f Format) ContentType() string {
	if f == JSON {
		return "application/json; charset=utf-8"
	}
	return "text/xml; charset=utf-8"
}

// Split cuts "services.json" into "services" and JSON; ok is false when
// the extension is neither json nor xml (the name is returned anyway).
func Split(file string) (name string, f Format, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return file, XML, false
	}
	switch ext := file[i+1:]; ext {
	case string(JSON), string(XML):
		return file[:i], Format(ext), true
	}
	return file[:i], XML, false
}
