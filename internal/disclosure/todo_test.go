package disclosure

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestTodo: the unit's running requests are its clerk's to-do items, due on
// the reply deadline (on the third party's deadline while consulting);
// answered requests and other units' requests are not.
func TestTodo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		a := f.request(t, "2026-11-02")
		b := f.request(t, "2026-11-03")
		if _, err := f.s.Consult(as(clerk), b.ID, ConsultInput{Version: b.Version, Date: "2026-11-04", Party: "某公司"}); err != nil {
			t.Fatal(err)
		}
		c := f.request(t, "2026-11-04")
		if _, err := f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-05", ReplyType: ReplyNotExist, Reason: "not_held"}); err != nil {
			t.Fatal(err)
		}
		items, err := f.s.Todo(as(clerk), fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 2 {
			t.Fatalf("items: %+v", items)
		}
		byNo := map[string]int{}
		for i, it := range items {
			byNo[it.Number] = i
		}
		ia, ib := items[byNo[a.Code]], items[byNo[b.Code]]
		// 2026-11-02 + 20 working days = 11-30, before the fixture's today (12-01).
		if ia.Action != "答复依申请公开申请" || ia.Due != "2026-11-30" || !ia.Overdue || ia.Link == "" {
			t.Errorf("running request: %+v", ia)
		}
		if ib.Action != "催办第三方意见" || ib.Due != "2026-11-25" || !ib.Overdue {
			t.Errorf("consulting request: %+v", ib)
		}
		if items, _ := f.s.Todo(as(outsider), fixedNow); len(items) != 0 {
			t.Errorf("another unit's clerk sees %+v", items)
		}
		if items, _ := f.s.Todo(as(leader), fixedNow); len(items) != 0 {
			t.Errorf("a reader sees %+v", items)
		}
	})
}
