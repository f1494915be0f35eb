package app

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"

	"fazhi/internal/platform/db/dbtest"
)

// Issue 10: an Excel import is held to its route's upload limit, not to
// the 1 MB JSON limit that used to apply first; JSON bodies keep theirs.
func TestUploadsHaveTheirOwnBodyLimit(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		h := demoApp(t, dsn).Handler()
		cookie := loginCookie(t, h, "sifaju")
		post := func(path, ctype string, body []byte) (int, string, string) {
			w := send(h, cookie, "POST", path, ctype, body)
			var e struct{ Code, Message string }
			_ = json.Unmarshal(w.Body.Bytes(), &e)
			return w.Code, e.Code, e.Message
		}
		noise := make([]byte, 2<<20)
		rand.Read(noise)
		const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		// 2 MB: over the JSON limit, under the import's 10 MB. It reaches the
		// reader, which says it is no workbook.
		for _, path := range []string{"/api/findings/import", "/api/org/import", "/api/normdocs/import"} {
			status, code, msg := post(path, xlsxType, noise)
			if status == 413 || code == "too_large" {
				t.Errorf("%s, 2 MB workbook: refused as too large (%s)", path, msg)
			}
		}
		// 11 MB: over the import limit, refused naming it.
		big := bytes.Repeat(noise, 6)[:11<<20]
		status, code, msg := post("/api/findings/import", xlsxType, big)
		if status != 413 || code != "too_large" || !strings.Contains(msg, "10 MB") {
			t.Errorf("11 MB workbook: %d %s %q, want 413 naming 10 MB", status, code, msg)
		}
		// A JSON body still stops at 1 MB.
		status, code, msg = post("/api/findings", "application/json", bytes.Repeat([]byte(" "), 2<<20))
		if status != 413 || code != "too_large" || !strings.Contains(msg, "1 MB") {
			t.Errorf("2 MB JSON: %d %s %q, want 413 naming 1 MB", status, code, msg)
		}
	})
}
