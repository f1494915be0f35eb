package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"fazhi/internal/app"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/backup"
	"fazhi/internal/platform/db"
)

func init() {
	register(command{"backup", "备份数据库与附件为一个 .tar.gz（backup verify 校验备份文件）", cmdBackup})
	register(command{"restore", "从备份文件恢复 SQLite 数据库与附件", cmdRestore})
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "verify" {
		return cmdBackupVerify(args[1:], stdout, stderr)
	}
	var cfg app.Config
	var out string
	fs := newFlags("backup", stderr)
	app.DBFlag(fs, &cfg)
	app.DataDirFlag(fs, &cfg, "附件目录（其中的 files/ 一并备份），默认与 SQLite 文件同目录或 ./data")
	fs.StringVar(&out, "out", "", "备份文件路径（.tar.gz）；为已有目录时在其中生成 fazhi-backup-日期-时间.tar.gz；默认当前目录。不会覆盖已有文件")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法：fazhi backup --db DSN --data-dir 目录 --out 文件.tar.gz")
		fmt.Fprintln(fs.Output(), "      fazhi backup verify 文件.tar.gz")
		fmt.Fprintln(fs.Output(), "服务运行中也可备份：SQLite 用 VACUUM INTO 生成一致的快照；PostgreSQL 调用 pg_dump -Fc（需在 PATH 中）。")
		fs.PrintDefaults()
	}
	if ok, code := parse(fs, args, stderr); !ok {
		return code
	}
	if err := cfg.Normalize(); err != nil {
		return fail(stderr, "%v", err)
	}
	m, path, err := backup.Create(ctx, backup.Options{DSN: cfg.DB, DataDir: cfg.DataDir, Out: out, FazhiVersion: app.Version})
	if err != nil {
		return fail(stderr, "备份失败：%v", err)
	}
	size := int64(0)
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(stdout, "备份完成：%s\n", path)
	fmt.Fprintf(stdout, "数据库：%s（结构版本 %d），附件 %d 个，原始大小 %s，压缩后 %s\n",
		dialectLabel(m.Dialect), m.SchemaVersion, m.Files, humanSize(m.TotalSize()), humanSize(size))
	fmt.Fprintf(stdout, "校验：fazhi backup verify %s\n", path)
	return 0
}

func cmdBackupVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("backup verify", stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法：fazhi backup verify 文件.tar.gz")
		fmt.Fprintln(fs.Output(), "逐一核对备份中每个成员的 SHA-256 与清单 manifest.json 是否一致。")
	}
	// The archive is a positional argument: parse flags, then take one.
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return 0
	}
	if err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "用法：fazhi backup verify 文件.tar.gz")
		return 2
	}
	file := fs.Arg(0)
	m, err := backup.Verify(file)
	if err != nil {
		if errors.Is(err, backup.ErrIntegrity) {
			fmt.Fprintf(stderr, "备份文件校验未通过：%v\n", err)
			return 1
		}
		return fail(stderr, "%v", err)
	}
	fmt.Fprintf(stdout, "备份文件完整：%s\n", file)
	fmt.Fprintf(stdout, "创建于 %s，fazhi %s，%s 结构版本 %d，成员 %d 个（附件 %d 个），SHA-256 全部一致。\n",
		m.CreatedAt.In(shanghaiTZ()).Format("2006-01-02 15:04:05"), m.FazhiVersion, dialectLabel(m.Dialect), m.SchemaVersion, len(m.Members), m.Files)
	return 0
}

func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg app.Config
	var force bool
	fs := newFlags("restore", stderr)
	app.DBFlag(fs, &cfg)
	app.DataDirFlag(fs, &cfg, "附件目录（恢复到其中的 files/），默认与 SQLite 文件同目录")
	fs.BoolVar(&force, "force", false, "数据库文件已存在时仍然恢复（原文件改名为 *.before-restore-日期-时间 保留）；请先停止 fazhi serve")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法：fazhi restore --db 文件.db [--data-dir 目录] [--force] 备份文件.tar.gz")
		fmt.Fprintln(fs.Output(), "只恢复 SQLite；PostgreSQL 备份用 pg_restore 恢复。先完整校验备份，结构版本高于本程序时拒绝恢复。")
		fs.PrintDefaults()
	}
	// Flags may come before or after the archive name.
	var rest []string
	for {
		fs.SetOutput(io.Discard)
		err := fs.Parse(args)
		fs.SetOutput(stderr)
		if err != nil {
			_, code := parse(fs, args, stderr)
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "用法：fazhi restore --db 文件.db [--data-dir 目录] [--force] 备份文件.tar.gz")
		return 2
	}
	if err := cfg.Normalize(); err != nil {
		return fail(stderr, "%v", err)
	}
	res, err := backup.Restore(ctx, backup.RestoreOptions{Archive: rest[0], DB: cfg.DB, DataDir: cfg.DataDir, Force: force})
	if err != nil {
		return fail(stderr, "恢复失败：%v", err)
	}
	if res.SavedAside != "" {
		fmt.Fprintf(stdout, "原数据库已改名保留：%s\n", res.SavedAside)
	}
	fmt.Fprintf(stdout, "已恢复数据库 %s（结构版本 %d，备份创建于 %s），附件新写入 %d 个、已存在 %d 个（目录 %s）\n",
		res.DB, res.SchemaVersion, res.Manifest.CreatedAt.In(shanghaiTZ()).Format("2006-01-02 15:04:05"),
		res.FilesWritten, res.FilesPresent, filepath.Join(cfg.DataDir, backup.FilesDir))
	if res.SchemaVersion < res.BinaryVersion {
		fmt.Fprintf(stdout, "备份的结构版本低于本程序（%d），下次启动 fazhi serve 时会自动迁移。\n", res.BinaryVersion)
	}
	if res.SchemaVersion < res.BinaryVersion {
		fmt.Fprintln(stdout, "迁移后可用 fazhi audit verify 校验审计日志。")
		return 0
	}
	kr, err := cfg.Audit.LoadKeys()
	if err != nil {
		fmt.Fprintf(stdout, "未校验审计日志：%v。恢复密钥文件后运行 fazhi audit verify。\n", err)
		return 0
	}
	d, err := db.Open(ctx, res.DB)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	defer d.Close()
	d.SetAuditKeys(kr)
	// Not against the checkpoints: they may record events written after the
	// backup was taken (fazhi audit verify reports those as deleted).
	vr, err := audit.Verify(ctx, d)
	if err != nil {
		return fail(stderr, "读取恢复后的审计日志失败：%v", err)
	}
	if vr.Broken != nil {
		fmt.Fprintf(stderr, "恢复后的审计日志校验未通过：%s\n", vr.Broken.Error())
		return 1
	}
	fmt.Fprintf(stdout, "审计日志完整：共 %d 条事件，哈希链校验通过。\n", vr.Events)
	return 0
}

func dialectLabel(d string) string {
	if d == string(db.Postgres) {
		return "PostgreSQL"
	}
	return "SQLite"
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

func shanghaiTZ() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return l
}
