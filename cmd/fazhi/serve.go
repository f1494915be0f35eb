package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"fazhi/internal/app"
	"fazhi/internal/org"
	"fazhi/internal/platform/db"
	"fazhi/web"
)

func init() {
	register(command{"serve", "启动服务（API、前端页面、公众门户）", cmdServe})
	register(command{"migrate", "执行数据库迁移", cmdMigrate})
	register(command{"demo", "向空数据库载入虚构区县的演示数据", cmdDemo})
	register(command{"openapi", "输出 OpenAPI 3.1 文档（JSON）", cmdOpenAPI})
	register(command{"version", "显示版本", cmdVersion})
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg app.Config
	fs := newFlags("serve", stderr)
	app.ServeFlags(fs, &cfg)
	if ok, code := parse(fs, args, stderr); !ok {
		return code
	}
	if err := cfg.Normalize(); err != nil {
		return fail(stderr, "%v", err)
	}
	setupLogging(cfg.LogFormat, cfg.LogLevel, stderr)
	start := time.Now()
	// Bind first: a port in use should stop us before touching the database.
	// From here on the port answers 503 "正在启动" until the App is ready.
	front, err := app.Listen(cfg.Addr)
	if err != nil {
		return fail(stderr, "无法监听 %s：%v（端口是否已被占用？可用 --addr 指定其他端口）", cfg.Addr, err)
	}
	if cfg.DemoIfEmpty {
		fmt.Fprintln(stdout, "正在准备数据库（数据库为空时载入演示数据）……")
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		front.Close()
		return fail(stderr, "%v", err)
	}
	defer a.Close()
	switch {
	case a.DemoLoaded:
		fmt.Fprintln(stdout, "演示数据已载入：所有演示账号（含 sysadmin、secadmin、auditor）的密码均为 "+org.DemoPassword+"。")
	case cfg.DemoIfEmpty:
		for _, l := range a.HeldNotices() {
			slog.Warn(l)
		}
	}
	if !web.Built {
		slog.Warn("前端页面未嵌入（未使用 make build 构建），仅提供 API 与说明页")
	}
	slog.Info("fazhi 已就绪", "addr", "http://"+front.Addr().String(), "db", dbLabel(cfg.DB), "version", app.Version, "startup_ms", time.Since(start).Milliseconds())
	fmt.Fprintf(stdout, "fazhi 已启动：http://%s （就绪用时 %d 毫秒）\n", front.Addr().String(), time.Since(start).Milliseconds())
	if err := a.Serve(ctx, front); err != nil {
		return fail(stderr, "服务异常退出：%v", err)
	}
	slog.Info("fazhi 已停止")
	return 0
}

func dbLabel(dsn string) string {
	if db.IsPostgres(dsn) {
		return "postgres"
	}
	return dsn
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg app.Config
	fs := newFlags("migrate", stderr)
	app.DBFlag(fs, &cfg)
	if ok, code := parse(fs, args, stderr); !ok {
		return code
	}
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	defer d.Close()
	n, err := d.Migrate(ctx)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	v, _, _ := d.SchemaVersions(ctx)
	fmt.Fprintf(stdout, "迁移完成：本次执行 %d 个，当前结构版本 %d\n", n, v)
	return 0
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg app.Config
	var scale, records int
	var seed uint64
	fs := newFlags("demo", stderr)
	app.DBFlag(fs, &cfg)
	app.DataDirFlag(fs, &cfg, "附件与审计密钥目录（demo 写入的附件和首次生成的审计密钥放在这里），默认与 SQLite 文件同目录或 ./data")
	app.RuleFlags(fs, &cfg)
	fs.IntVar(&scale, "scale", 1, "数据量倍数（用于性能测试）")
	fs.IntVar(&records, "records", 0, "另外批量生成的每个台账记录数（如 1000000；目前为问题台账），分布在演示区县的各单位")
	fs.Uint64Var(&seed, "seed", 1, "批量生成的随机种子（相同种子生成相同数据）")
	if ok, code := parse(fs, args, stderr); !ok {
		return code
	}
	if scale < 1 || scale > 1000 {
		return fail(stderr, "--scale 应在 1 到 1000 之间")
	}
	if records < 0 || records > 50_000_000 {
		return fail(stderr, "--records 应在 0 到 50000000 之间")
	}
	setupLogging("text", "warn", stderr)
	a, err := app.New(ctx, cfg)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	defer a.Close()
	empty, err := a.IsEmpty(ctx)
	if err != nil {
		return fail(stderr, "检查数据库失败：%v", err)
	}
	if !empty {
		return fail(stderr, "数据库已有数据，演示数据只能载入空数据库（%s）", dbLabel(cfg.DB))
	}
	start := time.Now()
	if err := a.LoadDemo(ctx, scale); err != nil {
		return fail(stderr, "%v", err)
	}
	fmt.Fprintf(stdout, "演示数据已载入（倍数 %d，用时 %.1f 秒）。所有演示账号的密码均为 %s。\n", scale, time.Since(start).Seconds(), org.DemoPassword)
	if records > 0 {
		loaded, err := a.LoadRecords(ctx, records, seed)
		for _, l := range loaded {
			if l.Rows > 0 {
				fmt.Fprintf(stdout, "%s：批量生成 %d 条，用时 %.1f 秒（%.0f 条/秒）\n", l.Register, l.Rows, l.Took.Seconds(), float64(l.Rows)/l.Took.Seconds())
			} else {
				fmt.Fprintf(stdout, "%s：用时 %.1f 秒\n", l.Register, l.Took.Seconds())
			}
		}
		if err != nil {
			return fail(stderr, "%v", err)
		}
	}
	return 0
}

func cmdOpenAPI(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("openapi", stderr)
	if ok, code := parse(fs, args, stderr); !ok {
		return code
	}
	b, err := app.OpenAPIDocument(ctx)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	stdout.Write(b)
	fmt.Fprintln(stdout)
	return 0
}

func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "fazhi %s\n", app.Version)
	return 0
}
