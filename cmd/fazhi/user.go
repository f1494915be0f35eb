package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fazhi/internal/app"
	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
)

func init() {
	register(command{"user", "账号管理：user add 新建账号，user reset-password 重置密码", cmdUser})
}

func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "add" && args[0] != "reset-password") {
		fmt.Fprintln(stderr, "用法：fazhi user add --username U --password P --role R[,R…] [--unit 单位编码] [--name 姓名] --db …")
		fmt.Fprintln(stderr, "      fazhi user reset-password --username U --password P --db …")
		return 2
	}
	sub := args[0]
	var cfg app.Config
	var username, password, roles, unit, name string
	fs := newFlags("user "+sub, stderr)
	app.DBFlag(fs, &cfg)
	fs.StringVar(&username, "username", "", "用户名")
	fs.StringVar(&password, "password", "", "密码（至少 12 位，含大写、小写、数字、特殊字符中的三类）")
	if sub == "add" {
		fs.StringVar(&roles, "role", "", "角色，多个用逗号分隔："+strings.Join([]string{org.RoleSysadmin, org.RoleSecadmin, org.RoleAuditor, org.RoleSupervisor, org.RoleClerk, org.RoleHead, org.RoleLeader}, ","))
		fs.StringVar(&unit, "unit", "", "所属单位编码（默认为根单位）")
		fs.StringVar(&name, "name", "", "姓名（默认同用户名）")
	}
	if ok, code := parse(fs, args[1:], stderr); !ok {
		return code
	}
	if username == "" {
		return fail(stderr, "请用 --username 指定用户名")
	}
	if password == "" {
		return fail(stderr, "请用 --password 指定密码")
	}
	var roleList []string
	if sub == "add" {
		for _, r := range strings.Split(roles, ",") {
			if r = strings.TrimSpace(r); r != "" {
				roleList = append(roleList, r)
			}
		}
		if len(roleList) == 0 {
			return fail(stderr, "请用 --role 指定至少一个角色")
		}
		// 三员分立 before touching the database: the message is the same as the service's.
		if err := org.CheckSeparation(roleList); err != nil {
			return fail(stderr, "%s", msg(err))
		}
	}
	setupLogging("text", "error", stderr)
	a, err := app.New(ctx, cfg)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	defer a.Close()
	s := a.Org
	if sub == "add" {
		u, err := s.AddUserCLI(ctx, username, password, name, unit, roleList)
		if err != nil {
			return fail(stderr, "%s", msg(err))
		}
		fmt.Fprintf(stdout, "已创建账号 %s（%s，%s），角色：%s\n", u.Username, u.Name, u.Unit.Name, strings.Join(roleList, ","))
		return 0
	}
	if err := s.ResetPasswordCLI(ctx, username, password); err != nil {
		return fail(stderr, "%s", msg(err))
	}
	fmt.Fprintf(stdout, "已重置账号 %s 的密码，并解除锁定、结束其全部会话（%s）\n", username, dbLabel(cfg.DB))
	return 0
}

// msg renders an error for the terminal: the Chinese message of an apperr,
// the text of anything else.
func msg(err error) string {
	if e := apperr.As(err); e != nil && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
