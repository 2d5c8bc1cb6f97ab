package reportsweb

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"guichet/internal/capability/reports"
)

// The form's steps, on one URL: the page names the one it shows.
const (
	stepPlace     = 1 // category and place
	stepNearby    = 2 // the open reports around, before a new one
	stepDescribe  = 3 // description, questions, photos, contact
	stepCount     = 3
	nearbyRadius  = 100.0 // metres
	nearbyShown   = 5
	excerptLength = 160
)

// Fields of the form. What a step does not show travels in hidden
// fields, so that nothing typed is lost going back and forth.
const (
	fieldStep        = "etape"
	fieldCategory    = "category"
	fieldLat         = "lat"
	fieldLon         = "lon"
	fieldAddress     = "address"
	fieldLevel       = "niveau"
	fieldCentreLat   = "clat"
	fieldCentreLon   = "clon"
	fieldStaged      = "staged"
	fieldDescription = "description"
	fieldName        = "name"
	fieldEmail       = "email"
	fieldPhone       = "phone"
	// fieldWhere is the address searched; its errors are the place's.
	fieldWhere     = "where"
	fieldAddressID = "address_id"
	fieldPhoto     = "photo"
	fieldRemove    = "remove"
	fieldAction    = "action"
	// fieldMap is the map's <input type="image">: the click comes as
	// map.x and map.y.
	fieldMap = "map"
	// errPlace is the key of the place's errors, shown at the search.
	errPlace = "position"
)

// carried are the fields every step keeps, shown or hidden.
var carried = []string{fieldCategory, fieldLat, fieldLon, fieldAddress, fieldLevel, fieldCentreLat, fieldCentreLon,
	fieldDescription, fieldName, fieldEmail, fieldPhone}

// formState is where the resident stands in the form.
type formState struct {
	Step       int
	CategoryID string
	// Point is the place chosen, when HasPoint; Address its label.
	Point    orb.Point
	HasPoint bool
	Address  string
	// Level and Centre are the map's view (svgmap.Zoom).
	Level  int
	Centre orb.Point
	// Staged are the tokens of the photos already sent.
	Staged []string
	// Form holds every value sent, the step 3 fields and answers among
	// them, to show again.
	Form url.Values
}

// readState reads the form's state from the values sent.
func readState(f url.Values) *formState {
	st := &formState{Step: stepPlace, CategoryID: strings.TrimSpace(f.Get(fieldCategory)),
		Address: strings.TrimSpace(f.Get(fieldAddress)), Form: f}
	if n, err := strconv.Atoi(f.Get(fieldStep)); err == nil && n >= stepPlace && n <= stepDescribe {
		st.Step = n
	}
	lat, okLat := degrees(f.Get(fieldLat))
	lon, okLon := degrees(f.Get(fieldLon))
	if okLat && okLon {
		st.Point, st.HasPoint = orb.Point{lon, lat}, true
	}
	if n, err := strconv.Atoi(f.Get(fieldLevel)); err == nil && n > 0 && n <= 30 {
		st.Level = n
	}
	clat, okLat := degrees(f.Get(fieldCentreLat))
	clon, okLon := degrees(f.Get(fieldCentreLon))
	if okLat && okLon {
		st.Centre = orb.Point{clon, clat}
	}
	removed := f[fieldRemove]
	for _, t := range f[fieldStaged] {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(st.Staged, t) && !slices.Contains(removed, t) &&
			len(st.Staged) < reports.MaxPhotos {
			st.Staged = append(st.Staged, t)
		}
	}
	return st
}

// degrees reads a coordinate as the form writes it; a comma is taken
// for a decimal point.
func degrees(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < -180 || v > 180 {
		return 0, false
	}
	return v, true
}

// coord writes a coordinate to a tenth of a metre or so.
func coord(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// choose places the report at pt, labelled address, and shows it on the
// map at the deepest level.
func (st *formState) choose(pt orb.Point, address string, deepest int) {
	st.Point, st.HasPoint, st.Address = pt, true, address
	st.Level, st.Centre = deepest, pt
}

// hiddenField is a value a step carries without showing it.
type hiddenField struct{ Name, Value string }

// hidden lists what the step carries without showing: the state, then
// the values of the fields the step does not show.
func (st *formState) hidden(shown ...string) []hiddenField {
	out := []hiddenField{{fieldStep, strconv.Itoa(st.Step)}}
	values := map[string]string{fieldCategory: st.CategoryID, fieldAddress: st.Address, fieldLevel: strconv.Itoa(st.Level)}
	if st.HasPoint {
		values[fieldLat], values[fieldLon] = coord(st.Point.Lat()), coord(st.Point.Lon())
	}
	if st.Level > 0 {
		values[fieldCentreLat], values[fieldCentreLon] = coord(st.Centre.Lat()), coord(st.Centre.Lon())
	}
	for _, name := range carried {
		if slices.Contains(shown, name) {
			continue
		}
		v, ok := values[name]
		if !ok {
			v = st.Form.Get(name)
		}
		if v != "" {
			out = append(out, hiddenField{name, v})
		}
	}
	for _, t := range st.Staged {
		out = append(out, hiddenField{fieldStaged, t})
	}
	if !slices.Contains(shown, "answers") {
		keys := make([]string, 0)
		for k := range st.Form {
			if strings.HasPrefix(k, reports.AnswerField("")) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range st.Form[k] {
				if v != "" {
					out = append(out, hiddenField{k, v})
				}
			}
		}
	}
	return out
}

// answers reads the answers to c's questions from the form.
func (st *formState) answers(c *reports.Category) reports.Answers {
	out := reports.Answers{}
	if c == nil {
		return out
	}
	for _, q := range c.Questions {
		if vs := st.Form[reports.AnswerField(q.Code)]; len(vs) > 0 {
			out[q.Code] = vs
		}
	}
	return out
}
