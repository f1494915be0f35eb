package decision

import (
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/update/updatetest"
)

// Every edit of a category, an expert and a catalogue item goes through
// update.Run: a zero (missing) version is a validation error naming 版本号
// (it was answered as a lost update) and writes nothing; the version read
// works once and is then stale.
func TestEditsRequireVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		cats := must(f.s.ListCategories(f.ctx, true))(t)
		cat := cats[0]
		in := CategoryInput{Name: cat.Name + "（改）", Kinds: cat.Kinds, Sort: cat.Sort}
		_, err := f.s.SaveCategory(f.ctx, cat.ID, in)
		updatetest.WantVersionRequired(t, "SaveCategory", err)
		in.Version = cat.Version
		got := must(f.s.SaveCategory(f.ctx, cat.ID, in))(t)
		if got.Name != in.Name || got.Version != cat.Version+1 {
			t.Fatalf("SaveCategory: %+v", got)
		}
		_, err = f.s.SaveCategory(f.ctx, cat.ID, in)
		wantErr(t, err, apperr.Conflict, "已被他人修改")

		e := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Name: "王研究员", Field: "评估", Employer: "某高校"}))(t)
		ein := ExpertInput{Name: e.Name, Field: "社会稳定风险评估", Employer: e.Employer}
		_, err = f.s.SaveExpert(f.ctx, e.ID, ein)
		updatetest.WantVersionRequired(t, "SaveExpert", err)
		if cur := must(f.s.st.GetExpert(f.ctx, d, e.ID))(t); cur.Field != e.Field || cur.Version != e.Version {
			t.Fatalf("a refused edit wrote the expert: %+v", cur)
		}
		ein.Version = e.Version
		if got := must(f.s.SaveExpert(f.ctx, e.ID, ein))(t); got.Field != ein.Field || got.Version != e.Version+1 {
			t.Fatalf("SaveExpert: %+v", got)
		}
		_, err = f.s.SaveExpert(f.ctx, e.ID, ein)
		wantErr(t, err, apperr.Conflict, "已被他人修改")

		c := must(f.s.CreateCatalogue(f.ctx, CatalogueInput{Year: 2026, UnitID: f.district}))(t)
		iin := ItemInput{CategoryID: cat.ID, Title: "城区学校布局规划调整", UnitID: f.dept}
		_, err = f.s.AddItem(f.ctx, c.ID, iin)
		updatetest.WantVersionRequired(t, "AddItem", err)
		iin.CatalogueVersion = c.Version
		c = must(f.s.AddItem(f.ctx, c.ID, iin))(t)
		it := c.Items[0]
		iin.CatalogueVersion, iin.Title = c.Version, "城区学校布局规划调整（修订）"
		_, err = f.s.UpdateItem(f.ctx, it.ID, iin)
		updatetest.WantVersionRequired(t, "UpdateItem", err)
		_, err = f.s.DeleteItem(f.ctx, it.ID, c.Version, 0)
		updatetest.WantVersionRequired(t, "DeleteItem", err)
		if cur := must(f.s.GetCatalogue(f.ctx, c.ID))(t); cur.Version != c.Version || len(cur.Items) != 1 || cur.Items[0].Title != it.Title {
			t.Fatalf("a refused edit wrote the catalogue: %+v", cur)
		}
		iin.Version = it.Version
		c = must(f.s.UpdateItem(f.ctx, it.ID, iin))(t)
		if c.Items[0].Title != iin.Title {
			t.Fatalf("UpdateItem: %+v", c.Items[0])
		}
		iin.CatalogueVersion = c.Version
		_, err = f.s.UpdateItem(f.ctx, it.ID, iin)
		wantErr(t, err, apperr.Conflict, "已被他人修改")
		c = must(f.s.DeleteItem(f.ctx, it.ID, c.Version, c.Items[0].Version))(t)
		if len(c.Items) != 0 {
			t.Fatalf("DeleteItem: %+v", c.Items)
		}
	})
}
