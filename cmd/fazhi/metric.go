package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"fazhi/internal/app"
)

func init() {
	register(command{"metric", "指标计数器：metric verify 按台账重新计算并报告偏差；metric rebuild 按台账重建", cmdMetric})
}

// cmdMetric checks or rebuilds the figures' incremental counters
// (internal/metric/counts.go) against the registers they count.
func cmdMetric(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "rebuild") {
		fmt.Fprintln(stderr, "用法：fazhi metric verify|rebuild --db …")
		return 2
	}
	sub := args[0]
	var cfg app.Config
	var limit int
	fs := newFlags("metric "+sub, stderr)
	app.DBFlag(fs, &cfg)
	if sub == "verify" {
		fs.IntVar(&limit, "show", 20, "最多列出的偏差条数")
	}
	if ok, code := parse(fs, args[1:], stderr); !ok {
		return code
	}
	setupLogging("text", "warn", stderr)
	a, err := app.New(ctx, cfg)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	defer a.Close()
	drifted := false
	for _, t := range a.Metrics.Tallies() {
		start := time.Now()
		if sub == "rebuild" {
			if err := t.Rebuild(ctx, a.DB); err != nil {
				return fail(stderr, "重建 %s 的计数器失败：%v", t.Name, err)
			}
			fmt.Fprintf(stdout, "%s：计数器已按台账重建（用时 %.1f 秒）\n", t.Name, time.Since(start).Seconds())
			continue
		}
		drift, n, err := t.Verify(ctx, a.DB, limit)
		if err != nil {
			return fail(stderr, "校验 %s 的计数器失败：%v", t.Name, err)
		}
		if n == 0 {
			fmt.Fprintf(stdout, "%s：计数器与台账一致，无偏差（用时 %.1f 秒）\n", t.Name, time.Since(start).Seconds())
			continue
		}
		drifted = true
		fmt.Fprintf(stdout, "%s：%d 个计数器与台账不一致（用时 %.1f 秒）：\n", t.Name, n, time.Since(start).Seconds())
		for _, d := range drift {
			fmt.Fprintf(stdout, "  %s\n", d)
		}
	}
	if drifted {
		fmt.Fprintln(stderr, "发现偏差：指标计数器与台账不一致。可运行 fazhi metric rebuild 按台账重建，并请报告此问题。")
		return 1
	}
	return 0
}
