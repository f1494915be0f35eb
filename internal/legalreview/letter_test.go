package legalreview

import (
	"strings"
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/docx"
)

// TestLetterTextByKind: each kind of review cites its own legal basis, the
// chain's internal name never appears, and the conclusion is stated once.
func TestLetterTextByKind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		want := map[Kind]string{
			KindDecision: "《重大行政决策程序暂行条例》第二十五条至第二十八条",
			KindNormdoc:  "国办发〔2018〕115号",
			KindContract: "《中华人民共和国民法典》",
			KindPolicy:   "《公平竞争审查条例》",
		}
		stds, err := f.svc.Standards(f.as(t, "clerk_zjj"), true)
		if err != nil {
			t.Fatal(err)
		}
		var checks []CheckInput
		for _, s := range stds {
			checks = append(checks, CheckInput{StandardID: s.ID, Answer: AnswerComply})
		}
		for _, k := range Kinds {
			in := OpenInput{Kind: string(k), Title: "清河区" + k.Label() + "送审稿", UnitID: f.units["QH109000"]}
			var cs []CheckInput
			if k == KindPolicy {
				cs = checks
			}
			r, err := f.svc.Submit(f.as(t, "clerk_zjj"), in, cs)
			if err != nil {
				t.Fatalf("submit %s: %v", k, err)
			}
			f.pass(t, r.ID)
			if _, err := f.svc.Conclude(f.as(t, "sifaju"), r.ID, ConcludeInput{Conclusion: string(ConclusionPassed), Summary: "审查通过，同意按程序办理",
				EarlyReason: "测试：会议议程紧急", EarlyApprover: "司法局局长王建国", Version: f.ver(t, r.ID)}); err != nil {
				t.Fatalf("conclude %s: %v", k, err)
			}
			b, _, err := f.svc.Letter(f.as(t, "clerk_zjj"), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			text, _ := docx.Text(b)
			if !strings.Contains(text, want[k]) {
				t.Errorf("%s letter lacks %s:\n%s", k, want[k], text)
			}
			if k != KindDecision && strings.Contains(text, "重大行政决策程序暂行条例") {
				t.Errorf("%s letter cites the decision regulation:\n%s", k, text)
			}
			if strings.Contains(text, "三重审查") || strings.Contains(text, "合法性审查三重审查") {
				t.Errorf("%s letter leaks the chain name:\n%s", k, text)
			}
			if n := strings.Count(text, "审查通过"); n != 1 {
				t.Errorf("%s letter says 审查通过 %d times:\n%s", k, n, text)
			}
		}
	})
}
