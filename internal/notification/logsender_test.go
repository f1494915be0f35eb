package notification

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// The log sender writes at DEBUG: a server at the default INFO level (make
// run loading the demo) prints none of the ~100 "notification sent" lines;
// at DEBUG each message is one line.
func TestLogSenderWritesAtDebug(t *testing.T) {
	for _, c := range []struct {
		level slog.Level
		lines int
	}{{slog.LevelInfo, 0}, {slog.LevelDebug, 1}} {
		var buf bytes.Buffer
		s := LogSender{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: c.level}))}
		if err := s.Send(context.Background(), Message{UserID: 1, Title: "待审核"}); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(buf.String(), "notification sent"); n != c.lines {
			t.Fatalf("at %s: %d lines, want %d: %s", c.level, n, c.lines, buf.String())
		}
	}
}
