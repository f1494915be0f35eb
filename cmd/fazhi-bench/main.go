// Command fazhi-bench is the concurrent client of `make bench`
// (scripts/bench-records.sh): against a running `fazhi serve` on loopback
// loaded with `fazhi demo --records N`, it measures each request with a
// bounded number of concurrent users for a bounded time, and beside it a
// baseline measured in the same run straight on the database: the home
// page against the live counts its figures replaced, a list page (first and
// deep) against the raw query for that page, an export against a raw scan
// of the same rows. It prints a Markdown table; it never fails on time.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fazhi/internal/finding"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/xlsx"
)

type config struct {
	url, dsn, password string
	district, unitUser string
	conc               int
	dur                time.Duration
	max                int
	pid                int
	exportYear         int
	importRows         int
	only               string
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", "http://127.0.0.1:8080", "fazhi 服务地址")
	flag.StringVar(&c.dsn, "db", "", "同一数据库（用于基线查询）")
	flag.StringVar(&c.password, "password", "Fazhi@2026demo", "演示账号密码")
	flag.StringVar(&c.district, "district-user", "sifaju", "区级账号（全区范围）")
	flag.StringVar(&c.unitUser, "unit-user", "clerk_sj", "单位账号（本单位范围）")
	flag.IntVar(&c.conc, "c", 8, "并发用户数")
	flag.DurationVar(&c.dur, "d", 5*time.Second, "每项测量时长")
	flag.IntVar(&c.max, "n", 5000, "每项最多请求数")
	flag.IntVar(&c.pid, "pid", 0, "服务进程号（导出时采样内存）")
	flag.IntVar(&c.exportYear, "export-year", 0, "只导出该发现年度（0：全部）")
	flag.IntVar(&c.importRows, "import-rows", 5000, "导入测量的行数（问题台账一次最多 5000 行；0：不测）")
	flag.StringVar(&c.only, "only", "", "只测一项：import 或 cockpit")
	flag.Parse()
	if err := run(context.Background(), c); err != nil {
		fmt.Fprintln(os.Stderr, "错误：", err)
		os.Exit(1)
	}
}

// stats are the latencies of one measured case.
type stats struct {
	n             int
	p50, p95, p99 time.Duration
	errs          int64
}

func (s stats) String() string {
	return fmt.Sprintf("%d | %s | %s | %s", s.n, ms(s.p50), ms(s.p95), ms(s.p99))
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}

// measure runs fn from conc workers until dur has passed or max calls were
// made, and returns the latency percentiles.
func measure(conc int, dur time.Duration, max int, fn func() error) stats {
	var (
		mu    sync.Mutex
		lat   []time.Duration
		calls atomic.Int64
		errs  atomic.Int64
		wg    sync.WaitGroup
	)
	end := time.Now().Add(dur)
	for range conc {
		wg.Go(func() {
			for time.Now().Before(end) && calls.Add(1) <= int64(max) {
				t0 := time.Now()
				err := fn()
				d := time.Since(t0)
				if err != nil {
					if errs.Add(1) == 1 {
						fmt.Fprintln(os.Stderr, "  请求失败：", err)
					}
					continue
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	return stats{n: len(lat), p50: pct(0.50), p95: pct(0.95), p99: pct(0.99), errs: errs.Load()}
}

type client struct {
	base string
	hc   *http.Client
}

func login(base, user, password string) (*client, error) {
	jar, _ := cookiejar.New(nil)
	c := &client{base: base, hc: &http.Client{Jar: jar, Timeout: 10 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	req, _ := http.NewRequest("POST", base+"/api/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("登录 %s：%d %s", user, resp.StatusCode, b)
	}
	return c, nil
}

// get fetches path and discards the body, returning its size.
func (c *client) get(path string) (int64, error) {
	resp, err := c.hc.Get(c.base + path)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = fmt.Errorf("%s：HTTP %d", path, resp.StatusCode)
	}
	return n, err
}

// countSQL are the live counts the ledger's figures ran before they came
// from counters (finding.Figures before issue 11's aggregates): open,
// overdue, due in the period and closed on time in it.
var countSQL = []string{
	"SELECT COUNT(*) FROM findings f WHERE %s AND f.status <> 'closed'",
	"SELECT COUNT(*) FROM findings f WHERE %s AND f.status <> 'closed' AND f.rectify_due < ?",
	"SELECT COUNT(*) FROM findings f WHERE %s AND ((f.status = 'closed' AND f.closed_on >= ? AND f.closed_on <= ?) OR (f.status <> 'closed' AND f.rectify_due >= ? AND f.rectify_due <= ? AND f.rectify_due < ?))",
	"SELECT COUNT(*) FROM findings f WHERE %s AND f.status = 'closed' AND f.closed_on >= ? AND f.closed_on <= ? AND f.rectified_on IS NOT NULL AND f.rectified_on <= f.rectify_due",
}

const listCols = `f.id, f.code, f.title, f.source, f.unit_id, COALESCE(u.name, ''), f.severity, f.found_on, f.rectify_due, f.status, COALESCE(f.closed_on, '')`

func run(ctx context.Context, c config) error {
	d, err := db.Open(ctx, c.dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	dist, err := login(c.url, c.district, c.password)
	if err != nil {
		return err
	}
	unit, err := login(c.url, c.unitUser, c.password)
	if err != nil {
		return err
	}
	var unitPath string
	if err := d.QueryRow(ctx, "SELECT u.path FROM users s JOIN org_units u ON u.id = s.unit_id WHERE s.username = ?", c.unitUser).Scan(&unitPath); err != nil {
		return fmt.Errorf("单位账号 %s：%w", c.unitUser, err)
	}
	var rows, minID int64
	if err := d.QueryRow(ctx, "SELECT COUNT(*), COALESCE(MIN(id), 0) FROM findings").Scan(&rows, &minID); err != nil {
		return err
	}
	today := calendar.Today(time.Now())
	from, to := calendar.NewDate(today.Year, 1, 1).String(), calendar.NewDate(today.Year, 12, 31).String()
	direct := func(scope string, scopeArgs ...any) func() error {
		return func() error {
			for i, q := range countSQL {
				args := append([]any(nil), scopeArgs...)
				switch i {
				case 1:
					args = append(args, today.String())
				case 2:
					args = append(args, from, to, from, to, today.String())
				case 3:
					args = append(args, from, to)
				}
				var n int
				if err := d.QueryRow(ctx, fmt.Sprintf(q, scope), args...).Scan(&n); err != nil {
					return err
				}
			}
			return nil
		}
	}
	page := func(cl *client, path string) func() error {
		return func() error { _, err := cl.get(path); return err }
	}
	rawPage := func(where string, args ...any) func() error {
		return func() error {
			rs, err := d.Query(ctx, "SELECT "+listCols+" FROM findings f LEFT JOIN org_unit_refs u ON u.id = f.unit_id WHERE "+where+" ORDER BY f.id DESC LIMIT 21", args...)
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
			}
			return rs.Err()
		}
	}
	deepID := minID + 1000
	// As 下一页 sends it deep down a walk: with the total page 1 counted.
	deep := "/api/findings?after=" + db.WalkCursor(int(rows/20)-50, []any{deepID}, int(rows), rows > db.CountCap)

	if c.only == "import" {
		return importCase(ctx, c, d, dist)
	}
	if c.only == "cockpit" {
		return cockpitCase(ctx, c, dist, unit)
	}
	fmt.Printf("\n%d 条问题；%d 个并发用户，每项 %s 或 %d 次请求以内；今天 %s\n\n", rows, c.conc, c.dur, c.max, today)
	fmt.Println("| 测量项 | 请求数 | p50 | p95 | p99 | 基线（同一次运行） | 基线 p50 | 基线 p95 | p95 倍数（基线 ÷ 应用） |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	row := func(name string, app stats, baseName string, base stats) {
		ratio := "—"
		if app.p95 > 0 && base.n > 0 {
			ratio = strconv.FormatFloat(float64(base.p95)/float64(app.p95), 'f', 1, 64) + "×"
		}
		bp50, bp95 := "—", "—"
		if base.n > 0 {
			bp50, bp95 = ms(base.p50), ms(base.p95)
		}
		errs := ""
		if app.errs+base.errs > 0 {
			errs = fmt.Sprintf("（失败 %d）", app.errs+base.errs)
		}
		fmt.Printf("| %s%s | %s | %s | %s | %s | %s |\n", name, errs, app, baseName, bp50, bp95, ratio)
	}
	m := func(fn func() error) stats { return measure(c.conc, c.dur, c.max, fn) }
	row("工作台（区级 "+c.district+"）", m(page(dist, "/api/dashboard/summary")), "问题台账指标的直接计数（全区）", m(direct("1=1")))
	row("工作台（单位 "+c.unitUser+"）", m(page(unit, "/api/dashboard/summary")), "问题台账指标的直接计数（本单位）",
		m(direct("f.unit_id IN (SELECT u.id FROM org_units u WHERE u.path = ?)", unitPath)))
	if err := cockpitCase(ctx, c, dist, unit); err != nil {
		return err
	}
	fmt.Println()
	fmt.Println("| 测量项 | 请求数 | p50 | p95 | p99 | 基线（同一次运行） | 基线 p50 | 基线 p95 | p95 倍数（基线 ÷ 应用） |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	row("问题台账第 1 页（区级）", m(page(dist, "/api/findings")), "该页的原始查询", m(rawPage("1=1")))
	row(fmt.Sprintf("问题台账深页（游标，id < %d）", deepID), m(page(dist, deep)), "该页的原始查询", m(rawPage("f.id < ?", deepID)))
	row("问题台账第 1 页（超期未销号）", m(page(dist, "/api/findings?overdue=true")), "该页的原始查询", m(rawPage("f.status <> 'closed' AND f.rectify_due < ?", today.String())))

	// Export: one request, the server's resident memory sampled meanwhile,
	// against a raw scan of the same rows.
	path, where, args := "/api/findings/export.xlsx", "1=1", []any(nil)
	if c.exportYear > 0 {
		path += "?year=" + strconv.Itoa(c.exportYear)
		where, args = "f.found_on LIKE ?", []any{strconv.Itoa(c.exportYear) + "-%"}
	}
	var peak, peakAnon atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if kb := rssKB(c.pid); kb > peak.Load() {
				peak.Store(kb)
			}
			if kb := procStatusKB(c.pid, "RssAnon:"); kb > peakAnon.Load() {
				peakAnon.Store(kb)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	before := rssKB(c.pid)
	t0 := time.Now()
	size, err := dist.get(path)
	took := time.Since(t0)
	close(stop)
	<-sampled
	if err != nil {
		return fmt.Errorf("导出：%w", err)
	}
	t0 = time.Now()
	var n int64
	rs, err := d.Query(ctx, "SELECT "+listCols+", f.description, f.measures FROM findings f LEFT JOIN org_unit_refs u ON u.id = f.unit_id WHERE "+where+" ORDER BY f.id DESC", args...)
	if err != nil {
		return err
	}
	cols, _ := rs.Columns()
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(any)
	}
	for rs.Next() {
		if err := rs.Scan(vals...); err != nil {
			rs.Close()
			return err
		}
		n++
	}
	rs.Close()
	raw := time.Since(t0)
	fmt.Printf("| 导出 Excel（%s，%d 行，%.1f MB） | 1 | %.1f s | | | 同样行的原始扫描 | %.1f s | | %.1f× |\n",
		strings.TrimPrefix(path, "/api/findings/"), n, float64(size)/1e6, took.Seconds(), raw.Seconds(), took.Seconds()/max(raw.Seconds(), 0.001))
	if c.pid > 0 {
		fmt.Printf("\n导出期间服务进程常驻内存峰值 %.0f MB（导出前 %.0f MB），其中匿名内存（堆等，不含映射的数据库文件页）峰值 %.0f MB；导出速度 %.0f 行/秒\n",
			float64(peak.Load())/1024, float64(before)/1024, float64(peakAnon.Load())/1024, float64(n)/took.Seconds())
	}
	if c.importRows > 0 {
		return importCase(ctx, c, d, dist)
	}
	return nil
}

// rssKB reads a process's resident set size (VmRSS) in kB; 0 when unknown.
// It includes the pages of files the process maps (SQLite maps its database:
// mmap_size), which the kernel can drop at any time; RssAnon is the memory
// the process itself holds.
func rssKB(pid int) int64 { return procStatusKB(pid, "VmRSS:") }

// procStatusKB reads one kB field of /proc/<pid>/status; 0 when unknown.
func procStatusKB(pid int, field string) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb
		}
	}
	return 0
}

// importCase uploads one workbook of c.importRows findings through the
// import endpoint (one request: read, every row checked, written in one
// transaction with its audit event, reminder and escalation job), then
// loads the same rows with a raw batch insert (db.CopyIn) on the same
// database in the same run, and prints both rates. The raw rows are deleted
// afterwards (they bypass the counters).
func importCase(ctx context.Context, c config, d *db.DB, cl *client) error {
	n := c.importRows
	var unitName string
	var unitID int64
	if err := d.QueryRow(ctx, "SELECT u.id, u.name FROM users s JOIN org_units u ON u.id = s.unit_id WHERE s.username = ?", c.unitUser).Scan(&unitID, &unitName); err != nil {
		return err
	}
	found := calendar.Today(time.Now()).AddDays(-30).String()
	cols := []xlsx.Column{{Title: "问题标题"}, {Title: "问题描述"}, {Title: "问题来源"}, {Title: "来源编号"}, {Title: "责任单位"}, {Title: "严重程度"}, {Title: "发现日期"}}
	var raw [][]any
	wb, err := xlsx.Bytes(finding.SheetName, cols, func(add func(...any) error) error {
		for i := range n {
			src, sev := finding.Sources[i%len(finding.Sources)], finding.Severities[i%len(finding.Severities)]
			title := fmt.Sprintf("导入测量问题 %d：行政执法案卷未附送达回证", i+1)
			desc := "基准测试导入的问题描述，说明发现的情况、依据和整改要求。"
			ref := fmt.Sprintf("BENCH-%06d", i+1)
			if err := add(title, desc, src.Label, ref, unitName, sev.Label, found); err != nil {
				return err
			}
			raw = append(raw, []any{fmt.Sprintf("BENCHRAW-%06d", i+1), title, desc, src.Value, ref, unitID, sev.Value, found, found, "rectifying", time.Now().UTC(), time.Now().UTC()})
		}
		return nil
	})
	if err != nil {
		return err
	}
	req, _ := http.NewRequest("POST", cl.base+"/api/findings/import", bytes.NewReader(wb))
	req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	req.Header.Set("Origin", cl.base)
	t0 := time.Now()
	resp, err := cl.hc.Do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(t0)
	var rep finding.ImportReport
	if resp.StatusCode != 200 || json.Unmarshal(body, &rep) != nil || rep.Created != n {
		return fmt.Errorf("导入：%d %.300s", resp.StatusCode, body)
	}
	t0 = time.Now()
	if _, err := d.CopyIn(ctx, "findings", []string{"code", "title", "description", "source", "source_ref", "unit_id", "severity", "found_on", "rectify_due", "status", "created_at", "updated_at"},
		slices.Values(raw)); err != nil {
		return err
	}
	rawTook := time.Since(t0)
	if _, err := d.Exec(ctx, "DELETE FROM findings WHERE code LIKE 'BENCHRAW-%'"); err != nil {
		return err
	}
	fmt.Printf("\n| 导入 Excel（%d 行，%.1f MB，一次请求） | %.1f s，%.0f 行/秒 | 同样行的原始批量插入（db.CopyIn） | %.2f s，%.0f 行/秒 | 导入 ÷ 原始 %.2f |\n",
		n, float64(len(wb))/1e6, took.Seconds(), float64(n)/took.Seconds(), rawTook.Seconds(), float64(n)/rawTook.Seconds(), rawTook.Seconds()/took.Seconds())
	return nil
}
