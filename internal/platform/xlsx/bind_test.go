package xlsx

import (
	"fmt"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/option"
)

var testFields = []Field{
	{Key: "name", Header: "名称", Required: true, Max: 5},
	{Key: "day", Header: "日期", Required: true, Kind: DateCell},
	{Key: "amount", Header: "金额（元）", Kind: MoneyCell},
	{Key: "kind", Header: "类别", Kind: EnumCell, Options: []option.Option{{Value: "a", Label: "甲类"}, {Value: "b", Label: "乙类"}}},
	{Key: "count", Header: "次数", Kind: IntCell},
	{Key: "major", Header: "重大", Kind: BoolCell},
	{Key: "note", Header: "备注"},
}

func table(rows ...[]string) *Table { return &Table{Sheet: "台账", Rows: rows} }

// Each kind reads its forms and reports what it cannot read on its own
// column, once a cell: a module check refusing a cell the binder already
// reported adds nothing; a refusal naming an unbound field goes to the
// whole-row column.
func TestBinderReadsAndReports(t *testing.T) {
	tb := table(
		[]string{"备注", "名称*", "日期", "金额（元）", "类别", "次数", "重大", "无关"},
		[]string{"", "甲", "2026/3/5", "1,234.50元", "乙类", "3", "是"},
		[]string{"", "", "2026-13-45", "-1", "丙类", "2.5", "也许"},
		[]string{"", " ", "", "", "", "", ""},
		[]string{"说明", "名称过长的一行", "46000", "￥0.1", "a", "", "否"},
	)
	b, err := Bind(tb, testFields...)
	if err != nil {
		t.Fatal(err)
	}
	recs := b.Records()
	if len(recs) != 3 || recs[2].Num != 5 {
		t.Fatalf("records %d", len(recs))
	}
	r := recs[0]
	if r.Text("name") != "甲" || r.Date("day") != "2026-03-05" || r.Money("amount") != 123450 || r.Enum("kind") != "b" ||
		r.Int("count") != 3 || !r.Bool("major") || r.Text("note") != "" || r.Bad() {
		t.Fatalf("row 2 read wrong: %v", b.Problems().List())
	}
	r = recs[1]
	if r.Text("name") != "" || r.Date("day") != "" || r.Money("amount") != 0 || r.Enum("kind") != "" || r.Int("count") != 0 || r.Bool("major") {
		t.Fatal("row 3: unreadable cells must answer zero values")
	}
	// Problems are listed by row and column whatever the order found.
	// The module's own check refuses the date again and names a field the
	// binder does not know: the date is not repeated, the other goes to the row.
	r.Report(apperr.Fields{{Field: "day", Message: "日期不能为空"}, {Field: "unit", Message: "单位不对"}}.Err(), nil, "")
	r.Report(apperr.Fields{{Field: "when", Message: "别名字段"}}.Err(), map[string]string{"when": "note"}, "")
	r = recs[2]
	if r.Text("name") != "名称过长的一行" || r.Date("day") != "2025-12-09" || r.Money("amount") != 10 || r.Enum("kind") != "a" || r.Bool("major") {
		t.Fatalf("row 5 read wrong: %v", b.Problems().List())
	}
	var got []string
	for _, p := range b.List() {
		got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Reason))
	}
	want := []string{
		"3 A（备注） 别名字段",
		"3 B（名称） 名称不能为空",
		"3 C（日期） 日期格式应为 YYYY-MM-DD",
		"3 D（金额（元）） 金额（元）应为不小于 0 的金额（元，最多两位小数）",
		"3 E（类别） 类别应为：甲类、乙类",
		"3 F（次数） 次数应为不小于 0 的整数",
		"3 G（重大） 重大应填“是”或“否”",
		"3  单位不对",
		"5 B（名称） 名称不能超过 5 个字",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if b.Problems().BadRows() != 2 || b.Label("amount") != "D（金额（元））" || !b.Has("note") {
		t.Fatal("bad rows or labels")
	}
}

// A sheet without a required column, an empty sheet and one without data
// rows are refused on "file", naming the sheet and the missing columns.
func TestBinderRefusesSheets(t *testing.T) {
	for _, c := range []struct {
		tb   *Table
		want string
	}{
		{table(), "工作表「台账」是空的"},
		{table([]string{"名称", "金额（元）"}), "工作表「台账」第 1 行缺少列：日期（请使用导入模板）"},
		{table([]string{"名称", "日期"}, []string{"", " "}), "工作表「台账」没有数据行"},
	} {
		_, err := Bind(c.tb, testFields...)
		e := apperr.As(err)
		if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "file" || e.Fields[0].Message != c.want {
			t.Errorf("want %q, got %v", c.want, err)
		}
	}
	// An optional column absent from the sheet reads as blank.
	b, err := Bind(table([]string{"名称", "日期"}, []string{"乙", "2026-01-02"}), testFields...)
	if err != nil {
		t.Fatal(err)
	}
	r := b.Records()[0]
	if b.Has("amount") || r.Money("amount") != 0 || r.Enum("kind") != "" || r.Bad() || b.Label("kind") != "类别" {
		t.Fatal("an absent optional column")
	}
}

func TestParseYuan(t *testing.T) {
	for s, want := range map[string]int64{"0": 0, "12": 1200, "12.3": 1230, "1,000.05": 100005, "￥8.5": 850, "9元": 900, " 7.10 ": 710} {
		if got, ok := ParseYuan(s); !ok || got != want {
			t.Errorf("ParseYuan(%q) = %d %v, want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "-1", "1.234", "abc", "1e5", "Inf", "NaN", "0x10", "1_000", "99999999999999", "1\x00"} {
		if _, ok := ParseYuan(s); ok {
			t.Errorf("ParseYuan(%q) accepted", s)
		}
	}
}
