package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// `make run` (serve --demo-if-empty on an empty database) printed the
// administrators' one-time passwords and then said they were not used: the
// demo gives every account the demo password. Now only the demo password is
// printed.
func TestServeDemoPrintsNoUnusedOneTimePasswords(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "f.db"), "--demo-if-empty"}, &out, &errb)
	}()
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), "fazhi 已启动") {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s %s", code, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not started: %s %s", out.String(), errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	all := out.String() + errb.String()
	if strings.Contains(all, "一次性密码") {
		t.Fatalf("one-time passwords printed although the demo replaced them:\n%s", all)
	}
	if !strings.Contains(out.String(), "演示数据已载入") || !strings.Contains(out.String(), "Fazhi@2026demo") {
		t.Fatalf("demo password not announced:\n%s", out.String())
	}
}
