package legalreview

import (
	"context"
	"fmt"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/docx"
)

type testPeople struct{ f *fixture }

func (p testPeople) Actor(ctx context.Context, username string) (*auth.Actor, error) {
	id, ok := p.f.ids[username]
	if !ok {
		return nil, fmt.Errorf("no user %s", username)
	}
	return p.f.orgs.LoadActor(ctx, id)
}

func (p testPeople) EnsureCounsel(ctx context.Context, username, name string) (int64, error) {
	return p.f.ids[username], nil
}

func (p testPeople) UnitID(ctx context.Context, code string) (int64, error) {
	var id int64
	err := p.f.d.QueryRow(ctx, "SELECT id FROM org_units WHERE code = ?", code).Scan(&id)
	return id, err
}

func TestSeedDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		if err := f.svc.SeedDemo(context.Background(), testPeople{f}); err != nil {
			t.Fatal(err)
		}
		ctx := f.as(t, "sifaju")
		items, total, err := listPage(f.svc, ctx, Filter{}, db.ListReq{Size: 100})
		want := 0
		for _, d := range demoReviews {
			if d.kind != KindNormdoc { // opened only by the normdoc demo, for its documents
				want++
			}
		}
		if err != nil || total != want {
			t.Fatalf("demo reviews %d %v", total, err)
		}
		statuses := map[Status]int{}
		kinds := map[Kind]int{}
		for _, r := range items {
			statuses[r.Status]++
			kinds[r.Kind]++
		}
		if statuses[StatusConcluded] != 5 || statuses[StatusReviewing] != 2 || statuses[StatusConcluding] != 1 || statuses[StatusWithdrawn] != 1 {
			t.Errorf("statuses %v", statuses)
		}
		if len(kinds) != 3 || kinds[KindNormdoc] != 0 {
			t.Errorf("kinds %v", kinds)
		}
		concluded, _, _ := listPage(f.svc, ctx, Filter{Status: "concluded"}, db.ListReq{Size: 100})
		for _, r := range concluded {
			b, _, err := f.svc.Letter(ctx, r.ID)
			if err != nil {
				t.Fatalf("letter %d: %v", r.ID, err)
			}
			if text, _ := docx.Text(b); text == "" || r.OpinionNo == "" {
				t.Errorf("letter %d empty (%s)", r.ID, r.OpinionNo)
			}
		}
		figs, err := f.svc.Figures(ctx, metric.Query{From: "2026-01-01", To: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		// One of five finished late (污水处理 协议: due 2026-06-01, finished 06-09);
		// answered opinions: 3 + 2 + 2 + 2 = 9, of which all but the 污水处理
		// 协议's rejected one were adopted or partly adopted.
		if figs[0].Numerator != 4 || figs[0].Denominator != 5 || figs[1].Numerator != 8 || figs[1].Denominator != 9 {
			t.Errorf("figures %+v", figs)
		}
	})
}
