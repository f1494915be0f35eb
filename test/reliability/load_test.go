package reliability

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMixedLoad: signed-in users (the 司法局, a department clerk, a leader,
// the head of the 司法局) read the home page, lists and the to-do centre and
// register findings, for a bounded time; no request may fail. It prints
// the count and the p50/p99 latencies. make test runs 20 users for 15 s;
// make soak runs 200 users for five minutes (the figure).
func TestMixedLoad(t *testing.T) {
	bin := binary(t)
	eachStore(t, func(t *testing.T, st store) {
		users, run := 20, 15*time.Second
		if soak() {
			users, run = 200, 5*time.Minute
		}
		s := start(t, bin, st)
		// One session per account, shared by that account's users (logins
		// are rate limited per account and address).
		accounts := []string{"sifaju", "clerk_sj", "leader", "head_sj"}
		sessions := map[string]*client{}
		for _, a := range accounts {
			sessions[a] = login(t, s, a)
		}
		unit := unitOf(t, sessions["sifaju"])
		reads := []string{"/api/dashboard/summary", "/api/findings?page=1&page_size=20", "/api/todo?size=20", "/api/normdocs?page=1&page_size=20",
			"/api/decisions?page=1&page_size=20", "/api/mediation/cases?page=1&page_size=20"}
		var mu sync.Mutex
		var lat []time.Duration
		byPath := map[string][]time.Duration{}
		failures := map[string]int{}
		writes := 0
		deadline := time.Now().Add(run)
		var wg sync.WaitGroup
		for u := 0; u < users; u++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				account := accounts[u%len(accounts)]
				c := sessions[account]
				r := rand.New(rand.NewPCG(uint64(u), 7))
				for i := 0; time.Now().Before(deadline); i++ {
					method, path, body := "GET", reads[r.IntN(len(reads))], any(nil)
					want := http.StatusOK
					if account == "sifaju" && r.IntN(5) == 0 {
						in := newFinding(fmt.Sprintf("负载测试 用户%d 第%d条", u, i))
						in["unit_id"] = unit
						method, path, body, want = "POST", "/api/findings", in, http.StatusCreated
					}
					t0 := time.Now()
					code, resp, err := c.do(method, path, body)
					d := time.Since(t0)
					mu.Lock()
					lat = append(lat, d)
					key, _, _ := strings.Cut(path, "?")
					byPath[method+" "+key] = append(byPath[method+" "+key], d)
					if err != nil || code != want {
						key := fmt.Sprintf("%s %s → %d %v %.120s", method, path, code, err, resp)
						failures[key]++
					} else if method == "POST" {
						writes++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		s.kill()
		for k, n := range failures {
			t.Errorf("%d × %s", n, k)
		}
		if len(lat) == 0 {
			t.Fatal("no request was made")
		}
		slices.Sort(lat)
		pct := func(p float64) time.Duration {
			return lat[min(len(lat)-1, int(float64(len(lat))*p))].Round(time.Millisecond)
		}
		errs := 0
		for _, n := range failures {
			errs += n
		}
		for _, k := range slices.Sorted(maps.Keys(byPath)) {
			l := byPath[k]
			slices.Sort(l)
			t.Logf("%-40s %5d 个  p50 %-8s p99 %s", k, len(l), l[len(l)/2].Round(time.Millisecond), l[min(len(l)-1, len(l)*99/100)].Round(time.Millisecond))
		}
		fmt.Printf("RELIABILITY load %-8s %d 个用户 %s：请求 %d 个（写入 %d），错误 %d 个；p50 %s，p99 %s，最慢 %s\n",
			st.name, users, run, len(lat), writes, errs, pct(0.50), pct(0.99), lat[len(lat)-1].Round(time.Millisecond))
	})
}
