//go:build !unix

package db

import (
	"context"
	"os"
)

// Without flock, several processes on one SQLite file are not serialised at
// start-up (a single-machine embedded install runs one process).
func lockFile(context.Context, *os.File) error { return nil }

func unlockFile(*os.File) {}
