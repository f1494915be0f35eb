package main

import (
	"context"
	"fmt"
	"io"

	"fazhi/internal/app"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/audit/auditkey"
	"fazhi/internal/platform/db"
)

func init() {
	register(command{"audit", "审计日志：audit verify 校验签名链与检查点，audit rotate-key 轮换签名密钥", cmdAudit})
}

const auditUsage = "用法：fazhi audit verify --db … [--data-dir 目录]\n      fazhi audit rotate-key --db … [--data-dir 目录]"

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, auditUsage)
		return 2
	}
	switch args[0] {
	case "verify":
		return cmdAuditVerify(ctx, args[1:], stdout, stderr)
	case "rotate-key":
		return cmdAuditRotate(args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, auditUsage)
	return 2
}

// auditFlags parses --db, --data-dir and the audit key settings.
func auditFlags(name string, args []string, stderr io.Writer) (app.Config, bool, int) {
	var cfg app.Config
	fs := newFlags(name, stderr)
	app.DBFlag(fs, &cfg)
	app.DataDirFlag(fs, &cfg, "数据目录（审计密钥文件与检查点文件的默认位置），默认与 SQLite 文件同目录或 ./data")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), auditUsage)
		fs.PrintDefaults()
	}
	if ok, code := parse(fs, args, stderr); !ok {
		return cfg, false, code
	}
	if err := cfg.Normalize(); err != nil {
		return cfg, false, fail(stderr, "%v", err)
	}
	return cfg, true, 0
}

func cmdAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, ok, code := auditFlags("audit verify", args, stderr)
	if !ok {
		return code
	}
	kr, err := cfg.Audit.LoadKeys()
	if err != nil {
		return fail(stderr, "%v", err)
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
	d.SetAuditKeys(kr)
	cps, err := audit.ReadCheckpoints(cfg.Audit.CheckpointFile)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	res, err := audit.Verify(ctx, d, cps...)
	if err != nil {
		return fail(stderr, "读取审计日志失败：%v", err)
	}
	if res.Broken != nil {
		fmt.Fprintf(stderr, "审计日志已被篡改：%s\n", res.Broken.Error())
		fmt.Fprintf(stdout, "已校验 %d 条事件，发现断链。\n", res.Events)
		return 1
	}
	fmt.Fprintf(stdout, "审计日志完整：共 %d 条事件，哈希链校验通过（签名密钥 %d 个）。\n", res.Events, len(kr.IDs()))
	if res.Legacy > 0 {
		fmt.Fprintf(stdout, "其中第 1–%d 条是启用签名密钥前的旧事件（无密钥哈希），由其后第一条签名事件的签名保护。\n", res.Legacy)
	}
	if res.Checkpoints > 0 {
		fmt.Fprintf(stdout, "与检查点文件 %s 中的 %d 个检查点一致。\n", cfg.Audit.CheckpointFile, res.Checkpoints)
	} else {
		fmt.Fprintf(stderr, "注意：检查点文件 %s 不存在或为空，无法发现末尾事件被删除。\n", cfg.Audit.CheckpointFile)
	}
	return 0
}

func cmdAuditRotate(args []string, stdout, stderr io.Writer) int {
	cfg, ok, code := auditFlags("audit rotate-key", args, stderr)
	if !ok {
		return code
	}
	if cfg.Audit.Key != "" {
		return fail(stderr, "审计密钥来自环境变量 FAZHI_AUDIT_KEY：请在变量末尾追加新密钥（逗号分隔，保留旧密钥），然后重启 fazhi serve。可用 openssl rand -hex 32 生成新密钥")
	}
	if _, err := cfg.Audit.LoadKeys(); err != nil {
		return fail(stderr, "%v", err)
	}
	id, err := auditkey.Rotate(cfg.Audit.KeyFile)
	if err != nil {
		return fail(stderr, "轮换审计密钥失败：%v", err)
	}
	fmt.Fprintf(stdout, "已在 %s 末尾追加新的审计签名密钥 %s，旧密钥保留用于校验旧事件。\n", cfg.Audit.KeyFile, id)
	fmt.Fprintln(stdout, "重启 fazhi serve 后新事件由新密钥签名（启动时记入 audit.key.rotate 事件）。请立即重新备份密钥文件。")
	return 0
}
