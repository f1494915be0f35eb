package indicator

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/metric"
	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// CampaignInput creates a campaign.
type CampaignInput struct {
	Name        string `json:"name"`
	Year        int    `json:"year"`
	FrameworkID int64  `json:"framework_id"`
	UnitID      int64  `json:"unit_id" doc:"被测评地区（不填为本人所在的区县，即单位树的根）"`
	PeriodFrom  string `json:"period_from" doc:"测评期间起（不填为当年1月1日）"`
	PeriodTo    string `json:"period_to" doc:"测评期间止（不填为当年12月31日）"`
}

// CreateCampaign starts a year's assessment on a framework revision (the
// latest of its code: a superseded revision is not used for new campaigns).
func (s *Service) CreateCampaign(ctx context.Context, in CampaignInput) (*CampaignDetail, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 || strings.ContainsRune(in.Name, 0) {
		v.Add("name", "测评名称不能为空，且不超过 100 字")
	}
	if in.Year < 2000 || in.Year > 2100 {
		v.Add("year", "年度应在 2000 至 2100 之间")
	}
	if in.PeriodFrom == "" && in.Year >= 2000 && in.Year <= 2100 {
		in.PeriodFrom = calendar.NewDate(in.Year, 1, 1).String()
	}
	if in.PeriodTo == "" && in.Year >= 2000 && in.Year <= 2100 {
		in.PeriodTo = calendar.NewDate(in.Year, 12, 31).String()
	}
	from, err1 := calendar.ParseDate(in.PeriodFrom)
	to, err2 := calendar.ParseDate(in.PeriodTo)
	if err1 != nil || from.Year < 2000 {
		v.Add("period_from", "测评期间起始日期无效")
	}
	if err2 != nil || to.Year < 2000 {
		v.Add("period_to", "测评期间截止日期无效")
	} else if err1 == nil && to.String() < from.String() {
		v.Add("period_to", "测评期间截止日期不能早于起始日期")
	}
	if in.UnitID == 0 { // the district the actor belongs to: the root of their unit path
		in.UnitID = a.UnitID
		if p := strings.Split(strings.Trim(a.UnitPath, "/"), "/"); len(p) > 0 {
			if root, err := strconv.ParseInt(p[0], 10, 64); err == nil {
				in.UnitID = root
			}
		}
	}
	f, err := s.st.framework(ctx, s.db, in.FrameworkID)
	if err != nil {
		v.Add("framework_id", "指标体系不存在")
	} else if f.Superseded {
		v.Add("framework_id", "该指标体系版本已有更新版本，请选择最新版本")
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择被测评地区")
	} else if _, path, err := s.deps.Units.UnitNamePath(ctx, in.UnitID); err != nil {
		v.Add("unit_id", "被测评地区不是系统中的单位")
	} else if !a.CanIn(PermManage, path) {
		v.Add("unit_id", "被测评地区不在您的管理范围内")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var id int64
	at := s.clock(ctx)
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO indicator_campaigns (name, year, framework_id, unit_id, period_from, period_to, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Name, in.Year, in.FrameworkID, in.UnitID, in.PeriodFrom, in.PeriodTo, a.UserID, at.UTC(), at.UTC()).Scan(&id)
		if err != nil {
			return db.Classify(err)
		}
		return s.audit(ctx, tx, "campaign.create", "indicator_campaign", id, in.UnitID, fmt.Sprintf("创建测评 %s（%s 第 %d 版）", in.Name, f.Name, f.Revision), nil, in)
	})
	if err != nil {
		return nil, err
	}
	return s.Campaign(ctx, id)
}

// Campaigns lists the campaigns (a district has one a year).
func (s *Service) Campaigns(ctx context.Context) ([]Campaign, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.st.campaigns(ctx, s.db)
}

// Row is one node of a campaign's tree: the item, its assignment (level
// 3) and the scores rolled up from below.
type Row struct {
	Item
	Assignment *Assignment `json:"assignment,omitempty"`
	Score      float64     `json:"score" doc:"得分（下级合计）"`
	Max        float64     `json:"max" doc:"满分（下级合计）"`
	Scored     int         `json:"scored"`
	Leaves     int         `json:"leaves"`
}

// CampaignDetail is a campaign with its tree and totals.
type CampaignDetail struct {
	Campaign
	Rows      []Row  `json:"rows"`
	Totals    Totals `json:"totals"`
	Assigned  int    `json:"assigned"`
	Approved  int    `json:"approved"`
	CanManage bool   `json:"can_manage"`
}

// readable reports whether the actor sees an assignment: its lead unit or
// a supporting unit in the read scope, or a manager of the campaign.
func readable(a *auth.Actor, as *Assignment, paths map[int64]string) bool {
	if a.CanIn(PermRead, as.unitPath) {
		return true
	}
	for _, u := range as.Supporting {
		if p, ok := paths[u]; ok && a.CanIn(PermRead, p) {
			return true
		}
	}
	return false
}

// loadCampaign reads a campaign the actor may see: a manager of its
// district, or a reader of the district (units see their own rows).
func (s *Service) loadCampaign(ctx context.Context, q db.Querier, id int64) (*auth.Actor, *Campaign, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.st.campaign(ctx, q, id)
	if err != nil {
		return nil, nil, err
	}
	return a, c, nil
}

// Campaign reads a campaign's tree. A manager (or a reader of the whole
// district) sees every assignment; a unit sees the tree with its own
// assignments (others' rows carry no assignment).
func (s *Service) Campaign(ctx context.Context, id int64) (*CampaignDetail, error) {
	a, c, err := s.loadCampaign(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	items, err := s.st.items(ctx, s.db, c.FrameworkID)
	if err != nil {
		return nil, err
	}
	as, err := s.st.campaignAssignments(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	paths, err := s.unitPaths(ctx, as)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx).String()
	byItem := map[int64]*Assignment{}
	for i := range as {
		s.decorate(&as[i], items, today)
		byItem[as[i].ItemID] = &as[i]
	}
	d := &CampaignDetail{Campaign: *c, Rows: make([]Row, len(items)), CanManage: a.CanIn(PermManage, c.unitPath)}
	seeAll := a.CanIn(PermRead, c.unitPath)
	var scored []Scored
	pos := map[int64]int{}
	for i, it := range items {
		pos[it.ID] = i
		r := Row{Item: it}
		if as := byItem[it.ID]; as != nil {
			d.Assigned++
			if as.Status == StatusApproved {
				d.Approved++
			}
			if seeAll || readable(a, as, paths) {
				r.Assignment = as
			}
			scored = append(scored, Scored{Item: it, Score: as.Score, VetoFailed: as.VetoFailed})
		} else if it.Level == 3 {
			scored = append(scored, Scored{Item: it})
		}
		d.Rows[i] = r
	}
	// Roll scores up (normal items only; bonus and deduction show in the
	// totals).
	for i := len(d.Rows) - 1; i >= 0; i-- {
		r := &d.Rows[i]
		if r.Level == 3 && r.Kind == KindNormal {
			r.Max, r.Leaves = r.Points, 1
			if as := byItem[r.ID]; as != nil && as.Score != nil {
				r.Score, r.Scored = *as.Score, 1
			}
		}
		r.Score, r.Max = round2(r.Score), round2(r.Max)
		if p, ok := pos[r.ParentID]; ok && r.ParentID != 0 {
			d.Rows[p].Score += r.Score
			d.Rows[p].Max += r.Max
			d.Rows[p].Scored += r.Scored
			d.Rows[p].Leaves += r.Leaves
		}
	}
	d.Totals = Total(scored)
	return d, nil
}

// unitPaths maps the supporting units of as to their paths, and fills
// each assignment's supporting unit names.
func (s *Service) unitPaths(ctx context.Context, as []Assignment) (map[int64]string, error) {
	out := map[int64]string{}
	names := map[int64]string{}
	for i := range as {
		var ns []string
		for _, u := range as[i].Supporting {
			if _, ok := out[u]; !ok {
				n, p, err := s.deps.Units.UnitNamePath(ctx, u)
				if err != nil {
					return nil, err
				}
				out[u], names[u] = p, n
			}
			ns = append(ns, names[u])
		}
		as[i].SupportingNames = strings.Join(ns, "、")
	}
	return out, nil
}

// decorate fills an assignment's derived fields: its current score by the
// rules (the final score once approved), overdue, supporting names.
func (s *Service) decorate(a *Assignment, items []Item, today string) {
	a.Overdue = a.DueOn != "" && a.DueOn < today && a.Status != StatusApproved && a.Status != StatusSubmitted
	if a.FinalScore != nil {
		a.Score = a.FinalScore
		return
	}
	for _, it := range items {
		if it.ID == a.ItemID {
			r := s.compute(it, a)
			a.Score = r.Score
			if it.Kind == KindVeto && r.Auto {
				a.VetoFailed = r.VetoFailed
			}
			return
		}
	}
}

// compute scores an assignment by the rules from what it holds (its
// stored figure value for bound items).
func (s *Service) compute(it Item, a *Assignment) Result {
	in := Input{Checked: a.Checked, Occurrences: a.Occurrences, SelfScore: a.SelfScore, VetoFailed: a.VetoFailed}
	if it.FigureCode != "" && a.AutoNote != "" {
		f := metric.Figure{Name: a.AutoNote, NoData: a.AutoValue == nil}
		if a.AutoValue != nil {
			f.Value = *a.AutoValue
		}
		in.Figure = &f
	}
	r := Compute(it, in)
	if in.Figure != nil && !in.Figure.NoData {
		r.Note = a.AutoNote
	}
	return r
}

// BreakdownInput assigns items (level 1 or 2 items assign every level-3
// item below them) to a lead unit with supporting units and a due date.
type BreakdownInput struct {
	ItemIDs    []int64 `json:"item_ids"`
	UnitID     int64   `json:"unit_id" doc:"牵头单位"`
	Supporting []int64 `json:"supporting" doc:"配合单位"`
	DueOn      string  `json:"due_on" doc:"完成时限"`
}

// maxBreakdown bounds one breakdown call.
const maxBreakdown = 1000

// Breakdown writes the task breakdown (任务分解表) for the given items: new
// assignments, or a new lead unit / due date for assignments not yet
// submitted. Each assignment gets reminders before its due date (through
// the reminders engine) to the lead unit.
func (s *Service) Breakdown(ctx context.Context, campaignID int64, in BreakdownInput) (int, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return 0, err
	}
	c, err := s.st.campaign(ctx, s.db, campaignID)
	if err != nil {
		return 0, err
	}
	if !a.CanIn(PermManage, c.unitPath) {
		return 0, apperr.New(apperr.NotFound, "测评不存在")
	}
	if c.Status != "open" {
		return 0, apperr.New(apperr.Precondition, "测评已结束，不能再分解任务")
	}
	var v apperr.Fields
	if len(in.ItemIDs) == 0 || len(in.ItemIDs) > maxBreakdown {
		v.Add("item_ids", "请选择要分解的指标")
	}
	unitName := ""
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择牵头单位")
	} else if n, p, err := s.deps.Units.UnitNamePath(ctx, in.UnitID); err != nil || !strings.HasPrefix(p, c.unitPath) {
		v.Add("unit_id", "牵头单位应为被测评地区内的单位")
	} else {
		unitName = n
	}
	in.Supporting = slices.Compact(slices.Sorted(slices.Values(in.Supporting)))
	if len(in.Supporting) > 50 {
		v.Add("supporting", "配合单位过多")
	}
	for _, u := range in.Supporting {
		if u == in.UnitID {
			v.Add("supporting", "配合单位不能是牵头单位")
		} else if _, p, err := s.deps.Units.UnitNamePath(ctx, u); err != nil || !strings.HasPrefix(p, c.unitPath) {
			v.Add("supporting", "配合单位应为被测评地区内的单位")
		}
	}
	due, derr := calendar.ParseDate(in.DueOn)
	if derr != nil || due.String() < c.PeriodFrom || due.Year > c.Year+1 {
		v.Add("due_on", "完成时限应为测评期间开始后、次年年底前的日期")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	items, err := s.st.items(ctx, s.db, c.FrameworkID)
	if err != nil {
		return 0, err
	}
	want := map[int64]bool{}
	for _, id := range in.ItemIDs {
		want[id] = true
	}
	// Expand headings to the level-3 items below them.
	var leaves []Item
	found := 0
	for _, it := range items {
		if want[it.ID] {
			found++
		}
		if want[it.ParentID] && it.Level < 3 {
			want[it.ID] = true
		}
		if it.Level == 3 && (want[it.ID] || want[it.ParentID]) {
			leaves = append(leaves, it)
		}
	}
	if found != len(want) && found < len(in.ItemIDs) {
		return 0, apperr.Field("item_ids", "所选指标不属于本测评的指标体系")
	}
	existing, err := s.st.campaignAssignments(ctx, s.db, campaignID)
	if err != nil {
		return 0, err
	}
	have := map[int64]*Assignment{}
	for i := range existing {
		have[existing[i].ItemID] = &existing[i]
	}
	at := s.clock(ctx)
	n := 0
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, it := range leaves {
			as := have[it.ID]
			note := fmt.Sprintf("牵头单位 %s，完成时限 %s", unitName, due)
			if as == nil {
				as = &Assignment{CampaignID: campaignID, ItemID: it.ID, UnitID: in.UnitID, Supporting: in.Supporting, DueOn: due.String(), Status: StatusPending}
				if err := s.st.insertAssignment(ctx, tx, as, at); err != nil {
					return err
				}
			} else {
				if as.Status == StatusSubmitted || as.Status == StatusApproved {
					return apperr.Field("item_ids", "指标 %s 已提交复核或已定分，不能重新分解", it.Code)
				}
				before := *as
				as.UnitID, as.Supporting, as.DueOn = in.UnitID, in.Supporting, due.String()
				ok, err := s.st.saveAssignment(ctx, tx, as, as.Version, at)
				if err != nil {
					return err
				}
				if !ok {
					return apperr.New(apperr.Conflict, "指标 %s 已被他人修改，请刷新后重试", it.Code)
				}
				_ = before
			}
			if err := s.event(ctx, tx, a, as.ID, "assign", note, at); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, "assign", "indicator_assignment", as.ID, in.UnitID, fmt.Sprintf("分解指标 %s：%s", it.Code, note), nil, in); err != nil {
				return err
			}
			if err := s.remind(ctx, tx, c, it, as); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := s.RefreshFigures(ctx, campaignID); err != nil && !apperr.Is(err, apperr.Forbidden) {
		return n, err
	}
	return n, nil
}

// remind schedules the due-date reminders of an assignment to its lead
// unit: five days before, on the day and the day after.
func (s *Service) remind(ctx context.Context, q db.Querier, c *Campaign, it Item, as *Assignment) error {
	due, err := calendar.ParseDate(as.DueOn)
	if err != nil {
		return nil
	}
	at := time.Date(due.Year, due.Month, due.Day, 9, 0, 0, 0, calendar.Shanghai)
	_, err = reminders.Schedule(ctx, q, reminders.Reminder{Key: fmt.Sprintf("indicator:%d:due", as.ID), UnitID: as.UnitID,
		Title: fmt.Sprintf("示范创建指标 %s 将于 %s 到期", it.Code, as.DueOn), OverdueTitle: fmt.Sprintf("示范创建指标 %s 已超过完成时限", it.Code),
		Body: c.Name + "：" + it.Title + "（请上传佐证材料并自评）", Link: fmt.Sprintf("/indicator/assignments/%d", as.ID), Due: at,
		Offsets: []time.Duration{5 * 24 * time.Hour, 0, -24 * time.Hour}})
	return err
}

func (s *Service) event(ctx context.Context, q db.Querier, a *auth.Actor, id int64, action, note string, at time.Time) error {
	return s.st.insertEvent(ctx, q, id, a.UserID, a.Name, action, note, at)
}

// RefreshFigures scores the campaign's bound items from the registers: the
// figures for the campaign's period and unit subtree, read from the metric
// registry as the system (the assessment is of the whole district, not of
// what the caller may see). Approved assignments keep their final score.
func (s *Service) RefreshFigures(ctx context.Context, campaignID int64) error {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return err
	}
	c, err := s.st.campaign(ctx, s.db, campaignID)
	if err != nil {
		return err
	}
	if !a.CanIn(PermManage, c.unitPath) {
		return apperr.New(apperr.NotFound, "测评不存在")
	}
	if c.Status != "open" {
		return apperr.New(apperr.Precondition, "测评已结束，得分不再变化")
	}
	if s.deps.Figures == nil {
		return nil
	}
	figs, err := s.deps.Figures(auth.With(ctx, auth.SystemActor("示范创建数据指标计分")), metric.Query{UnitID: c.UnitID, From: c.PeriodFrom, To: c.PeriodTo})
	if err != nil {
		return err
	}
	byCode := map[string]metric.Figure{}
	for _, f := range figs {
		byCode[f.Code] = f
	}
	items, err := s.st.items(ctx, s.db, c.FrameworkID)
	if err != nil {
		return err
	}
	itemOf := map[int64]Item{}
	for _, it := range items {
		itemOf[it.ID] = it
	}
	as, err := s.st.campaignAssignments(ctx, s.db, campaignID)
	if err != nil {
		return err
	}
	at := s.clock(ctx)
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		for i := range as {
			x := &as[i]
			it := itemOf[x.ItemID]
			if it.FigureCode == "" || x.Status == StatusApproved {
				continue
			}
			f, ok := byCode[it.FigureCode]
			before := fmt.Sprintf("%v|%s", x.AutoValue, x.AutoNote)
			if !ok {
				x.AutoValue, x.AutoScore, x.AutoLink = nil, nil, ""
				x.AutoNote = "数据指标 " + it.FigureCode + " 尚未提供（相关模块未启用），按自评分计"
			} else {
				r := Compute(it, Input{Figure: &f, SelfScore: x.SelfScore, VetoFailed: x.VetoFailed})
				x.AutoNote, x.AutoLink = figureNote(&f), f.Link
				x.AutoValue, x.AutoScore = nil, nil
				if !f.NoData {
					x.AutoValue, x.AutoScore = ptr(f.Value), r.Score
					if it.Kind == KindVeto {
						x.VetoFailed = r.VetoFailed
					}
				} else {
					x.AutoNote = f.Name + "：期间内没有可计算的记录，按自评分计"
				}
			}
			if before == fmt.Sprintf("%v|%s", x.AutoValue, x.AutoNote) {
				continue
			}
			ok2, err := s.st.saveAssignment(ctx, tx, x, x.Version, at)
			if err != nil {
				return err
			}
			if !ok2 {
				continue // edited meanwhile: the next refresh catches up
			}
			if err := s.st.insertEvent(ctx, tx, x.ID, 0, "系统", "auto", x.AutoNote, at); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, "UPDATE indicator_campaigns SET figures_at = ? WHERE id = ?", at.UTC(), campaignID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, "campaign.figures", "indicator_campaign", campaignID, c.UnitID, "按实时数据计算绑定指标得分", nil, nil)
	})
}

// CloseCampaign ends a campaign: its scores are final and never change
// again (not by framework edits, not by refreshes).
func (s *Service) CloseCampaign(ctx context.Context, id, version int64) (*CampaignDetail, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	c, err := s.st.campaign(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermManage, c.unitPath) {
		return nil, apperr.New(apperr.NotFound, "测评不存在")
	}
	if c.Status != "open" {
		return nil, apperr.New(apperr.Precondition, "测评已结束")
	}
	if c.Version != version {
		return nil, apperr.New(apperr.Conflict, "测评已被他人修改，请刷新后重试")
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE indicator_campaigns SET status = 'closed', closed_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			s.today(ctx).String(), s.clock(ctx).UTC(), id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "测评已被他人修改，请刷新后重试")
		}
		return s.audit(ctx, tx, "campaign.close", "indicator_campaign", id, c.UnitID, "结束测评 "+c.Name, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Campaign(ctx, id)
}

// UnitProgress is one unit's line of the progress board and ranking.
type UnitProgress struct {
	UnitID    int64   `json:"unit_id"`
	UnitName  string  `json:"unit_name"`
	Assigned  int     `json:"assigned"`
	Submitted int     `json:"submitted"`
	Returned  int     `json:"returned"`
	Approved  int     `json:"approved"`
	Overdue   int     `json:"overdue"`
	Score     float64 `json:"score"`
	Max       float64 `json:"max"`
	Rate      float64 `json:"rate" doc:"得分率（%）"`
	Rank      int     `json:"rank"`
}

// AreaProgress is one level-1 area's line of the board.
type AreaProgress struct {
	ItemID   int64   `json:"item_id"`
	Code     string  `json:"code"`
	Title    string  `json:"title"`
	Leaves   int     `json:"leaves"`
	Assigned int     `json:"assigned"`
	Approved int     `json:"approved"`
	Score    float64 `json:"score"`
	Max      float64 `json:"max"`
}

// Board is the campaign's progress by unit (ranked by score rate) and by
// level-1 area.
type Board struct {
	Units  []UnitProgress `json:"units"`
	Areas  []AreaProgress `json:"areas"`
	Totals Totals         `json:"totals"`
}

// Board computes the progress board.
func (s *Service) Board(ctx context.Context, id int64) (*Board, error) {
	d, err := s.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if !d.CanManage && !auth.From(ctx).CanIn(PermRead, d.unitPath) {
		return nil, apperr.New(apperr.Forbidden, "只有测评组织单位可以查看全部单位的进度")
	}
	b := &Board{Units: []UnitProgress{}, Areas: []AreaProgress{}, Totals: d.Totals}
	units := map[int64]*UnitProgress{}
	for _, r := range d.Rows {
		if r.Level == 1 {
			b.Areas = append(b.Areas, AreaProgress{ItemID: r.ID, Code: r.Code, Title: r.Title, Leaves: r.Leaves, Score: r.Score, Max: r.Max})
		}
		as := r.Assignment
		if as == nil {
			continue
		}
		if len(b.Areas) > 0 {
			ar := &b.Areas[len(b.Areas)-1]
			ar.Assigned++
			if as.Status == StatusApproved {
				ar.Approved++
			}
		}
		u := units[as.UnitID]
		if u == nil {
			u = &UnitProgress{UnitID: as.UnitID, UnitName: as.UnitName}
			units[as.UnitID] = u
		}
		u.Assigned++
		switch as.Status {
		case StatusSubmitted:
			u.Submitted++
		case StatusReturned:
			u.Returned++
		case StatusApproved:
			u.Approved++
		}
		if as.Overdue {
			u.Overdue++
		}
		if r.Kind == KindNormal {
			u.Max += r.Points
			if as.Score != nil {
				u.Score += *as.Score
			}
		}
	}
	for _, u := range units {
		u.Score, u.Max = round2(u.Score), round2(u.Max)
		if u.Max > 0 {
			u.Rate = round2(u.Score * 100 / u.Max)
		}
		b.Units = append(b.Units, *u)
	}
	sort.Slice(b.Units, func(i, j int) bool {
		if b.Units[i].Rate != b.Units[j].Rate {
			return b.Units[i].Rate > b.Units[j].Rate
		}
		return b.Units[i].UnitID < b.Units[j].UnitID
	})
	for i := range b.Units {
		b.Units[i].Rank = i + 1
		if i > 0 && b.Units[i].Rate == b.Units[i-1].Rate {
			b.Units[i].Rank = b.Units[i-1].Rank
		}
	}
	return b, nil
}

// cancelReminder drops the due-date reminders of an approved assignment.
func cancelReminder(ctx context.Context, q db.Querier, id int64) error {
	return reminders.Cancel(ctx, q, fmt.Sprintf("indicator:%d:due", id))
}
