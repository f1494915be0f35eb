package enforcement

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/testenv"

	"github.com/xuri/excelize/v2"
)

// importRow is row i of the generated register (clean: no rule hits).
func importRow(i int) []any {
	day := 1 + i%25
	return []any{fmt.Sprintf("PT-2026-%05d", i), "清河区市场监督管理局", "行政处罚", fmt.Sprintf("销售不合格商品（第%d号）", i), "法人或其他组织",
		fmt.Sprintf("清河商贸有限公司%d", i), "91110105MA01ABCD2X", "01088886666", "清河区商业街 1 号", "普通程序", "1200.50",
		"《产品质量法》第四十九条", "一般", "否", "否", "否", "", fmt.Sprintf("2026-03-%02d", day), "", "", "",
		fmt.Sprintf("2026-05-%02d", day), "", "", fmt.Sprintf("2026-05-%02d", day), "SJ-0001、SJ-0002"}
}

func workbook(t *testing.T, n int, edit func(i int, row []any)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", CaseSheet); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter(CaseSheet)
	if err != nil {
		t.Fatal(err)
	}
	head := make([]any, len(caseColumns))
	for i, c := range caseColumns {
		head[i] = c.header
	}
	if err := sw.SetRow("A1", head); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		row := importRow(i)
		if edit != nil {
			edit(i, row)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// 10,000 cases with three bad rows: each reported by sheet, row, column and
// reason and nothing written; the fixed file imports in full; re-sending
// the cases through the platform API creates no duplicates.
func TestImportTenThousandCases(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000-row import")
	}
	each(t, func(t *testing.T, f *fixture) {
		// 10,000 rows on SQLite; on PostgreSQL 2,000 (the same path, row
		// by row over the network: 10,000 took six minutes on the shared
		// machine) unless FAZHI_ENFORCEMENT_FULL is set.
		n := 10000
		if f.d.Dialect() == db.Postgres && testenv.EnforcementFull == "" {
			n = 2000
		}
		badRows := []int{n * 12 / 100, n / 2, n - 1}
		bad := workbook(t, n, func(i int, row []any) {
			switch i {
			case badRows[0]:
				row[17] = "2026-02-30" // 立案日期 (column R)
			case badRows[1]:
				row[25] = "SJ-9999" // unknown certificate (column Z)
			case badRows[2]:
				row[10] = "一千元" // amount (column K)
			}
		})
		t0 := time.Now()
		rep, err := f.s.ImportCases(f.clerk, bad, false)
		t.Logf("bad import %v", time.Since(t0))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != n || rep.Created != 0 || len(rep.Problems) != 3 {
			t.Fatalf("report rows=%d created=%d problems=%+v", rep.Rows, rep.Created, rep.Problems)
		}
		want := []ImportProblem{
			{CaseSheet, badRows[0] + 1, "R（立案日期）", "格式"},
			{CaseSheet, badRows[1] + 1, "Z（执法人员执法证号）", "SJ-9999"},
			{CaseSheet, badRows[2] + 1, "K（罚没金额（元））", "罚没金额"},
		}
		for i, w := range want {
			p := rep.Problems[i]
			if p.Sheet != w.Sheet || p.Row != w.Row || p.Column != w.Column || !strings.Contains(p.Reason, w.Reason) {
				t.Errorf("problem %d = %+v, want %+v", i, p, w)
			}
		}
		if c := f.count("SELECT COUNT(*) FROM enforcement_cases"); c != 0 {
			t.Fatalf("a bad batch wrote %d cases", c)
		}
		good := workbook(t, n, nil)
		t0 = time.Now()
		if rep, err = f.s.ImportCases(f.clerk, good, false); err != nil || rep.Created != n || len(rep.Problems) != 0 {
			t.Fatalf("fixed file: %+v %v", rep, err)
		}
		t.Logf("good import %v", time.Since(t0))
		t0 = time.Now()
		if c := f.count("SELECT COUNT(*) FROM enforcement_cases WHERE source = 'import'"); c != n {
			t.Fatalf("imported %d", c)
		}
		if h := f.count("SELECT COUNT(*) FROM enforcement_rule_hits"); h != 0 {
			t.Fatalf("clean rows raised %d hits", h)
		}
		// The same file again: every row is already registered.
		if rep, err = f.s.ImportCases(f.clerk, good, true); err != nil || len(rep.Problems) != n {
			t.Fatalf("re-import: %d problems %v", len(rep.Problems), err)
		}

		t.Logf("re-import check %v", time.Since(t0))
		t0 = time.Now()
		defer func() { t.Logf("push %v", time.Since(t0)) }()
		// The platform re-sends the whole register in batches.
		tok, err := f.s.CreateToken(f.admin, TokenInput{Name: "省行政执法综合管理平台"})
		if err != nil {
			t.Fatal(err)
		}
		unchanged := 0
		for from := 1; from <= n; from += maxPushBatch {
			var batch []CaseInput
			for i := from; i < from+maxPushBatch && i <= n; i++ {
				batch = append(batch, pushInput(importRow(i)))
			}
			r, err := f.s.Push(context.Background(), "Bearer "+tok.Token, batch)
			if err != nil || r.Invalid != 0 || r.Created != 0 {
				t.Fatalf("push from %d: %+v %v", from, r, err)
			}
			unchanged += r.Unchanged
		}
		if unchanged != n || f.count("SELECT COUNT(*) FROM enforcement_cases") != n {
			t.Fatalf("re-send: unchanged %d, cases %d", unchanged, f.count("SELECT COUNT(*) FROM enforcement_cases"))
		}
	})
}

// pushInput is an import row as the platform sends it.
func pushInput(row []any) CaseInput {
	s := func(i int) string { return row[i].(string) }
	fen, _ := parseYuan(s(10))
	return CaseInput{PlatformNo: s(0), BodyName: s(1), Kind: s(2), Title: s(3), PartyType: s(4), PartyName: s(5), PartyIDNo: s(6),
		PartyPhone: s(7), PartyAddress: s(8), Procedure: s(9), AmountFen: fen, LegalBasis: s(11), DiscretionBand: s(12),
		FiledOn: s(17), DecidedOn: s(21), DisclosedOn: s(24), OfficerCertNos: strings.Split(s(25), "、")}
}

// The platform's credential: stored hashed, refused when missing, wrong or
// revoked; a push is idempotent by the platform's case number.
func TestPlatformPush(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		tok, err := f.s.CreateToken(f.admin, TokenInput{Name: "省行政执法综合管理平台"})
		if err != nil || !strings.HasPrefix(tok.Token, tokenPrefix) {
			t.Fatalf("token %+v %v", tok, err)
		}
		if f.count("SELECT COUNT(*) FROM enforcement_platform_tokens WHERE token_hash = ?", tok.Token) != 0 ||
			f.count("SELECT COUNT(*) FROM enforcement_platform_tokens WHERE token_hash = ?", hashToken(tok.Token)) != 1 {
			t.Fatal("token not stored as its hash")
		}
		if _, err := f.s.CreateToken(f.clerk, TokenInput{Name: "x"}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("clerk created a token: %v", err)
		}
		one := []CaseInput{pushInput(importRow(1))}
		for _, h := range []string{"", "Bearer ", "Bearer fzp_wrong", tok.Token} {
			if _, err := f.s.Push(context.Background(), h, one); !apperr.Is(err, apperr.Unauthenticated) {
				t.Fatalf("push with %q: %v", h, err)
			}
		}
		r, err := f.s.Push(context.Background(), "Bearer "+tok.Token, one)
		if err != nil || r.Created != 1 {
			t.Fatalf("first push %+v %v", r, err)
		}
		if r, err = f.s.Push(context.Background(), "Bearer "+tok.Token, one); err != nil || r.Unchanged != 1 || r.Created != 0 {
			t.Fatalf("re-send %+v %v", r, err)
		}
		changed := pushInput(importRow(1))
		changed.DisclosedOn = "2026-05-06"
		if r, err = f.s.Push(context.Background(), "Bearer "+tok.Token, []CaseInput{changed}); err != nil || r.Updated != 1 {
			t.Fatalf("changed re-send %+v %v", r, err)
		}
		if c := f.count("SELECT COUNT(*) FROM enforcement_cases WHERE platform_no = ?", "PT-2026-00001"); c != 1 {
			t.Fatalf("%d cases for one platform number", c)
		}
		// A batch with an invalid case writes nothing.
		bad := pushInput(importRow(2))
		bad.FiledOn = "2026-13-01"
		if r, err = f.s.Push(context.Background(), "Bearer "+tok.Token, []CaseInput{pushInput(importRow(3)), bad}); err != nil || r.Invalid != 1 ||
			!strings.Contains(strings.Join(r.Items[1].Errors, ""), "filed_on") {
			t.Fatalf("bad batch %+v %v", r, err)
		}
		if c := f.count("SELECT COUNT(*) FROM enforcement_cases"); c != 1 {
			t.Fatalf("bad batch wrote: %d cases", c)
		}
		if a := f.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'enforcement.case.%' AND actor_name LIKE '%省行政执法综合管理平台%'"); a != 2 {
			t.Fatalf("platform writes audited %d times, want 2 (create, update)", a)
		}
		if err := f.s.RevokeToken(f.admin, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Push(context.Background(), "Bearer "+tok.Token, one); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("revoked token accepted: %v", err)
		}
		_ = db.ListReq{}
	})
}
