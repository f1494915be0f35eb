package randominspection

import (
	"context"
	"testing"

	"fazhi/internal/platform/db"
)

func TestListsAndPublic(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p, _ := f.plan()
		got := must[db.Paged[Plan]](t)(f.s.ListPlans(f.clerk, PlanFilter{Year: 2026}, db.ListReq{}))
		if len(got.Items) != 1 || got.Items[0].ID != p.ID || len(got.Items[0].BodyNames) != 1 {
			t.Fatalf("plans: %+v", got)
		}
		if out := must[db.Paged[Plan]](t)(f.s.ListPlans(f.outsider, PlanFilter{}, db.ListReq{})); len(out.Items) != 0 {
			t.Fatal("outsider lists the plan")
		}
		if pub := must[db.Paged[PublicPlan]](t)(f.s.PublicPlans(context.Background(), db.ListReq{})); len(pub.Items) != 0 {
			t.Fatal("a draft plan is listed publicly")
		}
		p = must[*Plan](t)(f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version}))
		pub := must[db.Paged[PublicPlan]](t)(f.s.PublicPlans(context.Background(), db.ListReq{}))
		if len(pub.Items) != 1 || pub.Items[0].SeedSHA256 != p.SeedSHA256 || pub.Items[0].Seed != "" {
			t.Fatalf("public plans: %+v", pub)
		}
	})
}
