package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// finding is the part of a finding's answer the checks read.
type finding struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	Version int    `json:"version"`
}

func newFinding(title string) map[string]any {
	return map[string]any{"title": title, "source": "audit", "unit_id": 0, "severity": "general", "found_on": "2026-09-01"}
}

// unitOf finds the id of the demo's 区司法局 from the signed-in user.
func unitOf(t *testing.T, c *client) int64 {
	t.Helper()
	code, body, err := c.do("GET", "/api/auth/me", nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("me: %d %s %v", code, body, err)
	}
	var me struct {
		Unit struct {
			ID int64 `json:"id"`
		} `json:"unit"`
	}
	if err := json.Unmarshal(body, &me); err != nil || me.Unit.ID == 0 {
		t.Fatalf("me: %s %v", body, err)
	}
	return me.Unit.ID
}

// TestCrashWriters: fifty clients register findings; the server is killed
// with SIGKILL in the middle; after a restart every finding a client was
// told was created (201) is there with its audit event, the audit chain
// verifies and SQLite's integrity check passes. Three kills in a row.
func TestCrashWriters(t *testing.T) {
	bin := binary(t)
	eachStore(t, func(t *testing.T, st store) {
		rounds, run := 3, 2*time.Second
		if soak() {
			rounds, run = 5, 10*time.Second
		}
		acked := map[int64]string{}
		for round := 1; round <= rounds; round++ {
			s := start(t, bin, st)
			admin := login(t, s, "sifaju")
			unit := unitOf(t, admin)
			w := startWriters(admin, unit, 50, fmt.Sprintf("崩溃测试 第%d轮", round))
			time.Sleep(run)
			s.kill()
			got, sent, fivexx := w.stop()
			for id, title := range got {
				acked[id] = title
			}
			if fivexx != 0 {
				t.Errorf("round %d: %d answers 5xx before the kill:\n%s", round, fivexx, s.log.String())
			}
			t.Logf("round %d: %d requests sent, %d acknowledged so far", round, sent, len(acked))
		}
		// Restart once more and read every acknowledged finding back.
		s := start(t, bin, st)
		c := login(t, s, "sifaju")
		missing := checkPresent(t, c, acked)
		s.kill()
		d := open(t, st)
		integrity(t, d, st)
		ids := make([]string, 0, len(acked))
		for id := range acked {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		audited := 0
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			var n int
			q := "SELECT COUNT(DISTINCT object_id) FROM audit_events WHERE object_type = 'finding' AND action = 'finding.create' AND object_id IN (" +
				strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"
			if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			audited += n
		}
		if audited != len(acked) {
			t.Errorf("%d of %d acknowledged findings have their creation audit event", audited, len(acked))
		}
		auditVerify(t, bin, st)
		if len(acked) == 0 {
			t.Fatal("no write was acknowledged: the test proved nothing")
		}
		fmt.Printf("RELIABILITY crash-writers %-8s %d 次 SIGKILL，50 个并发写入者：确认写入 %d 条，重启后存在 %d 条、有审计事件 %d 条；审计链校验通过\n",
			st.name, rounds, len(acked), len(acked)-missing, audited)
	})
}

// writers are n clients registering findings as fast as they can, all in
// one session (logins are rate limited per account and address, as they
// should be), until stop.
type writers struct {
	mu           sync.Mutex
	acked        map[int64]string
	sent, fivexx atomic.Int64
	done         chan struct{}
	wg           sync.WaitGroup
}

func startWriters(c *client, unit int64, n int, tag string) *writers {
	w := &writers{acked: map[int64]string{}, done: make(chan struct{})}
	for k := 0; k < n; k++ {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-w.done:
					return
				default:
				}
				title := fmt.Sprintf("%s 写入者%d 第%d条", tag, k, i)
				in := newFinding(title)
				in["unit_id"] = unit
				w.sent.Add(1)
				code, body, err := c.do("POST", "/api/findings", in)
				if err != nil {
					return // the server died under us: not acknowledged
				}
				if code >= 500 {
					w.fivexx.Add(1)
				}
				var f finding
				if code == http.StatusCreated && json.Unmarshal(body, &f) == nil && f.ID > 0 {
					w.mu.Lock()
					w.acked[f.ID] = title
					w.mu.Unlock()
				}
			}
		}()
	}
	return w
}

// snapshot copies what has been acknowledged so far.
func (w *writers) snapshot() map[int64]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.acked)
}

// stop ends the writers and returns what was acknowledged, how many
// requests were sent and how many were answered 5xx.
func (w *writers) stop() (map[int64]string, int64, int64) {
	close(w.done)
	w.wg.Wait()
	return w.snapshot(), w.sent.Load(), w.fivexx.Load()
}

// checkPresent reads every acknowledged finding back through the API and
// returns how many are missing (reporting the first few).
func checkPresent(t *testing.T, c *client, acked map[int64]string) int {
	t.Helper()
	missing := 0
	for id, title := range acked {
		code, body, err := c.do("GET", "/api/findings/"+strconv.FormatInt(id, 10), nil)
		var f finding
		if err != nil || code != http.StatusOK || json.Unmarshal(body, &f) != nil || f.Title != title {
			missing++
			if missing < 5 {
				t.Errorf("acknowledged finding %d (%s): %d %.200s %v", id, title, code, body, err)
			}
		}
	}
	return missing
}

// importBook is a findings workbook of n rows titled with tag.
func importBook(t *testing.T, tag string, n int, unit string) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "问题台账"
	x.SetSheetName("Sheet1", sheet)
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		t.Fatal(err)
	}
	_ = sw.SetRow("A1", []any{"问题标题*", "问题描述", "问题来源*", "来源编号", "责任单位*", "严重程度*", "发现日期*"})
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{fmt.Sprintf("%s 第%d行", tag, i+1), "导入崩溃测试", "审计", "", unit, "一般", "2026-09-01"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// countTitled counts findings whose title starts with tag.
func countTitled(t *testing.T, st store, tag string) int {
	t.Helper()
	d := open(t, st)
	defer d.Close()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM findings WHERE title LIKE ?", tag+" %").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCrashImport: an import of 5,000 findings is killed part way (at a
// quarter, half and three quarters of the time a whole import takes); after
// each restart the batch is wholly present or wholly absent, never half.
func TestCrashImport(t *testing.T) {
	bin := binary(t)
	eachStore(t, func(t *testing.T, st store) {
		const n = 5000
		s := start(t, bin, st)
		c := login(t, s, "sifaju")
		// A whole import first: its duration places the kills.
		t0 := time.Now()
		code, body, err := c.do("POST", "/api/findings/import", importBook(t, "导入基准", n, "区司法局"))
		whole := time.Since(t0)
		if err != nil || code != http.StatusOK {
			t.Fatalf("import: %d %.300s %v", code, body, err)
		}
		s.kill()
		if got := countTitled(t, st, "导入基准"); got != n {
			t.Fatalf("whole import: %d of %d rows", got, n)
		}
		fractions := []float64{0.25, 0.5, 0.75, 0.95}
		if soak() {
			fractions = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}
		}
		var outcomes []string
		for i, f := range fractions {
			tag := fmt.Sprintf("导入崩溃%d", i)
			book := importBook(t, tag, n, "区司法局")
			s := start(t, bin, st)
			c := login(t, s, "sifaju")
			done := make(chan int, 1)
			go func() {
				code, _, _ := c.do("POST", "/api/findings/import", book)
				done <- code
			}()
			time.Sleep(time.Duration(float64(whole) * f))
			s.kill()
			answered := <-done
			got := countTitled(t, st, tag)
			switch {
			case got == n:
				outcomes = append(outcomes, fmt.Sprintf("%.0f%%：全部写入（回答 %d）", f*100, answered))
			case got == 0:
				if answered == http.StatusOK {
					t.Errorf("kill at %.0f%%: the import was acknowledged but nothing is there", f*100)
				}
				outcomes = append(outcomes, fmt.Sprintf("%.0f%%：全部未写入", f*100))
			default:
				t.Errorf("kill at %.0f%%: %d of %d rows present (half an import)", f*100, got, n)
				outcomes = append(outcomes, fmt.Sprintf("%.0f%%：写入一半 %d 行", f*100, got))
			}
		}
		s = start(t, bin, st)
		s.kill()
		d := open(t, st)
		integrity(t, d, st)
		d.Close()
		auditVerify(t, bin, st)
		fmt.Printf("RELIABILITY crash-import %-8s %d 行导入（完整用时 %s）在不同时点 SIGKILL：%s\n", st.name, n, whole.Round(time.Millisecond), strings.Join(outcomes, "；"))
	})
}
