package main

import (
	"context"
	"fmt"
	"io"

	"fazhi/internal/app"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/db"
)

func init() {
	register(command{"audit", "审计日志：audit verify 校验哈希链是否完整", cmdAudit})
}

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "用法：fazhi audit verify --db …")
		return 2
	}
	var cfg app.Config
	fs := newFlags("audit verify", stderr)
	app.DBFlag(fs, &cfg)
	if ok, code := parse(fs, args[1:], stderr); !ok {
		return code
	}
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	defer d.Close()
	if dbv, binv, err := d.SchemaVersions(ctx); err != nil || dbv < binv {
		if _, err := d.Migrate(ctx); err != nil {
			return fail(stderr, "%v", err)
		}
	}
	res, err := audit.Verify(ctx, d)
	if err != nil {
		return fail(stderr, "读取审计日志失败：%v", err)
	}
	if res.Broken != nil {
		fmt.Fprintf(stderr, "审计日志已被篡改：%s\n", res.Broken.Error())
		fmt.Fprintf(stdout, "已校验 %d 条事件，发现断链。\n", res.Events)
		return 1
	}
	fmt.Fprintf(stdout, "审计日志完整：共 %d 条事件，哈希链校验通过。\n", res.Events)
	return 0
}
