package draw

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

const (
	seedA = "1f0e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"
	seedB = "2f0e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"
)

// sample is a small plan: two risk levels, five inspectors of three units,
// one declared relation.
func sample() Snapshot {
	s := Snapshot{Ref: "SJ-2026-001", Title: "2026 年度食品经营者双随机抽查", PerPick: 2, SameGroupExcluded: true,
		Strata: []Stratum{{Code: "low", Label: "低风险", Draw: 2}, {Code: "high", Label: "高风险", Draw: 1}}}
	for i, g := range []string{"南坪街道", "南坪街道", "花园路街道", "", "南坪街道", "花园路街道"} {
		st := "low"
		if i < 2 {
			st = "high"
		}
		s.Items = append(s.Items, Item{Key: fmt.Sprintf("91500108MA%08d", 600-i), Name: fmt.Sprintf("重庆某某餐饮有限公司%d", i), Stratum: st, Group: g})
	}
	for i, g := range []string{"南坪街道", "花园路街道", "区市场监管局", "区市场监管局", "南坪街道"} {
		s.Assignees = append(s.Assignees, Assignee{Key: fmt.Sprintf("EO-%04d", 10+i), Name: fmt.Sprintf("检查员%d", i), Group: g})
	}
	s.Exclusions = []Pair{{Assignee: "EO-0012", Item: s.Items[0].Key}}
	return s
}

// publish commits, reveals and draws like a plan does, returning the four files.
func publish(t *testing.T, s Snapshot, seed string) map[string][]byte {
	t.Helper()
	c, err := Commit(s, seed, "2026-03-02T01:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(c.Snapshot, seed)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"snapshot.json": c.Snapshot}
	for name, v := range map[string]any{"commitment.json": c.Commitment, "reveal.json": NewReveal(s.Ref, seed, "2026-03-02T02:00:00Z"), "result.json": res} {
		b, err := Encode(v)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	return files
}

func verify(t *testing.T, files map[string][]byte) []string {
	t.Helper()
	p, err := Classify(files)
	if err != nil {
		t.Fatal(err)
	}
	return Verify(p)
}

func wantProblem(t *testing.T, bad []string, part string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(b, part) {
			return
		}
	}
	t.Fatalf("want a problem mentioning %q, got %q", part, bad)
}

func TestPublishedDrawReproduced(t *testing.T) {
	files := publish(t, sample(), seedA)
	if bad := verify(t, files); len(bad) != 0 {
		t.Fatalf("a published draw does not verify: %q", bad)
	}
	var res Result
	if err := json.Unmarshal(files["result.json"], &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Picks) != 3 || res.Picks[0].Stratum != "high" || res.Picks[1].Stratum != "low" || res.Picks[2].Stratum != "low" {
		t.Fatalf("picks per stratum: %+v", res.Picks)
	}
	// Another seed draws something else (over a few seeds at least once).
	differs := false
	for _, seed := range []string{seedB, strings.Repeat("ab", 32), strings.Repeat("07", 32)} {
		other, err := Run(files["snapshot.json"], seed)
		if err != nil {
			t.Fatal(err)
		}
		if len(ComparePicks(res.Picks, other.Picks)) > 0 {
			differs = true
		}
	}
	if !differs {
		t.Fatal("the seed does not change the draw")
	}
}

func TestTamperedSnapshotDetected(t *testing.T) {
	files := publish(t, sample(), seedA)
	files["snapshot.json"] = bytes.Replace(files["snapshot.json"], []byte("重庆某某餐饮有限公司3"), []byte("重庆某某餐饮有限公司9"), 1)
	bad := verify(t, files)
	wantProblem(t, bad, "快照被改动")

	// A drawn entity removed from the pool and the commitment's snapshot
	// hash rewritten to match: the published result no longer comes out.
	files = publish(t, sample(), seedA)
	var s Snapshot
	var r Result
	if err := json.Unmarshal(files["snapshot.json"], &s); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(files["result.json"], &r)
	drawn := r.Picks[1].Item
	s.Items = slices.DeleteFunc(s.Items, func(it Item) bool { return it.Key == drawn })
	s.Normalize()
	forged, _ := Encode(s)
	files["snapshot.json"] = forged
	var c Commitment
	_ = json.Unmarshal(files["commitment.json"], &c)
	c.SnapshotSHA256 = SHA256Hex(forged)
	files["commitment.json"], _ = Encode(c)
	bad = verify(t, files)
	wantProblem(t, bad, "结果文件记载的快照哈希")
	wantProblem(t, bad, "第 2 项不一致")
}

func TestChangedSeedDetected(t *testing.T) {
	files := publish(t, sample(), seedA)
	files["reveal.json"], _ = Encode(NewReveal("SJ-2026-001", seedB, "2026-03-02T02:00:00Z"))
	wantProblem(t, verify(t, files), "种子被更换")

	// The seed changed and the commitment rewritten to it: the published
	// result no longer comes out.
	var c Commitment
	if err := json.Unmarshal(files["commitment.json"], &c); err != nil {
		t.Fatal(err)
	}
	c.SeedSHA256, _ = SeedCommitment(seedB)
	files["commitment.json"], _ = Encode(c)
	bad := verify(t, files)
	wantProblem(t, bad, "不一致")
	if !slices.ContainsFunc(bad, func(b string) bool {
		return strings.Contains(b, "项不一致") || strings.Contains(b, "承诺值与承诺文件")
	}) {
		t.Fatalf("a changed seed with a rewritten commitment passed: %q", bad)
	}
}

func TestReorderedPoolDetected(t *testing.T) {
	files := publish(t, sample(), seedA)
	var s Snapshot
	if err := json.Unmarshal(files["snapshot.json"], &s); err != nil {
		t.Fatal(err)
	}
	s.Items[0], s.Items[1] = s.Items[1], s.Items[0] // not Normalized again
	reordered, _ := Encode(s)
	files["snapshot.json"] = reordered
	bad := verify(t, files)
	wantProblem(t, bad, "快照被改动")
	wantProblem(t, bad, "未按标识严格升序")

	// Even with the snapshot hash in the commitment rewritten, the order check refuses it.
	var c Commitment
	_ = json.Unmarshal(files["commitment.json"], &c)
	c.SnapshotSHA256 = SHA256Hex(reordered)
	files["commitment.json"], _ = Encode(c)
	wantProblem(t, verify(t, files), "未按标识严格升序")

	// Reordered inspectors too.
	files = publish(t, sample(), seedA)
	_ = json.Unmarshal(files["snapshot.json"], &s)
	slices.Reverse(s.Assignees)
	files["snapshot.json"], _ = Encode(s)
	wantProblem(t, verify(t, files), "人员名录未按标识严格升序")
}

func TestChangedResultDetected(t *testing.T) {
	files := publish(t, sample(), seedA)
	var r Result
	_ = json.Unmarshal(files["result.json"], &r)
	r.Picks[0].Assignees[0], r.Picks[0].Assignees[1] = r.Picks[0].Assignees[1], r.Picks[0].Assignees[0]
	files["result.json"], _ = Encode(r)
	wantProblem(t, verify(t, files), "第 1 项不一致")
}

func TestNonCanonicalSnapshotRefused(t *testing.T) {
	c, err := Commit(sample(), seedA, "2026-03-02T01:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, c.Snapshot, "", " "); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseSnapshot(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "规范格式") {
		t.Fatalf("an indented snapshot was accepted: %v", err)
	}
	withField := bytes.Replace(c.Snapshot, []byte(`{"format"`), []byte(`{"extra":1,"format"`), 1)
	if _, err := ParseSnapshot(withField); err == nil {
		t.Fatal("an unknown field was accepted")
	}
	if _, err := Run(c.Snapshot, strings.ToUpper(seedA)); err == nil {
		t.Fatal("an upper-case seed was accepted (the commitment is over one spelling)")
	}
	if _, err := Run(c.Snapshot, seedA[:62]+"\x00\x00"); err == nil {
		t.Fatal("a seed with NUL bytes was accepted")
	}
}

func TestCommitRefusesShortfallAndBadKeys(t *testing.T) {
	s := sample()
	s.PerPick = 5 // 5 inspectors, but some are in conflict with every entity's unit
	if _, err := Commit(s, seedA, ""); err == nil || !strings.Contains(err.Error(), "不足") {
		t.Fatalf("a shortfall was committed: %v", err)
	}
	s = sample()
	s.Items[2].Key = "含中文"
	if _, err := Commit(s, seedA, ""); err == nil {
		t.Fatal("a non-ASCII key was accepted")
	}
	s = sample()
	s.Items[3].Key = s.Items[4].Key
	if _, err := Commit(s, seedA, ""); err == nil || !strings.Contains(err.Error(), "严格升序") {
		t.Fatalf("a duplicate key was accepted: %v", err)
	}
	s = sample()
	s.Strata[0].Draw = 9
	if _, err := Commit(s, seedA, ""); err == nil {
		t.Fatal("drawing more than the stratum holds was accepted")
	}
}

// TestDrawProperties: for random pools, every pick respects the quota, the
// conflicts and the number of assignees, and re-running gives the same.
func TestDrawProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		groups := []string{"", "A", "B", "C"}
		var s Snapshot
		s.Ref = "P"
		s.PerPick = rapid.IntRange(1, 3).Draw(t, "per")
		s.SameGroupExcluded = rapid.Bool().Draw(t, "same")
		nItems := rapid.IntRange(0, 30).Draw(t, "items")
		nPeople := rapid.IntRange(s.PerPick+3, 12).Draw(t, "people")
		for i := range nPeople {
			s.Assignees = append(s.Assignees, Assignee{Key: fmt.Sprintf("P%03d", i), Group: groups[rapid.IntRange(1, 3).Draw(t, "pg")]})
		}
		strata := []string{"h", "l", "m"}
		for _, st := range strata {
			s.Strata = append(s.Strata, Stratum{Code: st})
		}
		count := map[string]int{}
		for i := range nItems {
			st := strata[rapid.IntRange(0, 2).Draw(t, "st")]
			count[st]++
			s.Items = append(s.Items, Item{Key: fmt.Sprintf("E%03d", i), Stratum: st, Group: groups[rapid.IntRange(0, 3).Draw(t, "ig")]})
			if rapid.IntRange(0, 4).Draw(t, "rel") == 0 {
				s.Exclusions = append(s.Exclusions, Pair{Assignee: fmt.Sprintf("P%03d", rapid.IntRange(0, nPeople-1).Draw(t, "ra")), Item: fmt.Sprintf("E%03d", i)})
			}
		}
		for i := range s.Strata {
			s.Strata[i].Draw = rapid.IntRange(0, count[s.Strata[i].Code]).Draw(t, "draw")
		}
		seed := fmt.Sprintf("%064x", rapid.Uint64().Draw(t, "seed"))
		c, err := Commit(s, seed, "")
		if err != nil {
			if strings.Contains(err.Error(), "不足") {
				return
			}
			t.Fatal(err)
		}
		res, err := Run(c.Snapshot, seed)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := Run(c.Snapshot, seed)
		if len(ComparePicks(res.Picks, again.Picks)) > 0 {
			t.Fatal("not deterministic")
		}
		var snap Snapshot
		_ = json.Unmarshal(c.Snapshot, &snap)
		items := map[string]Item{}
		for _, it := range snap.Items {
			items[it.Key] = it
		}
		people := map[string]Assignee{}
		for _, a := range snap.Assignees {
			people[a.Key] = a
		}
		rel := map[Pair]bool{}
		for _, p := range snap.Exclusions {
			rel[p] = true
		}
		got := map[string]int{}
		seen := map[string]bool{}
		for _, p := range res.Picks {
			it := items[p.Item]
			if seen[p.Item] || it.Stratum != p.Stratum {
				t.Fatalf("item %s twice or in the wrong stratum", p.Item)
			}
			seen[p.Item] = true
			got[p.Stratum]++
			if len(p.Assignees) != snap.PerPick {
				t.Fatalf("%d assignees, want %d", len(p.Assignees), snap.PerPick)
			}
			dup := map[string]bool{}
			for _, k := range p.Assignees {
				a := people[k]
				if dup[k] || rel[Pair{Assignee: k, Item: p.Item}] || (snap.SameGroupExcluded && a.Group != "" && a.Group == it.Group) {
					t.Fatalf("assignee %s may not check %s", k, p.Item)
				}
				dup[k] = true
			}
		}
		for _, st := range snap.Strata {
			if got[st.Code] != st.Draw {
				t.Fatalf("stratum %s: %d drawn, want %d", st.Code, got[st.Code], st.Draw)
			}
		}
	})
}

// TestDrawIsUniform: over many seeds each of five entities is drawn about
// equally often (a biased intn or an off-by-one shuffle shows here).
func TestDrawIsUniform(t *testing.T) {
	s := Snapshot{Ref: "U", PerPick: 1, Strata: []Stratum{{Code: "x", Draw: 2}}, Assignees: []Assignee{{Key: "A"}}}
	for i := range 5 {
		s.Items = append(s.Items, Item{Key: fmt.Sprintf("E%d", i), Stratum: "x"})
	}
	c, err := Commit(s, seedA, "")
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]int{}
	const n = 5000
	for i := range n {
		res, err := Run(c.Snapshot, fmt.Sprintf("%064x", i))
		if err != nil {
			t.Fatal(err)
		}
		first[res.Picks[0].Item]++
	}
	for k, v := range first {
		if v < n/5-150 || v > n/5+150 { // ~4.7 standard deviations
			t.Fatalf("entity %s first in %d of %d draws: %v", k, v, n, first)
		}
	}
	if len(first) != 5 {
		t.Fatalf("not every entity can be drawn first: %v", first)
	}
}

// TestVector pins the algorithm: testdata/vector is shared with the web's
// JavaScript implementation (web/src/utils/draw.test.ts), so both must
// reproduce the same result from the same files. Regenerate with
// FAZHI_DRAW_VECTOR=1 only when the Format changes.
func TestVector(t *testing.T) {
	dir := "testdata/vector"
	if os.Getenv("FAZHI_DRAW_VECTOR") == "1" {
		files := publish(t, sample(), seedA)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			if err := os.WriteFile(dir+"/"+name, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files := map[string][]byte{}
	for _, name := range []string{"snapshot.json", "commitment.json", "reveal.json", "result.json"} {
		b, err := os.ReadFile(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	if bad := verify(t, files); len(bad) != 0 {
		t.Fatalf("the pinned vector no longer verifies (algorithm changed?): %q", bad)
	}
	if !bytes.Equal(files["snapshot.json"], publish(t, sample(), seedA)["snapshot.json"]) {
		t.Fatal("the canonical serialisation changed")
	}
}
