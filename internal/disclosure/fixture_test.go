package disclosure

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
)

// Users of the fixture.
const (
	clerk      = 10 // 区市场监管局 clerk: read/write on own unit
	head       = 11 // 区市场监管局 head: read/write/approve on own unit
	supervisor = 12 // 区司法局: everything everywhere
	outsider   = 13 // 区教育局 clerk
	leader     = 14 // 区领导: read everywhere, no write (sees personal data masked)
)

type fx struct {
	d  *db.DB
	s  *Service
	fs *files.Service
}

// fixedNow is the fixture's today: every 2026 date of the tests has happened.
var fixedNow = time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Shanghai)

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func setup(t *testing.T, d *db.DB) *fx {
	t.Helper()
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (1, 'D', '示范区', 'district', NULL, '/1/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (2, 'SFJ', '区司法局', 'department', 1, '/1/2/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (3, 'SJJ', '区市场监管局', 'department', 1, '/1/3/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (4, 'JYJ', '区教育局', 'department', 1, '/1/4/')")
	store, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fs := files.NewService(d, store, files.Options{})
	s, err := NewService(d, OrgDirectory{Org: org.NewService(d)}, calendar.Default(), calendar.DefaultRegistry(), fs)
	if err != nil {
		t.Fatal(err)
	}
	s.SetNow(func() time.Time { return fixedNow })
	return &fx{d: d, s: s, fs: fs}
}

func as(id int64) context.Context {
	own := func(path string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: path}}} }
	a := &auth.Actor{UserID: id, Perms: map[string]auth.Scope{}}
	all := auth.Scope{All: true}
	switch id {
	case clerk:
		a.Username, a.Name, a.UnitID, a.UnitPath = "clerk", "市场监管局经办人", 3, "/1/3/"
		a.Perms[PermRead], a.Perms[PermWrite] = own("/1/3/"), own("/1/3/")
	case head:
		a.Username, a.Name, a.UnitID, a.UnitPath = "head", "市场监管局负责人", 3, "/1/3/"
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms[PermApprove] = own("/1/3/"), own("/1/3/"), own("/1/3/")
	case supervisor:
		a.Username, a.Name, a.UnitID, a.UnitPath = "sup", "司法局", 2, "/1/2/"
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms[PermApprove] = all, all, all
	case outsider:
		a.Username, a.Name, a.UnitID, a.UnitPath = "edu", "教育局经办人", 4, "/1/4/"
		a.Perms[PermRead], a.Perms[PermWrite] = own("/1/4/"), own("/1/4/")
	case leader:
		a.Username, a.Name, a.UnitID, a.UnitPath = "leader", "区领导", 1, "/1/"
		a.Perms[PermRead] = all
	}
	return auth.With(context.Background(), a)
}

func wantCode(t *testing.T, err error, code apperr.Code, substr string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != code || !strings.Contains(e.Error(), substr) {
		t.Fatalf("want %s containing %q, got %v", code, substr, err)
	}
}

// wantField checks a validation error naming field.
func wantField(t *testing.T, err error, field, substr string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil {
		t.Fatalf("want field error on %s, got nil", field)
	}
	for _, f := range e.Fields {
		if f.Field == field && strings.Contains(f.Message, substr) {
			return
		}
	}
	t.Fatalf("want field error on %s containing %q, got %v %+v", field, substr, err, e.Fields)
}

// request registers an in-person request received on day.
func (f *fx) request(t *testing.T, day string) *Detail {
	t.Helper()
	d, err := f.s.Create(as(clerk), CreateInput{UnitID: 3, Channel: ChannelInPerson, ApplicantType: "natural", ApplicantName: "张三",
		IDNumber: "110101199003071234", Phone: "13812345678", Address: "示范区幸福路 8 号 3 单元 501 室",
		Content: "2026年本区食品经营许可发放情况", SubmittedOn: day})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func pdf() *bytes.Reader { return bytes.NewReader([]byte("%PDF-1.7\n政府信息\n%%EOF\n")) }

func (f *fx) upload(t *testing.T, owner string, id int64) {
	t.Helper()
	if _, err := f.fs.Upload(as(clerk), files.UploadInput{OwnerType: owner, OwnerID: id, Name: "信息.pdf"}, pdf()); err != nil {
		t.Fatal(err)
	}
}
