package mediation

import (
	"context"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// Actors of the fixture.
const (
	townClerk = 10 // 石桥镇 clerk: mediation read/write on the town and its villages
	leader    = 11 // 区领导: read everywhere
	outsider  = 12 // 白沙镇 clerk
)

// Units: 1 district, 2 石桥镇, 3 石桥村 (under 2), 4 白沙镇, 5 白沙村 (under 4).
const (
	unitTown    = 2
	unitVillage = 3
	unitOther   = 5
)

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// fixedToday is the fixture's "now": 2026-06-30 10:00 Beijing.
var fixedToday = time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC)

func setup(t *testing.T, d *db.DB) *Service {
	t.Helper()
	for _, u := range []struct {
		id             int64
		code, name, ty string
		parent         any
		path           string
	}{{1, "D", "示范区", "district", nil, "/1/"}, {2, "T1", "石桥镇", "town", 1, "/1/2/"}, {3, "V1", "石桥村", "village", 2, "/1/2/3/"},
		{4, "T2", "白沙镇", "town", 1, "/1/4/"}, {5, "V2", "白沙村", "village", 4, "/1/4/5/"}} {
		exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (?, ?, ?, ?, ?, ?)", u.id, u.code, u.name, u.ty, u.parent, u.path)
	}
	s, err := NewService(d, calendar.Default(), calendar.DefaultRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s.SetNow(func() time.Time { return fixedToday })
	return s
}

func as(id int64) context.Context {
	sub := func(path string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: path, Subtree: true}}} }
	a := &auth.Actor{UserID: id, Perms: map[string]auth.Scope{}}
	switch id {
	case townClerk:
		a.Username, a.Name, a.UnitID, a.UnitPath = "clerk_town", "石桥镇经办人", unitTown, "/1/2/"
		a.Perms[PermRead], a.Perms[PermWrite] = sub("/1/2/"), sub("/1/2/")
	case leader:
		a.Username, a.Name, a.UnitID, a.UnitPath = "leader", "区领导", 1, "/1/"
		a.Perms[PermRead] = auth.Scope{All: true}
	case outsider:
		a.Username, a.Name, a.UnitID, a.UnitPath = "clerk_other", "白沙镇经办人", 4, "/1/4/"
		a.Perms[PermRead], a.Perms[PermWrite] = sub("/1/4/"), sub("/1/4/")
	}
	return auth.With(context.Background(), a)
}

func wantCode(t *testing.T, err error, code apperr.Code, substr string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != code || !strings.Contains(e.Error()+fieldText(e), substr) {
		t.Fatalf("want %s containing %q, got %v", code, substr, err)
	}
}

func fieldText(e *apperr.Error) string {
	var b strings.Builder
	for _, f := range e.Fields {
		b.WriteString(" " + f.Field + ":" + f.Message)
	}
	return b.String()
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// committee registers a village committee with one mediator.
func committee(t *testing.T, s *Service, unit int64, name string) (*Committee, *Mediator) {
	t.Helper()
	ctx := as(townClerk)
	if unit == unitOther {
		ctx = as(outsider)
	}
	c, err := s.CreateCommittee(ctx, CommitteeInput{UnitID: unit, Name: name, Kind: "village", EstablishedOn: "2010-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.AddMediator(ctx, c.ID, MediatorInput{Name: "王调解", Duty: "主任", Phone: "13900001111"})
	if err != nil {
		t.Fatal(err)
	}
	return c, m
}

func newCaseIn(c *Committee, received string) CaseInput {
	return CaseInput{CommitteeID: c.ID, DisputeType: "neighbour", Source: "application", ReceivedOn: received,
		Parties: "张三、李四", PartyPhone: "13812345678", PartyIDNumber: "110101199001011234", PartyAddress: "示范区石桥镇石桥村三组12号",
		Summary: "宅前排水沟堵塞引发争执"}
}
