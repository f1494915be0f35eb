package main

import (
	"context"
	"io"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/calendar/calstore"
)

func init() {
	register(command{"deadline", "计算法定期限截止日（--rules 列出全部规则）", func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		return calendar.DeadlineCommand(args, stdout, stderr, calstore.LoadYearsDSN)
	}})
}
