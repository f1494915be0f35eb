// Command fazhi is the whole platform in one binary: `fazhi serve` runs it,
// the other subcommands migrate, load demo data, manage accounts, verify the
// audit chain and compute statutory deadlines. No business logic lives here.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// command is one subcommand.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands []command

func register(c command) { commands = append(commands, c) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "fazhi：未知命令 %q。运行 fazhi help 查看可用命令。\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "fazhi —— 法治政府建设管理平台")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "用法：fazhi <命令> [参数]")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "命令：")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "每个命令的参数：fazhi <命令> -h。参数也可用环境变量 FAZHI_* 设置（见 README）。")
}

// newFlags makes a flag set whose errors are reported in Chinese and never
// exit the process from inside the flag package.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("fazhi "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args, translating the flag package's errors.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) (ok bool, code int) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	if err == nil {
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "%s：多余的参数 %q。运行 %s -h 查看用法。\n", fs.Name(), strings.Join(fs.Args(), " "), fs.Name())
			return false, 2
		}
		return true, 0
	}
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return false, 0
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "flag provided but not defined: ") {
		msg = "未知参数 " + strings.TrimPrefix(msg, "flag provided but not defined: ")
	} else if strings.HasPrefix(msg, "flag needs an argument: ") {
		msg = "参数缺少取值：" + strings.TrimPrefix(msg, "flag needs an argument: ")
	} else if strings.HasPrefix(msg, "invalid value ") {
		msg = "参数取值无效：" + strings.TrimPrefix(msg, "invalid value ")
	}
	fmt.Fprintf(stderr, "%s：%s。运行 %s -h 查看用法。\n", fs.Name(), msg, fs.Name())
	return false, 2
}

// fail prints a one-line Chinese error (never a stack trace) and returns 1.
func fail(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "错误："+format+"\n", args...)
	return 1
}

func setupLogging(format, level string, w io.Writer) {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	slog.SetDefault(slog.New(h))
}
