package calstore

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// A made-up 2027 schedule: the real notice had not been published when this
// was written, so the test uses invented dates that exercise the machinery.
const year2027 = `{"year":2027,"source":"测试用 2027 年放假安排","days":[
 {"date":"2027-01-01","name":"元旦","off":true},
 {"date":"2027-02-05","name":"春节","off":true},{"date":"2027-02-08","name":"春节","off":true},
 {"date":"2027-02-09","name":"春节","off":true},{"date":"2027-02-10","name":"春节","off":true},
 {"date":"2027-02-11","name":"春节","off":true},{"date":"2027-02-20","name":"春节","off":false}]}`

func admin() *auth.Actor {
	return &auth.Actor{UserID: 1, Username: "sysadmin", Name: "系统管理员", Perms: map[string]auth.Scope{"calendar.write": {All: true}}}
}

func TestImportYearMakesDeadlinesFinal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := auth.With(context.Background(), admin())
		cal, rules := calendar.Default(), calendar.DefaultRegistry()
		s := New(d, cal, rules)

		before, err := s.Deadline(ctx, "disclosure.reply", "2027-01-25")
		if err != nil {
			t.Fatal(err)
		}
		if !before.Provisional || !strings.Contains(before.Explanation, "暂定") {
			t.Fatalf("2027 deadline should be provisional before import: %+v", before)
		}
		if _, err := s.ImportYear(ctx, []byte(year2027)); err != nil {
			t.Fatal(err)
		}
		after, err := s.Deadline(ctx, "disclosure.reply", "2027-01-25")
		if err != nil {
			t.Fatal(err)
		}
		// 2027-01-25 (Mon) + 20 working days, skipping the invented 春节
		// 02-05, 02-08..02-11 and counting make-up Saturday 02-20:
		// 01-26..01-29 (4), 02-01..02-04 (8), 02-12 (9), 02-15..02-19 (14),
		// 02-20 (15), 02-22..02-26 (20).
		if after.Provisional || after.Due != "2027-02-26" {
			t.Fatalf("after import: due %s provisional %v, want 2027-02-26 final", after.Due, after.Provisional)
		}
		// A second Service on the same database (another process) sees it.
		cal2 := calendar.Default()
		if err := New(d, cal2, calendar.DefaultRegistry()).Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !cal2.Covered(2027) {
			t.Fatal("stored year not loaded by a fresh Service")
		}
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action = ?", "calendar.year.import").Scan(&n); err != nil || n != 1 {
			t.Fatalf("audit events for import: %d, %v", n, err)
		}
		res, err := audit.Verify(context.Background(), d)
		if err != nil || res == nil {
			t.Fatalf("verify: %v", err)
		}
	})
}

func TestImportRejectsBadYearAndWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := auth.With(context.Background(), admin())
		s := New(d, calendar.Default(), calendar.DefaultRegistry())
		_, err := s.ImportYear(ctx, []byte(`{"year":2027,"source":"x","days":[{"date":"2027-13-01","name":"元旦","off":true}]}`))
		ae := apperr.As(err)
		if ae == nil || ae.Code != apperr.Invalid || len(ae.Fields) == 0 {
			t.Fatalf("want invalid with field errors, got %v", err)
		}
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM calendar_years").Scan(&n); err != nil || n != 0 {
			t.Fatalf("rows after refused import: %d %v", n, err)
		}
		// Without the permission: forbidden.
		clerk := auth.With(context.Background(), &auth.Actor{UserID: 9, Name: "经办人", Perms: map[string]auth.Scope{}})
		if _, err := s.ImportYear(clerk, []byte(year2027)); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("clerk import: want forbidden, got %v", err)
		}
	})
}

func TestProvinceOverride(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := auth.With(context.Background(), admin())
		rules := calendar.DefaultRegistry()
		s := New(d, calendar.Default(), rules)
		if err := s.SetOverride(ctx, "normdoc.filing", calendar.Period{N: 15, Unit: calendar.WorkingDays}, ""); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("override without reason: want invalid, got %v", err)
		}
		if err := s.SetOverride(ctx, "normdoc.filing", calendar.Period{N: 15, Unit: calendar.WorkingDays}, "本省规范性文件备案规定第十条"); err != nil {
			t.Fatal(err)
		}
		// 2026-09-28 + 15 working days: 09-29, 09-30 (2), 10-08, 10-09, 10-10 (5),
		// 10-12..10-16 (10), 10-19..10-23 (15).
		v, err := s.Deadline(ctx, "normdoc.filing", "2026-09-28")
		if err != nil || v.Due != "2026-10-23" {
			t.Fatalf("overridden filing deadline: %+v %v", v, err)
		}
		fresh := calendar.DefaultRegistry()
		if err := New(d, calendar.Default(), fresh).Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		r, _ := fresh.Get("normdoc.filing")
		if r.Period.N != 15 || r.Period.Unit != calendar.WorkingDays {
			t.Fatalf("override not loaded: %+v", r.Period)
		}
	})
}
