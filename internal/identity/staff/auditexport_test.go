package staff_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet/internal/identity/staff"
)

// outsideHash recomputes an entry's hash from an export the way
// docs/AUDIT.md tells an outside reader to, without the package's code.
func outsideHash(v map[string]string) string {
	var b strings.Builder
	for _, f := range []string{"guichet-audit-v1", v["tenant_id"], v["seq"], v["id"], v["at"], v["actor_id"], v["actor"],
		v["action"], v["target"], v["ip"], v["user_agent"], v["prev_hash"]} {
		fmt.Fprintf(&b, "%d:%s,", len(f), f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

func outsideMAC(secretKey, hash string) string {
	k := sha256.Sum256([]byte("guichet/staff/audit\x00" + secretKey))
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte(hash))
	return hex.EncodeToString(m.Sum(nil))
}

// recordTricky writes entries whose fields need care in each format.
func (f *fixture) recordTricky(t *testing.T, tenantID string) {
	t.Helper()
	for _, target := range []string{"=HYPERLINK(\"http://evil.example\")", "'déjà cité'", "ligne 1\nligne 2, « guillemets »", "-1", ""} {
		if err := f.staff.RecordEntry(context.Background(), staff.Entry{TenantID: tenantID, ActorID: "u1",
			Actor: "agent@alpha.fr", Action: "test.export", Target: target, IP: "2001:db8::1", UserAgent: "Mozilla/5.0 <x>"}); err != nil {
			t.Fatal(err)
		}
	}
}

// Both exports carry every hashed field exactly: an outside reader
// recomputes each hash and link, and with the key each MAC.
func TestAuditExportsVerifyOutside(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.recordTricky(t, f.a.ID)
		f.chainOf(t, f.b.ID, 2)

		var jl bytes.Buffer
		if err := f.staff.WriteJSONL(ctx, &jl, f.a.ID); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(jl.String()), "\n")
		if len(lines) != 5 {
			t.Fatalf("JSON Lines export has %d lines, want 5:\n%s", len(lines), jl.String())
		}
		prev := ""
		for _, line := range lines {
			var raw map[string]any
			dec := json.NewDecoder(strings.NewReader(line))
			dec.UseNumber()
			if err := dec.Decode(&raw); err != nil {
				t.Fatal(err)
			}
			v := map[string]string{}
			for k, x := range raw {
				v[k] = fmt.Sprint(x)
			}
			if v["tenant_id"] != f.a.ID || v["prev_hash"] != prev || outsideHash(v) != v["hash"] || outsideMAC(testKey, v["hash"]) != v["mac"] {
				t.Fatalf("line does not verify from outside: %s", line)
			}
			prev = v["hash"]
		}

		var c bytes.Buffer
		if err := f.staff.WriteCSV(ctx, &c, f.a.ID); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(c.String(), ",=HYPERLINK") {
			t.Fatal("a formula reaches the CSV unescaped")
		}
		records, err := csv.NewReader(&c).ReadAll()
		if err != nil || len(records) != 6 || strings.Join(records[0], ",") != strings.Join(staff.ExportColumns, ",") {
			t.Fatalf("CSV export: %v, %d records, header %v", err, len(records), records[0])
		}
		prev = ""
		for _, rec := range records[1:] {
			v := map[string]string{}
			for i, col := range records[0] {
				v[col] = staff.CSVValue(rec[i])
			}
			if v["prev_hash"] != prev || outsideHash(v) != v["hash"] {
				t.Fatalf("CSV row does not verify from outside: %q", rec)
			}
			prev = v["hash"]
		}
	})
}

// VerifyExport checks a JSON Lines file with or without the key, and finds
// a changed line.
func TestAuditVerifyExport(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		f.recordTricky(t, f.a.ID)
		var jl bytes.Buffer
		if err := f.staff.WriteJSONL(context.Background(), &jl, f.a.ID); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{testKey, ""} {
			st, err := staff.VerifyExport(bytes.NewReader(jl.Bytes()), key)
			if err != nil || !st.Intact() || st.Entries != 5 {
				t.Fatalf("export with key %q: %+v, %v", key, st, err)
			}
		}
		st, err := staff.VerifyExport(bytes.NewReader(jl.Bytes()), "une-autre-clef-de-32-caracteres-ou-plus")
		if err != nil {
			t.Fatal(err)
		}
		wantBreak(t, st, 1, staff.BreakForged)
		changed := strings.Replace(jl.String(), `"target":"-1"`, `"target":"-2"`, 1)
		if st, err = staff.VerifyExport(strings.NewReader(changed), ""); err != nil {
			t.Fatal(err)
		}
		wantBreak(t, st, 4, staff.BreakChanged)
		lines := strings.SplitAfter(jl.String(), "\n")
		dropped := strings.Join(append(lines[:2:2], lines[3:]...), "")
		if st, err = staff.VerifyExport(strings.NewReader(dropped), ""); err != nil {
			t.Fatal(err)
		}
		wantBreak(t, st, 4, staff.BreakMissing)
	})
}

// The worked example of docs/AUDIT.md, checked also with an independent
// implementation, stays true.
func TestChainHashDocumentedExample(t *testing.T) {
	t.Parallel()
	e := &staff.Entry{TenantID: "7d0c2f0e-5d1a-4e8b-9a51-3f1f0c6b2a10", Seq: 42, ID: "0192f3a4-5b6c-7d8e-9f00-112233445566",
		At: time.Date(2026, 3, 2, 8, 15, 2, 123456000, time.UTC), ActorID: "5f3e2d1c-0b9a-4877-8665-544332211000",
		Actor: "agent@montclair.fr", Action: "procedure.case_viewed", Target: "3a8fc44a-ac83-464a-b805-8bad0ce6fcfb",
		IP: "192.0.2.7", UserAgent: "Firefox", PrevHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	const hash = "7fdb9eeca8c8dcd0ae54a84ff45a7d13c1368407639335463608954c03540601"
	if got := staff.ChainHash(e); got != hash {
		t.Fatalf("hash %s, the documentation says %s", got, hash)
	}
	outside := map[string]string{"tenant_id": e.TenantID, "seq": "42", "id": e.ID, "at": "2026-03-02T08:15:02.123456Z",
		"actor_id": e.ActorID, "actor": e.Actor, "action": e.Action, "target": e.Target, "ip": e.IP, "user_agent": e.UserAgent,
		"prev_hash": e.PrevHash}
	if got := outsideHash(outside); got != hash {
		t.Fatalf("recomputed from outside: %s, the documentation says %s", got, hash)
	}
	const mac = "764ab451ff3771b794c2c32fd7ddf02ab13abed975eb71332533ce9953bc12eb"
	if got := outsideMAC("an-example-secret-key-of-32-characters", hash); got != mac {
		t.Fatalf("MAC %s, the documentation says %s", got, mac)
	}
}
