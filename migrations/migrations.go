// Package migrations embeds the numbered, forward-only SQL migrations of both
// dialects. The two folders hold the same file names (a test checks it).
//
// Numbering: each module owns a block of numbers so that parallel work never
// collides: 00001–00009 platform, 00010–00019 org/auth/audit, 00020–00029
// calendar/workflow/files/findings/jobs, 00100+ business modules.
package migrations

import "embed"

//go:embed sqlite/*.sql
var SQLite embed.FS

//go:embed postgres/*.sql
var Postgres embed.FS
