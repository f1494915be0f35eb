package calendar

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func runDeadline(args []string, extra func(string) ([]Year, error)) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = DeadlineCommand(args, &out, &errb, extra)
	return code, out.String(), errb.String()
}

func TestDeadlineCommand(t *testing.T) {
	code, out, errs := runDeadline([]string{"--rule", "disclosure.reply", "--from", "2026-09-28"}, nil)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || errs != "" || len(lines) != 2 || lines[0] != "2026-10-30" || !strings.Contains(lines[1], "国庆节假期顺延") {
		t.Errorf("code %d\nstdout %s\nstderr %s", code, out, errs)
	}

	code, out, _ = runDeadline([]string{"--rule=reconsideration.decide", "--from=2026-08-04"}, nil)
	if code != 0 || !strings.HasPrefix(out, "2026-10-08\n") {
		t.Errorf("reconsideration.decide: %d %s", code, out)
	}

	code, out, _ = runDeadline([]string{"--rules"}, nil)
	if n := strings.Count(out, "\n"); code != 0 || n != 23 || !strings.Contains(out, "reconsideration.decide\t") || !strings.Contains(out, "按工作日计算") {
		t.Errorf("--rules: code %d, %d lines\n%s", code, n, out)
	}

	code, out, _ = runDeadline([]string{"--rule", "disclosure.reply", "--from", "2026-12-20"}, nil)
	if code != 0 || !strings.HasPrefix(out, "2027-01-18\n") || !strings.Contains(out, "2027 年放假安排未发布，日期为暂定") {
		t.Errorf("provisional: %d %s", code, out)
	}
}

func TestDeadlineCommandErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{}, "缺少 --rule"},
		{[]string{"--rule", "disclosure.reply"}, "缺少 --from"},
		{[]string{"--rule", "disclosure.replyy", "--from", "2026-01-05"}, "没有名为“disclosure.replyy”的期限规则"},
		{[]string{"--rule", "disclosure.reply", "--from", "2026-02-30"}, "--from 日期“2026-02-30”无效"},
		{[]string{"--rule", "disclosure.reply", "--from", "2026/01/05"}, "--from 日期“2026/01/05”无效"},
		{[]string{"--bogus"}, "不认识的选项"},
		{[]string{"--rule"}, "需要一个值"},
		{[]string{"--rule", "disclosure.reply", "--from", "2026-01-05", "extra"}, "多余的参数"},
		{[]string{"--rule", "disclosure.reply", "--from", "2026-01-05", "--db", "x.db"}, "未接入数据库"},
	}
	for _, c := range cases {
		code, out, errs := runDeadline(c.args, nil)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) || !strings.Contains(errs, "用法") {
			t.Errorf("%v: code %d stdout %q stderr %q, want %q", c.args, code, out, errs, c.want)
		}
	}
}

func TestDeadlineCommandDatabaseYears(t *testing.T) {
	var gotDSN string
	extra := func(dsn string) ([]Year, error) {
		gotDSN = dsn
		return []Year{{Year: 2027, Source: "测试用 2027 年安排", Days: []Day{
			{MustDate("2027-01-01"), "元旦", true}, {MustDate("2027-01-04"), "元旦", true},
		}}}, nil
	}
	code, out, errs := runDeadline([]string{"--rule", "disclosure.reply", "--from", "2026-12-20", "--db", "data/fazhi.db"}, extra)
	if code != 0 || gotDSN != "data/fazhi.db" || !strings.HasPrefix(out, "2027-01-19\n") || strings.Contains(out, "暂定") {
		t.Errorf("with db years: code %d dsn %q\n%s%s", code, gotDSN, out, errs)
	}
	failing := func(string) ([]Year, error) { return nil, errors.New("connection refused") }
	code, _, errs = runDeadline([]string{"--rule", "disclosure.reply", "--from", "2026-12-20", "--db", "postgres://x"}, failing)
	if code != 1 || !strings.Contains(errs, "无法从数据库读取放假安排") {
		t.Errorf("db failure: code %d stderr %s", code, errs)
	}
	badYear := func(string) ([]Year, error) { return []Year{{Year: 2027, Source: "x"}}, nil }
	code, _, errs = runDeadline([]string{"--rule", "disclosure.reply", "--from", "2026-12-20", "--db", "x"}, badYear)
	if code != 1 || !strings.Contains(errs, "数据库中的放假安排有误") {
		t.Errorf("bad db year: code %d stderr %s", code, errs)
	}
}
