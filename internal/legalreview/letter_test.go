package legalreview

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
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
			// Opened by the enforcement module from its case.
			KindEnforcement: "《中华人民共和国行政处罚法》第五十八条",
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
			submit := func() (*Review, error) { return f.svc.Submit(f.as(t, "clerk_zjj"), in, cs) }
			if k == KindEnforcement {
				in.SubjectType, in.SubjectID = EnforcementSubject, 7
				submit = func() (*Review, error) { return f.svc.Open(f.as(t, "clerk_zjj"), in) }
			}
			r, err := submit()
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

// TestLetterColophon: the opinion letter ends with the 版记 at the foot of
// its last page — 抄送 the requesting unit's parent body, printed (印发) by
// the reviewing body on the conclusion date.
func TestLetterColophon(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		var parent, reviewer string
		if err := d.QueryRow(context.Background(), `SELECT p.name FROM org_units c JOIN org_units p ON p.id = c.parent_id WHERE c.code = ?`, "QH109000").Scan(&parent); err != nil {
			t.Fatal(err)
		}
		r := f.open(t, OpenInput{Title: "清河区老旧小区改造三年行动方案"})
		f.pass(t, r.ID)
		f.at("2026-10-20")
		f.conclude(t, r.ID, ConclusionPassed)
		got, err := f.svc.Get(f.as(t, "sifaju"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(context.Background(), `SELECT name FROM org_units WHERE id = ?`, got.ReviewerUnitID).Scan(&reviewer); err != nil {
			t.Fatal(err)
		}
		b, _, err := f.svc.Letter(f.as(t, "sifaju"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := docx.Text(b)
		lines := strings.Split(strings.TrimSpace(text), "\n")
		if n := len(lines); n < 2 || lines[n-2] != "抄送："+parent+"。" || lines[n-1] != reviewer+"2026年10月20日印发" {
			t.Fatalf("letter does not end with the 版记 (抄送 %s, 印发 %s):\n%s", parent, reviewer, text)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			if zf.Name != "word/document.xml" {
				continue
			}
			rc, _ := zf.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			if !strings.Contains(string(x), `<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>`) {
				t.Error("the 版记 is not anchored to the foot of the page")
			}
		}
	})
}
