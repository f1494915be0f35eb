package search_test

import (
	"context"
	"slices"
	"testing"
	"unicode/utf8"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/search"
)

func TestTokens(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"养老服务", []string{"养老", "老服", "服务"}},
		{"信访", []string{"信访"}},
		{"区", []string{"区"}},
		{"清河府规〔2026〕3号", []string{"清河", "河府", "府规", "2026", "3", "号"}},
		{"ISO9001 质量 Management", []string{"iso9001", "质量", "management"}},
		{"ＡＢＣ１２３", []string{"abc123"}},
		{"老年人 老年人", []string{"老年", "年人"}},
		{"  ，。！", nil},
	}
	for _, c := range cases {
		if got := search.Tokens(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParsePrefix(t *testing.T) {
	q := search.Parse("养 老人")
	if len(q.Terms) != 2 || !q.Terms[0].Prefix || q.Terms[1].Prefix || q.Terms[1].Text != "老人" {
		t.Fatalf("Parse = %+v", q)
	}
	if !search.Parse("，。").Empty() {
		t.Fatal("punctuation-only query should be empty")
	}
}

func TestIndexAndSearchBothDialects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		docs := map[int64]string{
			1: "清河区养老服务补贴管理办法 为规范养老服务补贴发放",
			2: "清河区信访工作规定（试行）",
			3: "清河区城市管理综合执法办法",
			4: "关于养老机构消防安全的通知 养老 养老",
		}
		for id, text := range docs {
			if err := search.Index(ctx, d, "doc", id, text); err != nil {
				t.Fatal(err)
			}
		}
		// Another kind with the same ids must not leak into results.
		if err := search.Index(ctx, d, "other", 3, "养老"); err != nil {
			t.Fatal(err)
		}
		ids := func(q string) []int64 {
			t.Helper()
			hits, err := search.Search(ctx, d, "doc", q, 10)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var out []int64
			for _, h := range hits {
				out = append(out, h.RefID)
			}
			slices.Sort(out)
			return out
		}
		if got := ids("养老"); !slices.Equal(got, []int64{1, 4}) {
			t.Errorf("养老 → %v, want [1 4]", got)
		}
		if got := ids("信访"); !slices.Equal(got, []int64{2}) {
			t.Errorf("信访 → %v, want [2]", got)
		}
		if got := ids("养老 补贴"); !slices.Equal(got, []int64{1}) {
			t.Errorf("养老 补贴 (AND) → %v, want [1]", got)
		}
		if got := ids("教育"); len(got) != 0 {
			t.Errorf("absent word 教育 → %v, want none", got)
		}
		if got := ids("执"); !slices.Equal(got, []int64{3}) {
			t.Errorf("single character 执 → %v, want [3]", got)
		}
		if got := ids("，"); len(got) != 0 {
			t.Errorf("empty query → %v", got)
		}
		// Re-indexing replaces the text; removing drops the record.
		if err := search.Index(ctx, d, "doc", 2, "清河区教育督导办法"); err != nil {
			t.Fatal(err)
		}
		if got := ids("信访"); len(got) != 0 {
			t.Errorf("after re-index 信访 → %v, want none", got)
		}
		if got := ids("教育"); !slices.Equal(got, []int64{2}) {
			t.Errorf("after re-index 教育 → %v, want [2]", got)
		}
		if err := search.Remove(ctx, d, "doc", 2); err != nil {
			t.Fatal(err)
		}
		if got := ids("教育"); len(got) != 0 {
			t.Errorf("after remove 教育 → %v, want none", got)
		}
		// Ranking: the document repeating 养老 more often ranks first.
		hits, err := search.Search(ctx, d, "doc", "养老", 10)
		if err != nil || len(hits) != 2 || hits[0].Score < hits[1].Score {
			t.Errorf("ranking: %+v %v", hits, err)
		}
	})
}

// FuzzTokens checks the tokenizer's invariants on any input: tokens are
// non-empty, unique, lowercase, free of separators, CJK tokens have one or
// two characters, every CJK bigram occurs in the text, and tokenizing the
// joined tokens again gives back the same set for pure-CJK bigram tokens.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"清河区养老服务补贴管理办法", "清河府规〔2026〕3号", "ISO 9001", "ＡＢＣ", "", "a，b。c", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := search.Tokens(s)
		seen := map[string]bool{}
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("empty token from %q", s)
			}
			if seen[tok] {
				t.Fatalf("duplicate token %q from %q", tok, s)
			}
			seen[tok] = true
			if !utf8.ValidString(tok) {
				t.Fatalf("invalid UTF-8 token %q", tok)
			}
			again := search.Tokens(tok)
			if len(again) != 1 || again[0] != tok {
				t.Fatalf("token %q is not stable: %q", tok, again)
			}
		}
		if !slices.Equal(toks, search.Tokens(s)) {
			t.Fatalf("not deterministic for %q", s)
		}
		q := search.Parse(s)
		if len(q.Terms) != len(toks) {
			t.Fatalf("Parse gives %d terms, Tokens %d", len(q.Terms), len(toks))
		}
	})
}
