package reliability

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentEdits: fifty clients edit the same finding at once, all
// from the version they read. Exactly one wins each round; the others get
// a conflict (409), never a lost update, a 5xx or SQLite's "database is
// locked"; the finding ends at the winner's title and version.
func TestConcurrentEdits(t *testing.T) {
	bin := binary(t)
	eachStore(t, func(t *testing.T, st store) {
		rounds := 5
		if soak() {
			rounds = 50
		}
		s := start(t, bin, st)
		c := login(t, s, "sifaju")
		in := newFinding("并发修改测试")
		in["unit_id"] = unitOf(t, c)
		code, body, err := c.do("POST", "/api/findings", in)
		var f finding
		if err != nil || code != http.StatusCreated || json.Unmarshal(body, &f) != nil {
			t.Fatalf("create: %d %s %v", code, body, err)
		}
		path := "/api/findings/" + strconv.FormatInt(f.ID, 10)
		won, conflicts := 0, 0
		for round := 1; round <= rounds; round++ {
			codes := make([]int, 50)
			titles := make([]string, 50)
			var wg sync.WaitGroup
			for w := range codes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					titles[w] = fmt.Sprintf("并发修改 第%d轮 客户端%d", round, w)
					code, body, err := c.do("PUT", path, map[string]any{"version": f.Version, "title": titles[w], "severity": "general"})
					if err != nil {
						t.Errorf("round %d client %d: %v", round, w, err)
					}
					if code >= 500 || strings.Contains(string(body), "locked") {
						t.Errorf("round %d client %d: %d %s", round, w, code, body)
					}
					codes[w] = code
				}()
			}
			wg.Wait()
			winner := -1
			for w, code := range codes {
				switch code {
				case http.StatusOK:
					if winner >= 0 {
						t.Errorf("round %d: clients %d and %d both saved from version %d (a lost update)", round, winner, w, f.Version)
					}
					winner = w
				case http.StatusConflict:
					conflicts++
				default:
					t.Errorf("round %d client %d: status %d", round, w, code)
				}
			}
			code, body, err := c.do("GET", path, nil)
			var now finding
			if err != nil || code != http.StatusOK || json.Unmarshal(body, &now) != nil {
				t.Fatalf("read back: %d %s %v", code, body, err)
			}
			// The server's own jobs (an overdue finding's escalation) may
			// move the version too: then everybody may have lost the race,
			// and the version may be past the winner's.
			if winner < 0 {
				if now.Version == f.Version {
					t.Fatalf("round %d: nobody saved and nobody else changed version %d", round, f.Version)
				}
				t.Logf("round %d: the server changed the finding first (v%d → v%d); again", round, f.Version, now.Version)
				f = now
				round--
				continue
			}
			won++
			if now.Title != titles[winner] || now.Version < f.Version+1 {
				t.Fatalf("round %d: finding is %q v%d, the winner wrote %q from v%d", round, now.Title, now.Version, titles[winner], f.Version)
			}
			f = now
		}
		fmt.Printf("RELIABILITY concurrent-edits %-8s %d 轮 × 50 个客户端同时修改同一条记录：每轮 1 个成功（共 %d），冲突 409 共 %d 个，5xx 0 个\n",
			st.name, rounds, won, conflicts)
	})
}
