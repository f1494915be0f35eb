package indicator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/workflow"
)

// AssignmentDetail is one assignment with its item, evidence, timeline and
// review chain.
type AssignmentDetail struct {
	Assignment
	CampaignName   string     `json:"campaign_name"`
	CampaignStatus string     `json:"campaign_status"`
	PeriodFrom     string     `json:"period_from"`
	PeriodTo       string     `json:"period_to"`
	Item           Item       `json:"item"`
	EvidenceList   []string   `json:"evidence_list" doc:"佐证材料清单"`
	Evidence       []Evidence `json:"evidence"`
	Events         []Event    `json:"events"`
	ScoreNote      string     `json:"score_note" doc:"按规则试算的说明"`
	ReviewRule     string     `json:"review_rule"`
	Reviewers      []int64    `json:"reviewers"`
	FlowStatus     string     `json:"flow_status"`
	CanEdit        bool       `json:"can_edit" doc:"可上传材料、自评、提交"`
	CanReview      bool       `json:"can_review" doc:"可复核（通过或退回）"`
	CanOverride    bool       `json:"can_override" doc:"可人工调整得分"`
	StaleWarning   string     `json:"stale_warning"`
}

// load reads an assignment with its campaign and item for the actor: the
// actor must see it (lead unit, supporting unit, or manager).
func (s *Service) load(ctx context.Context, q db.Querier, id int64) (*auth.Actor, *Assignment, *Campaign, Item, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, nil, nil, Item{}, err
	}
	as, err := s.st.assignment(ctx, q, id)
	if err != nil {
		return nil, nil, nil, Item{}, err
	}
	one := []Assignment{*as}
	paths, err := s.unitPaths(ctx, one)
	if err != nil {
		return nil, nil, nil, Item{}, err
	}
	as.SupportingNames = one[0].SupportingNames
	c, err := s.st.campaign(ctx, q, as.CampaignID)
	if err != nil {
		return nil, nil, nil, Item{}, err
	}
	if !readable(a, as, paths) && !a.CanIn(PermManage, c.unitPath) {
		return nil, nil, nil, Item{}, apperr.New(apperr.NotFound, "指标任务不存在或无权查看")
	}
	items, err := s.st.items(ctx, q, c.FrameworkID)
	if err != nil {
		return nil, nil, nil, Item{}, err
	}
	var it Item
	for _, x := range items {
		if x.ID == as.ItemID {
			it = x
		}
	}
	s.decorate(as, items, s.today(ctx).String())
	return a, as, c, it, nil
}

// canEdit: the lead unit's handler (or a manager) while the campaign is
// open and the assignment is not under review or approved.
func canEdit(a *auth.Actor, as *Assignment, c *Campaign) bool {
	return c.Status == "open" && (as.Status == StatusPending || as.Status == StatusReturned) &&
		(a.CanIn(PermWrite, as.unitPath) || a.CanIn(PermManage, c.unitPath))
}

func (s *Service) reviewers(ctx context.Context, c *Campaign) ([]int64, error) {
	var ids []int64
	if s.deps.Reviewers != nil {
		r, err := s.deps.Reviewers(ctx)
		if err != nil {
			return nil, err
		}
		ids = r
	}
	if len(ids) == 0 && c.CreatedBy > 0 {
		ids = []int64{c.CreatedBy}
	}
	return ids, nil
}

func flowOf(as *Assignment) *workflow.Instance {
	if as.flow == "" {
		return nil
	}
	var in workflow.Instance
	if json.Unmarshal([]byte(as.flow), &in) != nil {
		return nil
	}
	return &in
}

// isTaskHolder reports whether user has a pending review task.
func isTaskHolder(in *workflow.Instance, user int64) bool {
	if in == nil || in.Status != workflow.Running {
		return false
	}
	for _, t := range in.Steps[in.Current].Tasks {
		if t.Assignee == user && t.Status == workflow.TaskPending {
			return true
		}
	}
	return false
}

// Assignment reads one assignment.
func (s *Service) Assignment(ctx context.Context, id int64) (*AssignmentDetail, error) {
	a, as, c, it, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	d := &AssignmentDetail{Assignment: *as, CampaignName: c.Name, CampaignStatus: c.Status, PeriodFrom: c.PeriodFrom, PeriodTo: c.PeriodTo,
		Item: it, EvidenceList: evidenceLines(it.Evidence)}
	if d.Evidence, err = s.st.evidence(ctx, s.db, id); err != nil {
		return nil, err
	}
	var stale []string
	for i := range d.Evidence {
		e := &d.Evidence[i]
		if e.ValidTo != "" && e.ValidTo < c.PeriodFrom || e.ValidFrom != "" && e.ValidFrom > c.PeriodTo {
			e.Stale = true
			e.Warning = fmt.Sprintf("有效期 %s 至 %s 未覆盖本次测评期间", e.ValidFrom, e.ValidTo)
		}
		if e.ReusedFrom != 0 {
			if e.Warning == "" {
				e.Warning = "沿用上年材料，请确认仍然有效"
			} else {
				e.Warning = "沿用上年材料，" + e.Warning
			}
			e.Stale = e.Stale || e.ValidTo == "" || e.ValidTo < c.PeriodTo
		}
		if e.Stale {
			stale = append(stale, e.Name)
		}
	}
	if len(stale) > 0 {
		d.StaleWarning = "以下材料可能已过时：" + strings.Join(stale, "、")
	}
	if d.Events, err = s.st.events(ctx, s.db, id); err != nil {
		return nil, err
	}
	d.ScoreNote = s.compute(it, as).Note
	if r, err := s.rules.Get(RuleReview); err == nil {
		d.ReviewRule = r.Label + "（" + r.Period.String() + "）"
	}
	fl := flowOf(as)
	if fl != nil {
		d.FlowStatus = fl.Status.Label()
		for _, t := range fl.Steps[fl.Current].Tasks {
			d.Reviewers = append(d.Reviewers, t.Assignee)
		}
	}
	d.CanEdit = canEdit(a, as, c)
	d.CanReview = c.Status == "open" && as.Status == StatusSubmitted && a.CanIn(PermManage, c.unitPath) && isTaskHolder(fl, a.UserID)
	d.CanOverride = c.Status == "open" && as.Status == StatusApproved && a.CanIn(PermManage, c.unitPath)
	return d, nil
}

// AssignmentFilter narrows the assignment list.
type AssignmentFilter struct {
	CampaignID int64  `query:"campaign_id"`
	UnitID     int64  `query:"unit_id" doc:"牵头单位（含下级）"`
	Status     string `query:"status" enum:",pending,submitted,returned,approved"`
	Overdue    bool   `query:"overdue" doc:"只看已超过完成时限仍未提交的"`
}

// listSQL is the assignment list within the actor's read scope (lead or
// supporting unit).
func (s *Service) listSQL(ctx context.Context, f AssignmentFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	lead, largs := auth.ScopeClause(a, PermRead, "a.unit_id")
	sup, sargs := auth.ScopeClause(a, PermRead, "su.unit_id")
	where := []string{"(" + lead + " OR EXISTS (SELECT 1 FROM indicator_supporting su WHERE su.assignment_id = a.id AND " + sup + "))"}
	args := append(append([]any{}, largs...), sargs...)
	if f.CampaignID > 0 {
		where, args = append(where, "a.campaign_id = ?"), append(args, f.CampaignID)
	}
	if f.Status != "" {
		where, args = append(where, "a.status = ?"), append(args, f.Status)
	}
	if f.UnitID > 0 {
		_, p, err := s.deps.Units.UnitNamePath(ctx, f.UnitID)
		if err != nil {
			return db.ListSQL{}, apperr.Field("unit_id", "单位不存在")
		}
		where, args = append(where, "a.unit_id IN (SELECT id FROM org_unit_refs WHERE path LIKE ?)"), append(args, p+"%")
	}
	if f.Overdue {
		where, args = append(where, "a.status IN ('pending', 'returned') AND a.due_on <> '' AND a.due_on < ?"), append(args, s.today(ctx).String())
	}
	return db.ListSQL{Cols: assignmentCols, From: strings.TrimPrefix(assignmentFrom, " FROM "), Where: strings.Join(where, " AND "), Args: args,
		Order: []db.Key{{Expr: "a.id", Desc: true}}, CountFrom: "indicator_assignments a"}, nil
}

// Assignments lists assignments (a unit's to-do list, or a campaign's).
func (s *Service) Assignments(ctx context.Context, f AssignmentFilter, req db.ListReq) (db.Paged[Assignment], error) {
	l, err := s.listSQL(ctx, f)
	if err != nil {
		return db.Paged[Assignment]{}, err
	}
	p, err := db.Fetch(ctx, s.db, l, req, scanAssignment, func(a Assignment) []any { return []any{a.ID} })
	if err != nil {
		return p, err
	}
	if _, err := s.unitPaths(ctx, p.Items); err != nil {
		return p, err
	}
	today := s.today(ctx).String()
	cache := map[int64][]Item{}
	for i := range p.Items {
		x := &p.Items[i]
		items, ok := cache[x.CampaignID]
		if !ok {
			c, err := s.st.campaign(ctx, s.db, x.CampaignID)
			if err != nil {
				return p, err
			}
			if items, err = s.st.items(ctx, s.db, c.FrameworkID); err != nil {
				return p, err
			}
			cache[x.CampaignID] = items
		}
		s.decorate(x, items, today)
	}
	return p, nil
}

// SelfInput is a unit's self-assessment.
type SelfInput struct {
	Version     int64    `json:"version"`
	Checked     []bool   `json:"checked" doc:"佐证清单各项是否达成"`
	Occurrences int      `json:"occurrences" doc:"按次扣分：发生次数"`
	SelfScore   *float64 `json:"self_score" doc:"自评分（人工评分、或数据指标无记录时）"`
	SelfNote    string   `json:"self_note" doc:"自评说明"`
	VetoFailed  bool     `json:"veto_failed" doc:"一票否决项：存在否决情形"`
}

// SelfAssess records the lead unit's self-assessment.
func (s *Service) SelfAssess(ctx context.Context, id int64, in SelfInput) (*AssignmentDetail, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		a, as, c, it, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.editable(a, as, c, in.Version); err != nil {
			return err
		}
		var v apperr.Fields
		in.SelfNote = strings.TrimSpace(in.SelfNote)
		if utf8.RuneCountInString(in.SelfNote) > maxText || strings.ContainsRune(in.SelfNote, 0) {
			v.Add("self_note", "自评说明过长或含有无效字符（不超过 %d 字）", maxText)
		}
		if in.SelfNote == "" {
			v.Add("self_note", "请填写自评说明")
		}
		if in.Occurrences < 0 || in.Occurrences > 10000 {
			v.Add("occurrences", "发生次数应为 0 至 10000")
		}
		if n := len(evidenceLines(it.Evidence)); len(in.Checked) > n {
			v.Add("checked", "清单项数不符（本指标共 %d 项）", n)
		}
		if in.SelfScore != nil {
			sc := *in.SelfScore
			if math.IsNaN(sc) || math.IsInf(sc, 0) || sc < 0 || sc > it.Points {
				v.Add("self_score", "自评分应在 0 至 %g 之间", it.Points)
			} else {
				in.SelfScore = ptr(round2(sc))
			}
		}
		if it.Method == MethodManual && it.Kind != KindVeto && it.Kind != KindDeduction && in.SelfScore == nil && it.FigureCode == "" {
			v.Add("self_score", "请填写自评分")
		}
		if err := v.Err(); err != nil {
			return err
		}
		before := *as
		as.Checked, as.Occurrences, as.SelfScore, as.SelfNote = in.Checked, in.Occurrences, in.SelfScore, in.SelfNote
		if it.Kind == KindVeto && (it.FigureCode == "" || as.AutoValue == nil) {
			as.VetoFailed = in.VetoFailed
		}
		at := s.clock(ctx)
		if ok, err := s.st.saveAssignment(ctx, tx, as, in.Version, at); err != nil || !ok {
			return conflictOr(err)
		}
		r := s.compute(it, as)
		note := in.SelfNote
		if r.Score != nil {
			note = fmt.Sprintf("试算 %.2f 分；%s", *r.Score, note)
		}
		if err := s.event(ctx, tx, a, id, "self", note, at); err != nil {
			return err
		}
		return s.audit(ctx, tx, "self", "indicator_assignment", id, as.UnitID, fmt.Sprintf("指标 %s 自评：%s", it.Code, note), before, as)
	})
	if err != nil {
		return nil, err
	}
	return s.Assignment(ctx, id)
}

func conflictOr(err error) error {
	if err != nil {
		return err
	}
	return apperr.New(apperr.Conflict, "指标任务已被他人修改，请刷新后重试")
}

func (s *Service) editable(a *auth.Actor, as *Assignment, c *Campaign, version int64) error {
	if c.Status != "open" {
		return apperr.New(apperr.Precondition, "测评已结束，不能再修改")
	}
	if !a.CanIn(PermWrite, as.unitPath) && !a.CanIn(PermManage, c.unitPath) {
		return apperr.New(apperr.Forbidden, "只有牵头单位可以上传材料和自评")
	}
	if as.Status == StatusSubmitted {
		return apperr.New(apperr.Precondition, "已提交复核，复核退回后才能修改")
	}
	if as.Status == StatusApproved {
		return apperr.New(apperr.Precondition, "已定分，不能再修改")
	}
	if as.Version != version {
		return apperr.New(apperr.Conflict, "指标任务已被他人修改，请刷新后重试")
	}
	return nil
}

// EvidenceInput says what an uploaded piece of evidence proves and for
// how long.
type EvidenceInput struct {
	Name      string `query:"name" doc:"文件名"`
	ValidFrom string `query:"valid_from" doc:"有效期起（不填为测评期间起）"`
	ValidTo   string `query:"valid_to" doc:"有效期止（不填为测评期间止）"`
}

// AddEvidence stores an uploaded file through the files engine (type
// checks, hashes, audit) and records its effective period.
func (s *Service) AddEvidence(ctx context.Context, id int64, in EvidenceInput, body []byte) (*AssignmentDetail, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	a, as, c, _, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if err := s.editable(a, as, c, as.Version); err != nil {
		return nil, err
	}
	if in.ValidFrom == "" {
		in.ValidFrom = c.PeriodFrom
	}
	if in.ValidTo == "" {
		in.ValidTo = c.PeriodTo
	}
	var v apperr.Fields
	vf, e1 := calendar.ParseDate(in.ValidFrom)
	vt, e2 := calendar.ParseDate(in.ValidTo)
	if e1 != nil || vf.Year < 1900 {
		v.Add("valid_from", "有效期起始日期无效")
	}
	if e2 != nil || vt.Year < 1900 {
		v.Add("valid_to", "有效期截止日期无效")
	} else if e1 == nil && vt.String() < vf.String() {
		v.Add("valid_to", "有效期截止日期不能早于起始日期")
	}
	if len(body) == 0 {
		v.Add("file", "请选择要上传的文件")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if s.deps.Files == nil {
		return nil, apperr.New(apperr.Unavailable, "文件存储未启用")
	}
	f, err := s.deps.Files.Upload(ctx, files.UploadInput{OwnerType: OwnerType, OwnerID: id, Name: in.Name}, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		e := &Evidence{AssignmentID: id, FileID: f.ID, Name: f.Name, ValidFrom: vf.String(), ValidTo: vt.String()}
		at := s.clock(ctx)
		if err := s.st.insertEvidence(ctx, tx, e, a.UserID, at); err != nil {
			return err
		}
		note := fmt.Sprintf("%s（有效期 %s 至 %s）", f.Name, e.ValidFrom, e.ValidTo)
		if err := s.event(ctx, tx, a, id, "evidence", note, at); err != nil {
			return err
		}
		return s.audit(ctx, tx, "evidence", "indicator_assignment", id, as.UnitID, "上传佐证材料 "+note, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Assignment(ctx, id)
}

// ReuseEvidence links last year's evidence of the same indicator (same
// framework code and item code, the latest earlier campaign) to this
// assignment; each reused piece carries a staleness warning until its
// period covers this campaign.
func (s *Service) ReuseEvidence(ctx context.Context, id, version int64) (*AssignmentDetail, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		a, as, c, it, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.editable(a, as, c, version); err != nil {
			return err
		}
		var prev int64
		err = tx.QueryRow(ctx, `SELECT a.id FROM indicator_assignments a JOIN indicator_campaigns c ON c.id = a.campaign_id
JOIN indicator_items i ON i.id = a.item_id JOIN indicator_frameworks f ON f.id = c.framework_id
WHERE f.code = (SELECT f2.code FROM indicator_frameworks f2 WHERE f2.id = ?) AND i.code = ? AND c.year < ? AND a.id <> ?
ORDER BY c.year DESC, a.id DESC LIMIT 1`, c.FrameworkID, it.Code, c.Year, id).Scan(&prev)
		if err != nil {
			return apperr.New(apperr.Precondition, "没有找到往年同一指标的佐证材料")
		}
		old, err := s.st.evidence(ctx, tx, prev)
		if err != nil {
			return err
		}
		have, err := s.st.evidence(ctx, tx, id)
		if err != nil {
			return err
		}
		got := map[int64]bool{}
		for _, e := range have {
			got[e.FileID] = true
		}
		at := s.clock(ctx)
		n := 0
		for _, e := range old {
			if got[e.FileID] {
				continue
			}
			ne := &Evidence{AssignmentID: id, FileID: e.FileID, Name: e.Name, ValidFrom: e.ValidFrom, ValidTo: e.ValidTo, ReusedFrom: prev}
			if err := s.st.insertEvidence(ctx, tx, ne, a.UserID, at); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return apperr.New(apperr.Precondition, "往年同一指标没有可沿用的佐证材料")
		}
		if ok, err := s.st.saveAssignment(ctx, tx, as, version, at); err != nil || !ok {
			return conflictOr(err)
		}
		note := fmt.Sprintf("沿用往年材料 %d 份（请确认仍然有效）", n)
		if err := s.event(ctx, tx, a, id, "reuse", note, at); err != nil {
			return err
		}
		return s.audit(ctx, tx, "reuse", "indicator_assignment", id, as.UnitID, note, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Assignment(ctx, id)
}

// reviewDef is the review chain: one 或签 step of the 司法局 reviewers.
func reviewDef(users []int64) workflow.Definition {
	as := make([]workflow.Assignee, len(users))
	for i, u := range users {
		as[i] = workflow.Assignee{UserID: u}
	}
	return workflow.Definition{Code: "indicator.review", Name: "示范创建指标复核", Steps: []workflow.Step{
		{Key: "review", Name: "司法局复核", Kind: workflow.KindAny, Assignees: as}}}
}

func (s *Service) engine() *workflow.Engine { return workflow.New(nil, nil) }

// Submit sends the self-assessment to the 司法局's review chain. It needs
// a self-assessment (a note) and, unless the item is scored from live
// data, at least one piece of evidence.
func (s *Service) Submit(ctx context.Context, id, version int64) (*AssignmentDetail, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		a, as, c, it, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.editable(a, as, c, version); err != nil {
			return err
		}
		if as.SelfNote == "" {
			return apperr.New(apperr.Precondition, "提交复核：请先自评（填写自评说明）")
		}
		if as.EvidenceCount == 0 && as.AutoValue == nil {
			return apperr.New(apperr.Precondition, "提交复核：请先上传佐证材料")
		}
		if as.Score == nil && it.Kind == KindNormal {
			return apperr.New(apperr.Precondition, "提交复核：尚未得出自评分，请填写自评分")
		}
		users, err := s.reviewers(ctx, c)
		if err != nil {
			return err
		}
		if len(users) == 0 {
			return apperr.New(apperr.Precondition, "提交复核：没有可以复核的司法局人员")
		}
		at := s.clock(ctx)
		initiator := a.UserID
		if initiator <= 0 { // the system (demo loader, imports): the chain still needs a person
			initiator = users[0]
		}
		inst, _, err := s.engine().Start(reviewDef(users), initiator, as.UnitID, at)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(inst)
		if err != nil {
			return err
		}
		due, err := s.reviewDue(s.today(ctx))
		if err != nil {
			return err
		}
		before := *as
		as.flow, as.Status, as.Rounds, as.ReviewDue = string(raw), StatusSubmitted, as.Rounds+1, due.String()
		if ok, err := s.st.saveAssignment(ctx, tx, as, version, at); err != nil || !ok {
			return conflictOr(err)
		}
		note := fmt.Sprintf("第 %d 次提交，复核期限 %s", as.Rounds, as.ReviewDue)
		if err := s.event(ctx, tx, a, id, "submit", note, at); err != nil {
			return err
		}
		return s.audit(ctx, tx, "submit", "indicator_assignment", id, as.UnitID, fmt.Sprintf("指标 %s 提交复核：%s", it.Code, note), before.Status, as.Status)
	})
	if err != nil {
		return nil, err
	}
	return s.Assignment(ctx, id)
}

// reviewDue is the review deadline counted from the submission day by the
// named calendar rule.
func (s *Service) reviewDue(from calendar.Date) (calendar.Date, error) {
	r, err := s.rules.Get(RuleReview)
	if err != nil {
		return calendar.Date{}, err
	}
	var c calendar.Clock
	if err := c.Start(r, from); err != nil {
		return calendar.Date{}, err
	}
	return c.Due(s.cal)
}

// ReviewInput is the 司法局's decision: approve (the score by the rules
// becomes final) or return for changes (an opinion is required).
type ReviewInput struct {
	Version int64  `json:"version"`
	Approve bool   `json:"approve"`
	Opinion string `json:"opinion" doc:"复核意见（退回时必填）"`
}

// Review decides a submitted self-assessment through the review chain.
func (s *Service) Review(ctx context.Context, id int64, in ReviewInput) (*AssignmentDetail, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		a, as, c, it, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if !a.CanIn(PermManage, c.unitPath) {
			return apperr.New(apperr.Forbidden, "只有司法局可以复核")
		}
		if c.Status != "open" {
			return apperr.New(apperr.Precondition, "测评已结束")
		}
		if as.Status != StatusSubmitted {
			return apperr.New(apperr.Precondition, "复核：该指标未处于待复核状态")
		}
		if as.Version != in.Version {
			return apperr.New(apperr.Conflict, "指标任务已被他人修改，请刷新后重试")
		}
		in.Opinion = strings.TrimSpace(in.Opinion)
		if utf8.RuneCountInString(in.Opinion) > maxText || strings.ContainsRune(in.Opinion, 0) {
			return apperr.Field("opinion", "复核意见过长或含有无效字符")
		}
		if !in.Approve && in.Opinion == "" {
			return apperr.Field("opinion", "退回修改须填写复核意见")
		}
		fl := flowOf(as)
		if fl == nil {
			return apperr.New(apperr.Internal, "复核流程数据缺失")
		}
		at := s.clock(ctx)
		act := workflow.Act{Actor: a.UserID, At: at, Opinion: in.Opinion}
		var next *workflow.Instance
		if in.Approve {
			next, _, err = s.engine().Approve(fl, act)
		} else {
			next, _, err = s.engine().Reject(fl, act)
		}
		if err != nil {
			return err
		}
		raw, err := json.Marshal(next)
		if err != nil {
			return err
		}
		before := *as
		as.flow, as.ReviewNote = string(raw), in.Opinion
		action, note := "return", "退回修改："+in.Opinion
		if in.Approve {
			r := s.compute(it, as)
			sc := r.Score
			if sc == nil {
				sc = ptr(0)
			}
			as.Status, as.FinalScore = StatusApproved, sc
			if it.Kind == KindVeto && r.Auto {
				as.VetoFailed = r.VetoFailed
			}
			action, note = "approve", fmt.Sprintf("定分 %.2f 分", *sc)
			if in.Opinion != "" {
				note += "；" + in.Opinion
			}
		} else {
			as.Status = StatusReturned
		}
		if ok, err := s.st.saveAssignment(ctx, tx, as, in.Version, at); err != nil || !ok {
			return conflictOr(err)
		}
		if err := s.event(ctx, tx, a, id, action, note, at); err != nil {
			return err
		}
		if in.Approve {
			if err := cancelReminder(ctx, tx, id); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, action, "indicator_assignment", id, as.UnitID, fmt.Sprintf("指标 %s 复核：%s", it.Code, note), before, as)
	})
	if err != nil {
		return nil, err
	}
	return s.Assignment(ctx, id)
}

// OverrideInput replaces an approved score; the reason is required.
type OverrideInput struct {
	Version int64   `json:"version"`
	Score   float64 `json:"score"`
	Reason  string  `json:"reason" doc:"调整理由（必填）"`
}

// Override replaces the final score of an approved assignment by hand
// (for a bound item, the score the registers gave). The reason is kept,
// audited and shown; the assignment shows as overridden.
func (s *Service) Override(ctx context.Context, id int64, in OverrideInput) (*AssignmentDetail, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		a, as, c, it, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if !a.CanIn(PermManage, c.unitPath) {
			return apperr.New(apperr.Forbidden, "只有司法局可以调整得分")
		}
		if c.Status != "open" {
			return apperr.New(apperr.Precondition, "测评已结束，得分不能再调整")
		}
		if as.Status != StatusApproved {
			return apperr.New(apperr.Precondition, "调整得分：须先复核定分")
		}
		if as.Version != in.Version {
			return apperr.New(apperr.Conflict, "指标任务已被他人修改，请刷新后重试")
		}
		var v apperr.Fields
		in.Reason = strings.TrimSpace(in.Reason)
		if in.Reason == "" {
			v.Add("reason", "人工调整得分须填写理由")
		} else if utf8.RuneCountInString(in.Reason) > maxText || strings.ContainsRune(in.Reason, 0) {
			v.Add("reason", "理由过长或含有无效字符")
		}
		lo, hi := 0.0, it.Points
		if it.Kind == KindDeduction {
			lo, hi = -math.Max(it.Cap, it.Points), 0
			if it.Cap == 0 {
				lo = -1000
			}
		}
		if math.IsNaN(in.Score) || math.IsInf(in.Score, 0) || in.Score < lo || in.Score > hi {
			v.Add("score", "得分应在 %g 至 %g 之间", lo, hi)
		}
		if err := v.Err(); err != nil {
			return err
		}
		before := *as
		as.FinalScore, as.Overridden, as.OverrideReason = ptr(round2(in.Score)), true, in.Reason
		at := s.clock(ctx)
		if ok, err := s.st.saveAssignment(ctx, tx, as, in.Version, at); err != nil || !ok {
			return conflictOr(err)
		}
		old := "无"
		if before.FinalScore != nil {
			old = fmt.Sprintf("%.2f", *before.FinalScore)
		}
		note := fmt.Sprintf("得分由 %s 调整为 %.2f；理由：%s", old, *as.FinalScore, in.Reason)
		if err := s.event(ctx, tx, a, id, "override", note, at); err != nil {
			return err
		}
		return s.audit(ctx, tx, "override", "indicator_assignment", id, as.UnitID, fmt.Sprintf("指标 %s %s", it.Code, note), before.FinalScore, as.FinalScore)
	})
	if err != nil {
		return nil, err
	}
	return s.Assignment(ctx, id)
}

// fileOwner decides who reads and adds an assignment's evidence files:
// readers of the assignment read; the lead unit adds while it may edit.
func (s *Service) fileOwner(ctx context.Context, id int64, write bool) (int64, error) {
	a, as, c, _, err := s.load(ctx, s.db, id)
	if err != nil {
		return 0, err
	}
	if write && !canEdit(a, as, c) {
		return 0, apperr.New(apperr.Forbidden, "只有牵头单位在提交复核前可以上传佐证材料")
	}
	return as.UnitID, nil
}
