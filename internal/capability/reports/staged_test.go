package reports_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"slices"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/photo/phototest"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/tokens"
)

// wide is a 1000×500 picture: its thumbnail is 480×240.
func wide() image.Image {
	m := image.NewRGBA(image.Rect(0, 0, 1000, 500))
	for i := range m.Pix {
		m.Pix[i] = byte(i)
	}
	return m
}

// wideJPEG is wide as a phone writes it, with a GPS position in its EXIF
// when gps is true.
func wideJPEG(gps bool, lat, lon float64) []byte {
	return phototest.JPEG(wide(), phototest.Tags{GPS: gps, Lat: lat, Lon: lon})
}

// stage stages raw in tenantID and fails the test on error.
func (e *env) stage(tenantID string, raw []byte) *reports.Staged {
	e.t.Helper()
	st, err := e.s.StagePhoto(e.ctx, tenantID, raw)
	if err != nil {
		e.t.Fatal(err, guichet.FieldErrors(err))
	}
	return st
}

// read returns what body holds, closing it.
func read(t *testing.T, body io.ReadCloser, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jpegSize returns a JPEG's dimensions, failing the test on anything else.
func jpegSize(t *testing.T, b []byte) (int, int) {
	t.Helper()
	c, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a JPEG (%v): %q…", err, b[:min(len(b), 16)])
	}
	return c.Width, c.Height
}

// near reports whether two coordinates agree to a centimetre or so.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-7 }

// gone counts the keys whose file is no longer stored.
func (e *env) gone(keys []string) int {
	e.t.Helper()
	n := 0
	for _, k := range keys {
		_, err := e.s.Files.Size(e.ctx, k)
		switch {
		case errors.Is(err, files.ErrNotFound):
			n++
		case err != nil:
			e.t.Fatal(err)
		}
	}
	return n
}

// stored returns the bytes the files of keys hold.
func (e *env) stored(keys []string) int64 {
	e.t.Helper()
	var total int64
	for _, k := range keys {
		n, err := e.s.Files.Size(e.ctx, k)
		if err != nil {
			e.t.Fatal(err)
		}
		total += n
	}
	return total
}

// keys returns the collectivité's file keys, failing the test on error.
func (e *env) keys(tenantID string) []string {
	e.t.Helper()
	keys, err := e.s.FileKeys(e.ctx, e.d, tenantID)
	if err != nil {
		e.t.Fatal(err)
	}
	return keys
}

// used returns the collectivité's bytes stored, failing the test on error.
func (e *env) used(tenantID string) int64 {
	e.t.Helper()
	n, err := e.s.StorageUsed(e.ctx, tenantID)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// count runs a COUNT query.
func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.QueryRow(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestStagedPhotos: a staged photo is prepared (EXIF position read,
// metadata gone, thumbnail made), previewed by its token in its
// collectivité only, counted in its storage and backup; a report sent
// with its tokens and no position takes the first located photo's
// position, and carries the photos in their order, clean, with their
// thumbnails, their files kept; a token used once is used up.
func TestStagedPhotos(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		lat, lon := north(150)
		located := wideJPEG(true, lat, lon)
		if !phototest.HasEXIF(located) {
			t.Fatal("the test photo carries no EXIF")
		}
		plain := e.stage(e.town, phototest.JPEG(phototest.Picture(), phototest.Tags{Orientation: 1}))
		st := e.stage(e.town, located)
		if len(st.Token) != 22 || st.Token == plain.Token || st.Width != 1000 || st.Height != 500 ||
			st.ThumbWidth != 480 || st.ThumbHeight != 240 || !st.HasPosition || !near(st.Lat, lat) || !near(st.Lon, lon) {
			t.Fatalf("staged: %+v", st)
		}
		if plain.HasPosition || plain.Width != phototest.Width || plain.ThumbWidth != phototest.Width {
			t.Fatalf("staged without a position: %+v", plain)
		}
		if got, err := e.s.StagedPhoto(e.ctx, e.town, st.Token); err != nil || *got != *st {
			t.Errorf("staged photo: %+v, %v", got, err)
		}
		preview, err := e.s.OpenStagedThumb(e.ctx, e.town, st.Token)
		thumb := read(t, preview, err)
		if w, h := jpegSize(t, thumb); w != 480 || h != 240 || phototest.HasEXIF(thumb) {
			t.Errorf("preview %d×%d, EXIF %v", w, h, phototest.HasEXIF(thumb))
		}
		if _, err := e.s.StagedPhoto(e.ctx, e.vill, st.Token); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the village reads the town's staged photo: %v", err)
		}
		if _, err := e.s.OpenStagedThumb(e.ctx, e.vill, st.Token); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the village previews the town's staged photo: %v", err)
		}
		keys, used := e.keys(e.town), e.used(e.town)
		if len(keys) != 4 || used != e.stored(keys) || len(e.keys(e.vill)) != 0 || e.used(e.vill) != 0 {
			t.Fatalf("staged files: %v, %d bytes", keys, used)
		}

		d := draft(c, 0, "camille@exemple.fr")
		d.Lat, d.Lon = 0, 0
		d.Staged = []string{plain.Token, st.Token, plain.Token}
		r, token := e.submit(e.town, d)
		if !near(r.Lat, lat) || !near(r.Lon, lon) {
			t.Errorf("the report is at %v, %v; the photo was taken at %v, %v", r.Lat, r.Lon, lat, lon)
		}
		if _, err := e.s.Confirm(e.ctx, e.town, token); err != nil {
			t.Fatal(err)
		}
		dt, err := e.s.PublicReport(e.ctx, e.town, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		ps := dt.Photos
		if len(ps) != 2 || ps[0].Width != phototest.Width || ps[1].Width != 1000 || !ps[1].HasPosition || ps[0].HasPosition ||
			ps[1].ThumbWidth != 480 || ps[1].ThumbHeight != 240 || ps[1].ContentType != "image/jpeg" {
			t.Fatalf("photos: %+v", ps)
		}
		p, body, err := e.s.OpenPhoto(e.ctx, e.town, r.ID, ps[1].ID)
		full := read(t, body, err)
		if w, h := jpegSize(t, full); w != 1000 || h != 500 || phototest.HasEXIF(full) || p.Size != int64(len(full)) {
			t.Errorf("photo %d×%d, %d bytes, EXIF %v", w, h, p.Size, phototest.HasEXIF(full))
		}
		p, body, err = e.s.OpenPhotoThumb(e.ctx, e.town, r.ID, ps[1].ID)
		if got := read(t, body, err); !bytes.Equal(got, thumb) || p.ThumbType() != "image/jpeg" {
			t.Errorf("the report's thumbnail is not the staged one (%d bytes, %s)", len(got), p.ThumbType())
		}
		if _, _, err := e.s.OpenPhotoThumb(e.ctx, e.vill, r.ID, ps[1].ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the village opens the town's thumbnail: %v", err)
		}
		if after := e.keys(e.town); !slices.Equal(after, keys) || e.used(e.town) != used || e.gone(keys) != 0 {
			t.Errorf("files after sending: %v (before %v), %d bytes (before %d)", after, keys, e.used(e.town), used)
		}
		if n := e.count(`SELECT COUNT(*) FROM report_staged_photos`); n != 0 {
			t.Errorf("%d staged photos left", n)
		}
		if _, err := e.s.StagedPhoto(e.ctx, e.town, st.Token); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("a sent photo is still staged: %v", err)
		}
		again := draft(c, 0, "camille@exemple.fr")
		again.Staged = []string{st.Token}
		if _, _, err := e.s.Submit(e.ctx, e.town, again); guichet.FieldErrors(err)["photos"] == "" {
			t.Errorf("a token sent twice: %v", err)
		}

		// A draft placed on the map keeps its point.
		st = e.stage(e.town, located)
		placed := draft(c, 0, "dominique@exemple.fr")
		placed.Staged = []string{st.Token}
		if r, _ := e.submit(e.town, placed); r.Lat != centreLat || r.Lon != centreLon {
			t.Errorf("the draft's point moved to the photo's: %v, %v", r.Lat, r.Lon)
		}
	})
}

// TestStagedTokensRefused: a report is refused on its photos, and not
// recorded, when a token is of another collectivité, unknown, malformed
// or older than StagedFor; a minute younger it is taken. Photos and
// staged photos count together against MaxPhotos.
func TestStagedTokensRefused(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "graffiti", "technique", "")
		raw := wideJPEG(false, 0, 0)
		village := e.stage(e.vill, raw)
		mine := e.stage(e.town, raw)
		start := e.clock()
		try := func(name string, list ...string) {
			t.Helper()
			d := draft(c, 0, "camille@exemple.fr")
			d.Staged = list
			_, _, err := e.s.Submit(e.ctx, e.town, d)
			if msg := guichet.FieldErrors(err)["photos"]; msg == "" {
				t.Errorf("%s: %v", name, err)
			}
		}
		try("another collectivité's", mine.Token, village.Token)
		try("unknown", tokens.New(16))
		try("malformed", "../../etc/passwd")
		try("too many", mine.Token, tokens.New(16), tokens.New(16), tokens.New(16))
		d := draft(c, 0, "camille@exemple.fr")
		d.Photos = []reports.PhotoUpload{photo("1"), photo("2"), photo("3")}
		d.Staged = []string{mine.Token}
		if _, _, err := e.s.Submit(e.ctx, e.town, d); guichet.FieldErrors(err)["photos"] != "Joignez 3 photos au plus." {
			t.Errorf("three photos and a staged one: %v", guichet.FieldErrors(err))
		}
		if n := e.count(`SELECT COUNT(*) FROM reports`); n != 0 {
			t.Fatalf("%d reports recorded", n)
		}
		if _, err := e.s.StagedPhoto(e.ctx, e.vill, village.Token); err != nil {
			t.Errorf("the village's photo after the town's attempt: %v", err)
		}

		e.set(start.Add(reports.StagedFor - time.Minute))
		young := draft(c, 0, "camille@exemple.fr")
		young.Staged = []string{mine.Token}
		if r, _ := e.submit(e.town, young); r == nil {
			t.Fatal("no report")
		}
		old := e.stage(e.town, raw)
		e.set(e.clock().Add(reports.StagedFor + time.Minute))
		try("expired", old.Token)
		if _, err := e.s.StagedPhoto(e.ctx, e.town, old.Token); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("an expired photo is shown: %v", err)
		}
		if _, err := e.s.OpenStagedThumb(e.ctx, e.town, old.Token); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("an expired photo is previewed: %v", err)
		}
	})
}

// TestStagedPhotoSentOnce: two reports sent at once with the same
// staged photo: one takes it, the other is refused on its photos.
func TestStagedPhotoSentOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "mobilier", "technique", "")
		st := e.stage(e.town, wideJPEG(false, 0, 0))
		errs := make(chan error, 2)
		for _, addr := range []string{"a@exemple.fr", "b@exemple.fr"} {
			go func() {
				d := draft(c, 0, addr)
				d.Staged = []string{st.Token}
				_, _, err := e.s.Submit(e.ctx, e.town, d)
				errs <- err
			}()
		}
		refused := 0
		for range 2 {
			err := <-errs
			if guichet.FieldErrors(err)["photos"] != "" {
				refused++
			} else if err != nil {
				t.Error(err)
			}
		}
		if refused != 1 || e.count(`SELECT COUNT(*) FROM reports`) != 1 || e.count(`SELECT COUNT(*) FROM report_photos`) != 1 {
			t.Errorf("%d refused, %d reports", refused, e.count(`SELECT COUNT(*) FROM reports`))
		}
	})
}

// TestStagedRetention: photos staged StagedFor ago go with their files
// at the retention's run; younger ones and the reports' photos stay.
func TestStagedRetention(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "eclairage", "technique", "")
		start := e.clock()
		raw := wideJPEG(false, 0, 0)
		sent := e.stage(e.town, raw)
		d := draft(c, 0, "camille@exemple.fr")
		d.Staged = []string{sent.Token}
		e.submit(e.town, d)
		reportKeys := e.keys(e.town)
		old := e.stage(e.town, raw)
		oldKeys := without(e.keys(e.town), reportKeys)
		e.advance(time.Hour)
		young := e.stage(e.vill, raw)
		youngKeys := e.keys(e.vill)
		if len(oldKeys) != 2 || len(youngKeys) != 2 || e.gone(append(oldKeys, youngKeys...)) != 0 {
			t.Fatalf("staged files: %v, %v", oldKeys, youngKeys)
		}
		e.set(start.Add(reports.StagedFor - time.Minute))
		if n, err := e.s.PurgeStaged(e.ctx); n != 0 || err != nil {
			t.Errorf("a minute early: %d, %v", n, err)
		}
		e.set(start.Add(reports.StagedFor + time.Minute))
		if n, err := e.s.PurgeStaged(e.ctx); n != 1 || err != nil {
			t.Errorf("purged: %d, %v", n, err)
		}
		if e.gone(oldKeys) != 2 || e.gone(youngKeys) != 0 || e.gone(reportKeys) != 0 {
			t.Errorf("files gone: old %d of 2, young %d, the report's %d", e.gone(oldKeys), e.gone(youngKeys), e.gone(reportKeys))
		}
		if _, err := e.s.StagedPhoto(e.ctx, e.town, old.Token); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("a purged photo: %v", err)
		}
		if _, err := e.s.StagedPhoto(e.ctx, e.vill, young.Token); err != nil {
			t.Errorf("the younger photo: %v", err)
		}
		if keys := e.keys(e.town); !slices.Equal(keys, reportKeys) {
			t.Errorf("the town's files after the purge: %v, want %v", keys, reportKeys)
		}
		e.set(start.Add(time.Hour + reports.StagedFor + time.Minute))
		if n, err := e.s.PurgeStaged(e.ctx); n != 1 || err != nil || e.gone(youngKeys) != 2 || e.used(e.vill) != 0 {
			t.Errorf("the younger one later: %d, %v", n, err)
		}
		var rule bool
		for _, r := range e.s.RetentionRules() {
			rule = rule || r.Key == "reports.staged_photos"
		}
		if !rule {
			t.Error("no retention rule for staged photos")
		}
	})
}

// without returns the keys of list not in drop.
func without(list, drop []string) []string {
	var out []string
	for _, k := range list {
		if !slices.Contains(drop, k) {
			out = append(out, k)
		}
	}
	return out
}

// TestStagingRefused: a full quota refuses a photo before it is
// prepared, and a file that is no photo is refused on the photo field;
// neither leaves a row or a file.
func TestStagingRefused(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		full := guichet.Errorf(guichet.ETooLarge, "L'espace de stockage est plein.")
		e.s.CheckStorage = func(_ context.Context, tenantID string) error {
			if tenantID == e.town {
				return full
			}
			return nil
		}
		if _, err := e.s.StagePhoto(e.ctx, e.town, wideJPEG(false, 0, 0)); !errors.Is(err, full) {
			t.Errorf("a full quota: %v", err)
		}
		if _, err := e.s.StagePhoto(e.ctx, e.vill, []byte("pas une photo")); guichet.FieldErrors(err)["photo"] == "" {
			t.Errorf("a text file: %v", err)
		}
		if n := e.count(`SELECT COUNT(*) FROM report_staged_photos`); n != 0 || len(e.keys(e.town)) != 0 || len(e.keys(e.vill)) != 0 {
			t.Errorf("%d staged photos left", n)
		}
		var stored int
		for _, err := range e.s.Files.Keys(e.ctx) {
			if err != nil {
				t.Fatal(err)
			}
			stored++
		}
		if stored != 0 {
			t.Errorf("%d files stored", stored)
		}
	})
}

// TestUploadedPhotosGetThumbnails: a JPEG or PNG sent with a report
// gets a JPEG thumbnail; bytes the photo package cannot read get none,
// and the photo itself is served in its place. Deleting a photo, or the
// retention of an unconfirmed report, deletes its thumbnail too.
func TestUploadedPhotosGetThumbnails(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "proprete", "technique", "")
		var pngBody bytes.Buffer
		if err := png.Encode(&pngBody, wide()); err != nil {
			t.Fatal(err)
		}
		upload := func(ct string, body []byte) reports.PhotoUpload {
			return reports.PhotoUpload{ContentType: ct, Width: 1000, Height: 500, Body: bytes.NewReader(body)}
		}
		d := draft(c, 0, "camille@exemple.fr")
		d.AccountID, d.EmailVerified = "u-1", true
		d.Photos = []reports.PhotoUpload{upload("image/jpeg", wideJPEG(false, 0, 0)), upload("image/png", pngBody.Bytes()),
			upload("image/png", []byte("illisible"))}
		r, _ := e.submit(e.town, d)
		dt, err := e.s.PublicReport(e.ctx, e.town, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		ps := dt.Photos
		if len(ps) != 3 || ps[0].ThumbWidth != 480 || ps[1].ThumbHeight != 240 || ps[2].ThumbWidth != 1000 {
			t.Fatalf("photos: %+v", ps)
		}
		for _, p := range ps[:2] {
			got, body, err := e.s.OpenPhotoThumb(e.ctx, e.town, r.ID, p.ID)
			if w, h := jpegSize(t, read(t, body, err)); w != 480 || h != 240 || got.ThumbType() != "image/jpeg" {
				t.Errorf("thumbnail of a %s: %d×%d", p.ContentType, w, h)
			}
		}
		got, body, err := e.s.OpenPhotoThumb(e.ctx, e.town, r.ID, ps[2].ID)
		if b := read(t, body, err); string(b) != "illisible" || got.ThumbType() != "image/png" {
			t.Errorf("the unreadable photo's thumbnail: %q", b)
		}
		keys := e.keys(e.town)
		if len(keys) != 5 {
			t.Fatalf("files: %v", keys)
		}
		if used, sizes := e.used(e.town), e.stored(keys); used != sizes {
			t.Errorf("used %d, files hold %d", used, sizes)
		}
		if err := e.s.DeletePhoto(e.ctx, e.town, r.ID, ps[0].ID); err != nil {
			t.Fatal(err)
		}
		if e.gone(keys) != 2 || len(e.keys(e.town)) != 3 {
			t.Errorf("after deleting a photo: %d files gone", e.gone(keys))
		}

		pending := draft(c, 0, "invite@exemple.fr")
		pending.Photos = []reports.PhotoUpload{upload("image/jpeg", wideJPEG(false, 0, 0))}
		waiting, _ := e.submit(e.town, pending)
		if _, _, err := e.s.OpenPhotoThumb(e.ctx, e.town, waiting.ID, ps[1].ID); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("another report's photo by this one: %v", err)
		}
		var id string
		if err := e.d.QueryRow(e.ctx, `SELECT id FROM report_photos WHERE report_id = ?`, waiting.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.OpenPhotoThumb(e.ctx, e.town, waiting.ID, id); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the thumbnail of an unconfirmed report: %v", err)
		}
		waitingKeys := without(e.keys(e.town), keys)
		e.advance(time.Duration(reports.UnconfirmedDays)*24*time.Hour + time.Minute)
		if _, err := e.s.PurgeUnconfirmed(e.ctx); err != nil {
			t.Fatal(err)
		}
		if len(waitingKeys) != 2 || e.gone(waitingKeys) != 2 {
			t.Errorf("the unconfirmed report's files %v: %d gone", waitingKeys, e.gone(waitingKeys))
		}
	})
}
