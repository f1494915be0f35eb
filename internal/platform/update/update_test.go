package update

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

type item struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Tags    []string `json:"tags"`
	Version int64    `json:"version"`
}

func TestRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := auth.With(context.Background(), auth.SystemActor("update test"))
		if _, err := d.Exec(ctx, "CREATE TABLE update_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, version INTEGER NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, "INSERT INTO update_items (id, name, version) VALUES (1, '甲', 3)"); err != nil {
			t.Fatal(err)
		}
		read := func(ctx context.Context, q db.Querier) (item, error) {
			it := item{Tags: []string{"旧"}}
			err := q.QueryRow(ctx, "SELECT id, name, version FROM update_items WHERE id = 1").Scan(&it.ID, &it.Name, &it.Version)
			return it, err
		}
		var changed int
		rename := func(name string, racer func(ctx context.Context)) Update[item] {
			return Update[item]{
				Load:    func(ctx context.Context, tx *db.Tx) (item, error) { return read(ctx, tx) },
				Version: func(it item) int64 { return it.Version },
				Change: func(ctx context.Context, tx *db.Tx, it *item) (audit.Event, error) {
					if name == "" {
						return audit.Event{}, apperr.Field("name", "请填写名称")
					}
					changed++
					it.Name = name
					it.Tags[0] = "新" // shares the loaded slice: the before image must not see it
					if racer != nil {
						racer(ctx)
					}
					return audit.Event{Action: "test.rename", ObjectType: "update_item", ObjectID: "1", Summary: "改名为" + name}, nil
				},
				Write: func(ctx context.Context, tx *db.Tx, it item, loaded int64) (bool, error) {
					res, err := tx.Exec(ctx, "UPDATE update_items SET name = ?, version = version + 1 WHERE id = ? AND version = ?", it.Name, it.ID, loaded)
					if err != nil {
						return false, err
					}
					n, err := res.RowsAffected()
					return n == 1, err
				},
				Reload: func(ctx context.Context, tx *db.Tx, _ item) (item, error) { return read(ctx, tx) },
			}
		}
		events := func() int {
			var n int
			if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'test.rename'").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// A record that cannot be loaded is that error, whatever the version.
		gone := rename("乙", nil)
		gone.Load = func(ctx context.Context, tx *db.Tx) (item, error) {
			return item{}, apperr.New(apperr.NotFound, "不存在")
		}
		if _, err := Run(ctx, d, 0, gone); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("missing record: %v", err)
		}
		// A zero (missing) version is a validation error naming 版本号, and nothing runs.
		_, err := Run(ctx, d, 0, rename("乙", nil))
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Invalid || !strings.Contains(fmt.Sprint(ae.Fields), "version") || !strings.Contains(ae.Error(), "版本号") || changed != 0 {
			t.Fatalf("version 0: %v (changed %d)", err, changed)
		}
		// A stale version is the one conflict.
		if _, err := Run(ctx, d, 2, rename("乙", nil)); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), ConflictMessage) || changed != 0 {
			t.Fatalf("stale version: %v", err)
		}
		// A rule broken in Change writes nothing.
		if _, err := Run(ctx, d, 3, rename("", nil)); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("bad input: %v", err)
		}
		// The right version: written, version bumped, audited with before and after.
		got, err := Run(ctx, d, 3, rename("乙", nil))
		if err != nil || got.Name != "乙" || got.Version != 4 {
			t.Fatalf("update: %+v %v", got, err)
		}
		var before, after string
		if err := d.QueryRow(ctx, "SELECT before_data, after_data FROM audit_events WHERE action = 'test.rename'").Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(before, `"name":"甲"`) || !strings.Contains(before, `"version":3`) || !strings.Contains(before, `"旧"`) ||
			!strings.Contains(after, `"name":"乙"`) || !strings.Contains(after, `"version":4`) {
			t.Fatalf("audit before %s after %s", before, after)
		}
		// The stored version moved between the load and the write (the
		// versioned UPDATE matched no row): conflict, and neither the change
		// nor its audit event stays.
		moved := rename("丙", nil)
		moved.Write = func(ctx context.Context, tx *db.Tx, it item, loaded int64) (bool, error) {
			_, err := tx.Exec(ctx, "UPDATE update_items SET name = ? WHERE id = ?", it.Name, it.ID)
			return false, err
		}
		_, err = Run(ctx, d, 4, moved)
		cur, _ := read(ctx, d)
		if !apperr.Is(err, apperr.Conflict) || cur.Name != "乙" || cur.Version != 4 || events() != 1 {
			t.Fatalf("moved version: err %v, stored %+v, %d events", err, cur, events())
		}
		// After sees the record as written, and its error undoes the change.
		var seen item
		failing := rename("丁", nil)
		failing.After = func(ctx context.Context, tx *db.Tx, it item) error {
			seen = it
			return apperr.New(apperr.Precondition, "后续处理失败")
		}
		_, err = Run(ctx, d, 4, failing)
		cur, _ = read(ctx, d)
		if !apperr.Is(err, apperr.Precondition) || seen.Name != "丁" || seen.Version != 5 || cur.Name != "乙" || cur.Version != 4 || events() != 1 {
			t.Fatalf("failing After: err %v, seen %+v, stored %+v, %d events", err, seen, cur, events())
		}
	})
}
