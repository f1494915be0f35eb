package db

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// Commit hooks (Tx.Local) run once per key, in their order, after the
// transaction's function and before the commit; their writes commit with
// the transaction, and a failing hook or function rolls everything back.
func TestTxLocal(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "CREATE TABLE local_t (v TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		type keyA struct{}
		type keyB struct{}
		var ran []string
		hook := func(tx *Tx, name string, order int, key any) *[]string {
			return tx.Local(key, order, func() (any, func(context.Context) error) {
				vals := &[]string{}
				return vals, func(ctx context.Context) error {
					ran = append(ran, name)
					for _, v := range *vals {
						if v == "bad" {
							return errors.New("bad value")
						}
						if _, err := tx.Exec(ctx, "INSERT INTO local_t (v) VALUES (?)", v); err != nil {
							return err
						}
					}
					return nil
				}
			}).(*[]string)
		}
		count := func() int {
			var n int
			if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM local_t").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		err := d.WithTx(ctx, func(tx *Tx) error {
			a := hook(tx, "late", 100, keyA{})
			*a = append(*a, "a1")
			b := hook(tx, "early", 10, keyB{})
			*b = append(*b, "b1")
			a2 := hook(tx, "late-again", 100, keyA{}) // same key: same value, no second hook
			*a2 = append(*a2, "a2")
			if len(ran) != 0 {
				t.Error("a hook ran before the function returned")
			}
			return nil
		})
		if err != nil || !slices.Equal(ran, []string{"early", "late"}) || count() != 3 {
			t.Fatalf("hooks: err %v, ran %v, rows %d", err, ran, count())
		}
		ran = nil
		err = d.WithTx(ctx, func(tx *Tx) error {
			*hook(tx, "h", 1, keyA{}) = []string{"x"}
			return errors.New("function failed")
		})
		if err == nil || len(ran) != 0 || count() != 3 {
			t.Fatalf("failed function: err %v, ran %v, rows %d", err, ran, count())
		}
		err = d.WithTx(ctx, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO local_t (v) VALUES ('direct')"); err != nil {
				return err
			}
			*hook(tx, "h", 1, keyA{}) = []string{"y", "bad"}
			return nil
		})
		if err == nil || count() != 3 {
			t.Fatalf("failing hook: err %v, rows %d (the transaction must roll back)", err, count())
		}
	})
}
