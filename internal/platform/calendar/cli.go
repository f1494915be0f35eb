package calendar

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"fazhi/internal/platform/apperr"
)

const deadlineUsage = `用法：
  fazhi deadline --rule 规则名 --from YYYY-MM-DD [--db 数据库地址]
  fazhi deadline --rules

计算法定期限的截止日：第一行输出截止日（YYYY-MM-DD），其后是计算说明。
起算当日不计入。不加 --db 时使用程序内置的 2016–2026 年放假安排；
加 --db 时另外读取管理员在系统中录入的年份。

选项：
  --rule   期限规则名，例如 disclosure.reply（用 --rules 查看全部）
  --from   起算日期（触发事件发生之日），格式 YYYY-MM-DD
  --db     数据库地址（SQLite 文件路径或 postgres://…）
  --rules  列出全部期限规则及其计算方式
`

// DeadlineCommand implements `fazhi deadline`. It returns the process exit
// code: 0 on success, 2 for bad flags, an unknown rule or a bad date (with a
// Chinese message on stderr), 1 when the database years cannot be loaded.
// extraYears loads administrator-entered years from the database named by
// --db; it may be nil when the binary has no database support wired in.
func DeadlineCommand(args []string, stdout, stderr io.Writer, extraYears func(dsn string) ([]Year, error)) int {
	fs := flag.NewFlagSet("deadline", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the flag package's messages are English; ours are not
	rule := fs.String("rule", "", "")
	from := fs.String("from", "", "")
	dsn := fs.String("db", "", "")
	list := fs.Bool("rules", false, "")
	help := fs.Bool("help", false, "")
	fs.BoolVar(help, "h", false, "")
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "错误："+format+"\n\n", a...)
		fmt.Fprint(stderr, deadlineUsage)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return bad("%s", flagErrorZH(err))
	}
	if *help {
		fmt.Fprint(stdout, deadlineUsage)
		return 0
	}
	if fs.NArg() > 0 {
		return bad("多余的参数：%s", strings.Join(fs.Args(), " "))
	}
	reg := DefaultRegistry()
	if *list {
		for _, r := range reg.All() {
			kind := "期限"
			if r.Minimum {
				kind = "最短期限"
			}
			fmt.Fprintf(stdout, "%s\t%s：%s %s，%s。依据：%s\n", r.Name, r.Label, kind, r.Period, r.Period.Unit.Method(), r.Basis)
		}
		return 0
	}
	if *rule == "" {
		return bad("缺少 --rule（期限规则名）")
	}
	if *from == "" {
		return bad("缺少 --from（起算日期，格式 YYYY-MM-DD）")
	}
	r, err := reg.Get(*rule)
	if err != nil {
		return bad("没有名为“%s”的期限规则，可用 fazhi deadline --rules 查看全部规则", *rule)
	}
	start, err := ParseDate(*from)
	if err != nil {
		return bad("--from 日期“%s”无效，应为 YYYY-MM-DD 格式的真实日期", *from)
	}
	cal := Default()
	if *dsn != "" {
		if extraYears == nil {
			return bad("本程序未接入数据库，不能使用 --db")
		}
		years, err := extraYears(*dsn)
		if err != nil {
			fmt.Fprintf(stderr, "错误：无法从数据库读取放假安排：%s\n", userMessage(err))
			return 1
		}
		if cal, err = cal.WithYears(years...); err != nil {
			fmt.Fprintf(stderr, "错误：数据库中的放假安排有误：%s\n", userMessage(err))
			return 1
		}
	}
	var c Clock
	if err := c.Start(r, start); err != nil {
		return bad("%s", userMessage(err))
	}
	st, err := c.Status(cal)
	if err != nil {
		return bad("%s", userMessage(err))
	}
	text, err := c.Explain(cal)
	if err != nil {
		return bad("%s", userMessage(err))
	}
	fmt.Fprintln(stdout, st.Due)
	fmt.Fprintln(stdout, text)
	return 0
}

func userMessage(err error) string {
	if e := apperr.As(err); e != nil {
		return e.Message
	}
	return err.Error()
}

// flagErrorZH turns the flag package's English errors into Chinese.
func flagErrorZH(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return "不认识的选项 " + strings.TrimPrefix(msg, "flag provided but not defined: ")
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return "选项 " + strings.TrimPrefix(msg, "flag needs an argument: ") + " 需要一个值"
	case strings.HasPrefix(msg, "invalid boolean value"):
		return "选项的值应为 true 或 false：" + msg
	}
	return "参数有误：" + msg
}
