package svgmap

import (
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

// rings reads path data made of M, l and z commands back into absolute
// rings, failing the test on anything else.
func rings(t testing.TB, d string) [][]orb.Point {
	t.Helper()
	var out [][]orb.Point
	var cmd byte
	var nums []float64
	flush := func() {
		switch cmd {
		case 'M':
			if len(nums) != 2 {
				t.Fatalf("M with %v in %q", nums, d)
			}
			out = append(out, []orb.Point{{nums[0], nums[1]}})
		case 'l':
			if len(nums)%2 != 0 || len(out) == 0 {
				t.Fatalf("l with %v in %q", nums, d)
			}
			r := out[len(out)-1]
			for i := 0; i < len(nums); i += 2 {
				last := r[len(r)-1]
				// Sums of tenths, rounded as the writer's integers are.
				r = append(r, orb.Point{math.Round((last[0]+nums[i])*10) / 10, math.Round((last[1]+nums[i+1])*10) / 10})
			}
			out[len(out)-1] = r
		}
		nums = nums[:0]
	}
	for i := 0; i < len(d); {
		switch c := d[i]; {
		case c == 'M' || c == 'l' || c == 'z':
			flush()
			cmd = c
			i++
		case c == ' ':
			i++
		case c == '-' || c == '.' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(d) && (d[j] == '.' || (d[j] >= '0' && d[j] <= '9')) {
				j++
			}
			v, err := strconv.ParseFloat(d[i:j], 64)
			if err != nil {
				t.Fatalf("number %q in %q", d[i:j], d)
			}
			nums = append(nums, v)
			i = j
		default:
			t.Fatalf("unexpected %q at %d in %q", c, i, d)
		}
	}
	flush()
	return out
}

// parcels are the 6,032 parcels of the commune 69114 in Etalab's cadastre.
// The GeoJSON is read with encoding/json into orb's types: orb/geojson
// would bring a BSON module into the build for nothing.
func parcels(t testing.TB) []orb.MultiPolygon {
	t.Helper()
	f, err := os.Open("../../capability/urbanism/testdata/real/cadastre/cadastre-69114-parcelles.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			ID       string
			Geometry struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.NewDecoder(z).Decode(&fc); err != nil {
		t.Fatal(err)
	}
	var out []orb.MultiPolygon
	for _, f := range fc.Features {
		var g orb.MultiPolygon
		switch f.Geometry.Type {
		case "Polygon":
			g = orb.MultiPolygon{nil}
			err = json.Unmarshal(f.Geometry.Coordinates, &g[0])
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &g)
		default:
			t.Fatalf("parcel %s: geometry %s", f.ID, f.Geometry.Type)
		}
		if err != nil {
			t.Fatalf("parcel %s: %v", f.ID, err)
		}
		out = append(out, g)
	}
	return out
}

// bound is the box holding every shape.
func bound(gs []orb.MultiPolygon) orb.Bound {
	b := gs[0].Bound()
	for _, g := range gs[1:] {
		b = b.Union(g.Bound())
	}
	return b
}
