package indicator

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
)

// DemoPeople gives the demo its accounts.
type DemoPeople interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
}

// demoPDF is a minimal PDF (the files engine checks the type by content).
func demoPDF(title string) []byte {
	return []byte("%PDF-1.4\n% " + title + "\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
}

// demoPlan is the demo's task breakdown: a heading's items to a lead unit
// (by name) with the demo account that handles them.
var demoPlan = []struct {
	heading, unit, user, support, due string
}{
	{"1.1", "区政务服务数据管理局", "clerk_zsj", "区市场监管局", "2026-10-31"},
	{"1.2", "区市场监管局", "clerk_sj", "", "2026-10-31"},
	{"二", "区司法局", "sifaju", "", "2026-10-31"},
	{"3.1", "区发展改革局", "clerk_fgj", "区司法局", "2026-11-30"},
	{"3.2", "区司法局", "sifaju", "", "2026-11-30"},
	{"4.1", "区人力社保局", "clerk_rsj", "区司法局", "2026-11-30"},
	{"4.2", "区市场监管局", "clerk_sj", "区城市管理局", "2026-11-30"},
	{"4.3", "区城市管理局", "clerk_cgj", "", "2026-12-31"},
	{"五", "区审计局", "clerk_sjj", "区政务服务数据管理局", "2026-12-31"},
	{"六", "区司法局", "sifaju", "", "2026-12-31"},
	{"七", "区司法局", "sifaju", "区人力社保局", "2027-01-15"},
	{"八", "区司法局", "sifaju", "", "2027-01-15"},
}

// SeedDemo loads a campaign half way through: the default framework, the
// 2026 campaign broken down to a dozen units, evidence and self-scores on
// about half the items, some approved (one overridden with a reason), some
// under review, one returned for changes, the bound items scored from the
// registers the other demos filled, and the rest still to do.
func (s *Service) SeedDemo(ctx context.Context, people DemoPeople) error {
	ctx, sim := clock.Simulate(ctx)
	at := func(d string) { sim.At(calendar.MustDate(d), 10) }
	sys := auth.With(ctx, auth.SystemActor("演示数据"))
	at("2026-03-02")
	fw, err := s.EnsureDefault(sys)
	if err != nil {
		return err
	}
	boss, err := people.Actor(ctx, "sifaju")
	if err != nil {
		return nil // a trimmed org demo
	}
	mctx := auth.With(ctx, boss)
	root, err := strconv.ParseInt(strings.Split(strings.Trim(boss.UnitPath, "/"), "/")[0], 10, 64)
	if err != nil {
		return fmt.Errorf("indicator demo: root unit of %q: %w", boss.UnitPath, err)
	}
	c, err := s.CreateCampaign(mctx, CampaignInput{Name: "2026年度法治政府建设示范创建自评", Year: 2026, FrameworkID: fw, UnitID: root})
	if err != nil {
		return fmt.Errorf("indicator demo campaign: %w", err)
	}
	code := map[string]Row{}
	for _, r := range c.Rows {
		code[r.Code] = r
	}
	actors := map[string]context.Context{}
	for _, p := range demoPlan {
		id, _, _, err := s.deps.Units.UnitByNameOrCode(sys, p.unit)
		if err != nil {
			return nil // a trimmed org demo
		}
		in := BreakdownInput{ItemIDs: []int64{code[p.heading].ID}, UnitID: id, DueOn: p.due}
		if p.support != "" {
			sid, _, _, err := s.deps.Units.UnitByNameOrCode(sys, p.support)
			if err != nil {
				return nil
			}
			in.Supporting = []int64{sid}
		}
		if _, err := s.Breakdown(mctx, c.ID, in); err != nil {
			return fmt.Errorf("indicator demo breakdown %s: %w", p.heading, err)
		}
		if _, ok := actors[p.user]; !ok {
			a, err := people.Actor(ctx, p.user)
			if err != nil {
				return nil
			}
			actors[p.user] = auth.With(ctx, a)
		}
	}
	c, err = s.Campaign(mctx, c.ID)
	if err != nil {
		return err
	}
	// How far each heading got: approved, submitted, returned, self-assessed only.
	stage := map[string]string{"1.1": "approved", "1.2": "approved", "二": "approved", "3.1": "submitted", "3.2": "approved",
		"4.1": "returned", "4.2": "submitted", "4.3": "self", "五": "submitted", "六": "self"}
	headingOf := map[int64]string{}
	for _, r := range c.Rows {
		if _, ok := stage[r.Code]; ok {
			headingOf[r.ID] = r.Code
		}
	}
	userOf := map[string]string{}
	for _, p := range demoPlan {
		userOf[p.heading] = p.user
	}
	day := 0
	for _, r := range c.Rows {
		h := headingOf[r.ParentID]
		if h == "" {
			if p, ok := headingOf[parentOf(c.Rows, r.ParentID)]; ok {
				h = p
			}
		}
		if r.Assignment == nil || h == "" {
			continue
		}
		day++
		at(calendar.MustDate("2026-05-06").AddDays(day * 3).String())
		uctx := actors[userOf[h]]
		as := r.Assignment
		in := SelfInput{Version: as.Version, SelfNote: "已按要求落实，详见佐证材料。"}
		if n := len(evidenceLines(r.Evidence)); n > 0 {
			in.Checked = make([]bool, n)
			for i := range in.Checked {
				in.Checked[i] = i < n-1 || day%3 != 0
			}
		}
		if r.Method == MethodDeduction {
			in.Occurrences = day % 3
		}
		if r.Method == MethodManual || r.FigureCode != "" {
			in.SelfScore = ptr(round2(r.Points * 0.9))
		}
		d, err := s.SelfAssess(uctx, as.ID, in)
		if err != nil {
			return fmt.Errorf("indicator demo self %s: %w", r.Code, err)
		}
		for i, e := range evidenceLines(r.Evidence) {
			if i > 1 {
				break
			}
			if d, err = s.AddEvidence(uctx, as.ID, EvidenceInput{Name: e + ".pdf"}, demoPDF(e)); err != nil {
				return fmt.Errorf("indicator demo evidence %s: %w", r.Code, err)
			}
		}
		if stage[h] == "self" {
			continue
		}
		if d.Score == nil && d.AutoValue == nil && r.Kind == KindNormal {
			continue
		}
		if d, err = s.Submit(uctx, as.ID, d.Version); err != nil {
			return fmt.Errorf("indicator demo submit %s: %w", r.Code, err)
		}
		switch stage[h] {
		case "approved":
			at(calendar.MustDate("2026-05-07").AddDays(day * 3).String())
			if d, err = s.Review(mctx, as.ID, ReviewInput{Version: d.Version, Approve: true, Opinion: "材料齐全，同意自评意见"}); err != nil {
				return fmt.Errorf("indicator demo review %s: %w", r.Code, err)
			}
			if r.Code == "9" {
				if _, err = s.Override(mctx, as.ID, OverrideInput{Version: d.Version, Score: 1.5,
					Reason: "清理结果目录未在政府网站公布，按评分细则扣 0.5 分"}); err != nil {
					return err
				}
			}
		case "returned":
			at(calendar.MustDate("2026-05-07").AddDays(day * 3).String())
			if _, err = s.Review(mctx, as.ID, ReviewInput{Version: d.Version, Opinion: "培训签到表缺少执法人员签名页，请补充后重新提交"}); err != nil {
				return fmt.Errorf("indicator demo return %s: %w", r.Code, err)
			}
		}
	}
	return nil
}

// parentOf is the parent id of the row with id.
func parentOf(rows []Row, id int64) int64 {
	for _, r := range rows {
		if r.ID == id {
			return r.ParentID
		}
	}
	return 0
}
