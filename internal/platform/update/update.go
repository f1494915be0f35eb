// Package update is the one update path for editable records (those with a
// version column): load → version check → change → versioned write → audit
// with before/after, in one transaction. Every module's edits go through
// Run; the version rules and the conflict wording live only here.
package update

import (
	"context"
	"encoding/json"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/db"
)

// ConflictMessage is the one wording of a lost update.
const ConflictMessage = "该记录已被他人修改，请刷新后重试"

// Conflict is the error for a record whose version moved since it was read.
func Conflict() error { return apperr.New(apperr.Conflict, ConflictMessage) }

// RequireVersion refuses a zero or missing version: an edit must say which
// version it was made on, never skip the check.
func RequireVersion(version int64) error {
	if version <= 0 {
		return apperr.Field("version", "请提供版本号（version）：修改前读取记录时得到的版本号")
	}
	return nil
}

// Update describes one change of a record of type T.
type Update[T any] struct {
	// Load reads the record in tx (and checks that the actor may see it).
	Load func(ctx context.Context, tx *db.Tx) (T, error)
	// Version is the record's stored version.
	Version func(rec T) int64
	// Change checks the business rules, changes *rec and returns the audit
	// event (Action, Summary, object fields); Before and After are filled
	// in by Run when left nil. An error writes nothing.
	Change func(ctx context.Context, tx *db.Tx, rec *T) (audit.Event, error)
	// Write stores rec if its stored version is still loaded (… WHERE id = ?
	// AND version = ?, setting version = version + 1) and reports whether
	// it was.
	Write func(ctx context.Context, tx *db.Tx, rec T, loaded int64) (bool, error)
	// Reload, when set, reads the record as stored after the write (the
	// audit's After and Run's result); otherwise the changed rec is used.
	Reload func(ctx context.Context, tx *db.Tx, rec T) (T, error)
	// After, when set, runs once the record is written (and reloaded) and
	// its audit event recorded, in the same transaction: the follow-up
	// writes that need the stored record (a timeline entry, reminders,
	// notifications, their own audit events). An error undoes the whole
	// change.
	After func(ctx context.Context, tx *db.Tx, rec T) error
}

// Run applies u to the record at version in a transaction: Load (so that a
// record the actor may not see is not found whatever the input), then a
// zero version is a validation error and a version other than the stored
// one (or one that moves before the write) is Conflict; then Change, the
// versioned Write, the audit event with the record before and after, and
// After.
// It returns the record as written.
func Run[T any](ctx context.Context, d *db.DB, version int64, u Update[T]) (T, error) {
	var out T
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		rec, err := u.Load(ctx, tx)
		if err != nil {
			return err
		}
		if err := RequireVersion(version); err != nil {
			return err
		}
		loaded := u.Version(rec)
		if loaded != version {
			return Conflict()
		}
		// The before image is taken now: Change may alter what rec shares.
		before, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		ev, err := u.Change(ctx, tx, &rec)
		if err != nil {
			return err
		}
		ok, err := u.Write(ctx, tx, rec, loaded)
		if err != nil {
			return err
		}
		if !ok {
			return Conflict()
		}
		if u.Reload != nil {
			if rec, err = u.Reload(ctx, tx, rec); err != nil {
				return err
			}
		}
		if ev.Before == nil {
			ev.Before = json.RawMessage(before)
		}
		if ev.After == nil {
			ev.After = rec
		}
		out = rec
		if err := audit.Record(ctx, tx, ev); err != nil {
			return err
		}
		if u.After != nil {
			return u.After(ctx, tx, rec)
		}
		return nil
	})
	return out, err
}
