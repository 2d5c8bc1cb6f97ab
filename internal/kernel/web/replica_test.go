package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"guichet/internal/kernel/db"
)

// allowed reports whether a request's reads were allowed on the replica,
// by asking db the way a store's query would.
func allowedOn(t *testing.T, s *Server, req *http.Request) (bool, *httptest.ResponseRecorder) {
	t.Helper()
	var got bool
	rec := httptest.NewRecorder()
	s.readsFromReplica(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = db.ReplicaAllowedIn(r.Context())
	})).ServeHTTP(rec, req)
	return got, rec
}

func TestReadsGoToTheReplicaExceptJustAfterAWrite(t *testing.T) {
	t.Parallel()
	s := &Server{}
	if ok, _ := allowedOn(t, s, httptest.NewRequest("GET", "/", nil)); ok {
		t.Error("without a replica, a read was allowed on one")
	}
	s.UseReplica()
	if ok, _ := allowedOn(t, s, httptest.NewRequest("GET", "/", nil)); !ok {
		t.Error("a page read was not allowed on the replica")
	}
	ok, rec := allowedOn(t, s, httptest.NewRequest("POST", "/compte", nil))
	cookies := rec.Result().Cookies()
	if ok || len(cookies) != 1 || cookies[0].Name != WroteCookie || cookies[0].MaxAge != wroteFor || !cookies[0].HttpOnly {
		t.Fatalf("a form sent: allowed %v, cookies %v; want the primary and the write cookie", ok, cookies)
	}
	after := httptest.NewRequest("GET", "/compte", nil)
	after.AddCookie(cookies[0])
	if ok, _ := allowedOn(t, s, after); ok {
		t.Error("the page read just after a write was allowed on the replica")
	}
}
