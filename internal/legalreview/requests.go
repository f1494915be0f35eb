package legalreview

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// CheckInput answers one fair-competition standard.
type CheckInput struct {
	StandardID int64  `json:"standard_id"`
	Answer     string `json:"answer" enum:"comply,violate,na"`
	Note       string `json:"note,omitempty"`
}

// Open creates a review request linked to its subject and starts its chain.
func (s *Service) Open(ctx context.Context, in OpenInput) (*Review, error) {
	return s.open(ctx, in, nil, false)
}

// Submit is Open for requests made by users, with the fair-competition
// checklist that policy measures need.
func (s *Service) Submit(ctx context.Context, in OpenInput, checks []CheckInput) (*Review, error) {
	return s.open(ctx, in, checks, true)
}

// EnforcementSubject is the subject type of 重大执法决定 reviews (the
// enforcement module's case).
const EnforcementSubject = "enforcement_case"

func (s *Service) open(ctx context.Context, in OpenInput, checks []CheckInput, direct bool) (*Review, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	in.RequestedBy = strings.TrimSpace(in.RequestedBy)
	if in.UnitID == 0 {
		in.UnitID = actor.UnitID
	}
	today := s.today(ctx)
	minRule, err := s.rules.Get(RuleMin)
	if err != nil {
		return nil, err
	}
	minRes, err := s.cal.Compute(minRule.Period, today)
	if err != nil {
		return nil, err
	}
	kind := Kind(in.Kind)
	if kind == KindEnforcement {
		// 法制审核 of an enforcement decision has no minimum review time
		// (that of 重大行政决策条例 art. 27 is for decision drafts).
		minRes.Due = today
	}

	var v apperr.Fields
	if !kind.Valid() {
		v.Add("kind", "请选择审查类型（重大行政决策、规范性文件、合同协议或涉企政策措施）")
	} else if kind == KindEnforcement && (direct || in.SubjectType != EnforcementSubject) {
		v.Add("kind", "重大执法决定法制审核请在行政执法案件页面发起（须关联案件）")
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		v.Add("title", "请填写送审事项名称")
	case n > maxTitle:
		v.Add("title", "送审事项名称不能超过%d个字", maxTitle)
	}
	if utf8.RuneCountInString(in.Summary) > maxSummary {
		v.Add("summary", "送审说明不能超过%d个字", maxSummary)
	}
	if (in.SubjectType == "") != (in.SubjectID == 0) || in.SubjectID < 0 {
		v.Add("subject_id", "关联事项类型和编号须同时填写")
	}
	var unit UnitInfo
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择送审单位")
	} else if unit, err = s.dir.Unit(ctx, in.UnitID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		v.Add("unit_id", "送审单位不存在")
	} else if !actor.CanIn(PermWrite, unit.Path) {
		return nil, apperr.New(apperr.NotFound, "送审单位不存在或您无权以其名义送审")
	}
	requested := minRes.Due
	// A plan, not a record: bounded by the years any date may take, and by
	// the review's minimum period (with its own explanation).
	if d := calendar.CheckDate(&v, "requested_by", "要求完成日期", in.RequestedBy, false, calendar.Span{}); !d.IsZero() {
		if d.Before(minRes.Due) && kind == KindEnforcement {
			v.Add("requested_by", "要求完成日期不得早于提交之日（%s）", today)
		} else if d.Before(minRes.Due) {
			v.Add("requested_by", "要求完成日期不得早于 %s（%s）：合法性审查时间自提交之日（%s）起不少于%s", minRes.Due, minRes.Due.WeekdayZH(), today, minRule.Period)
		} else {
			requested = d
		}
	}
	for _, id := range in.FileIDs {
		if id <= 0 {
			v.Add("file_ids", "附件编号无效")
			break
		}
	}
	var checkRows []Check
	if kind == KindPolicy || len(checks) > 0 {
		rows, err := s.validateChecks(ctx, kind, checks, &v)
		if err != nil {
			return nil, err
		}
		checkRows = rows
	}
	if err := v.Err(); err != nil {
		return nil, err
	}

	chain, err := s.chainFor(ctx, unit.ID, kind)
	if err != nil {
		return nil, err
	}
	// The chain runs in the reviewing unit: role assignees resolve there
	// (0: anywhere in the district).
	reviewerUnit := chain.ReviewerUnitID
	now := s.clock(ctx)
	inst, _, err := s.engine(ctx).Start(chain.Definition, actor.UserID, reviewerUnit, now)
	if err != nil {
		return nil, err
	}
	reviewRule, err := s.rules.Get(RuleReview)
	if err != nil {
		return nil, err
	}
	r := &Review{
		Kind: kind, Title: in.Title, UnitID: unit.ID, UnitName: unit.Name, unitPath: unit.Path,
		SubjectType: in.SubjectType, SubjectID: in.SubjectID, Summary: in.Summary, FileIDs: slices.Clone(in.FileIDs),
		RequesterID: actor.UserID, RequesterName: actorName(actor), Status: StatusReviewing,
		SubmittedOn: today.String(), MinOn: minRes.Due.String(), RequestedBy: requested.String(),
		ChainID: chain.ID, ChainName: chain.Name, ReviewerUnitID: reviewerUnit,
		workflow: inst, Pending: inst.Pending(),
	}
	if r.FileIDs == nil {
		r.FileIDs = []int64{}
	}
	if err := r.clock.Start(reviewRule, today); err != nil {
		return nil, err
	}
	due, err := r.clock.Due(s.cal)
	if err != nil {
		return nil, err
	}
	r.DueOn = due.String()

	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if r.SubjectType != "" {
			prev, ok, err := s.st.latestForSubject(ctx, tx, r.SubjectType, r.SubjectID)
			if err != nil {
				return err
			}
			if ok && (prev.Status == StatusReviewing || prev.Status == StatusConcluding) {
				return apperr.New(apperr.Conflict, "该事项已有正在进行的合法性审查（第 %d 号），不能重复送审", prev.ID)
			}
		}
		if err := s.st.insertReview(ctx, tx, r, now); err != nil {
			return err
		}
		for _, c := range checkRows {
			if err := s.st.insertCheck(ctx, tx, r.ID, c); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "legalreview.open", ObjectType: "legalreview",
			ObjectID: fmt.Sprint(r.ID), UnitID: r.UnitID, After: r,
			Summary: fmt.Sprintf("提交合法性审查：%s（%s），审查时限至 %s", r.Title, kind.Label(), r.DueOn)})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, r.ID)
}

func actorName(a *auth.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

// validateChecks checks a policy's checklist: every active standard
// answered, "含有该内容" explained.
func (s *Service) validateChecks(ctx context.Context, kind Kind, checks []CheckInput, v *apperr.Fields) ([]Check, error) {
	if kind != KindPolicy {
		v.Add("checks", "只有涉企政策措施需要填写公平竞争审查自查表")
		return nil, nil
	}
	stds, err := s.st.standards(ctx, s.db, true)
	if err != nil {
		return nil, err
	}
	byID := map[int64]CheckInput{}
	for i, c := range checks {
		if _, dup := byID[c.StandardID]; dup {
			v.Add(fmt.Sprintf("checks[%d].standard_id", i), "公平竞争审查第 %d 项重复填写", i+1)
		}
		byID[c.StandardID] = c
	}
	var out []Check
	for i, st := range stds {
		c, ok := byID[st.ID]
		field := fmt.Sprintf("checks[%d]", i)
		switch {
		case !ok || c.Answer == "":
			v.Add(field+".answer", "请填写公平竞争审查“%s”第%d项：%s", st.Category, i+1, st.Text)
			continue
		case c.Answer != AnswerComply && c.Answer != AnswerViolate && c.Answer != AnswerNotApply:
			v.Add(field+".answer", "公平竞争审查第%d项的回答无效", i+1)
			continue
		case c.Answer == AnswerViolate && strings.TrimSpace(c.Note) == "":
			v.Add(field+".note", "公平竞争审查第%d项含有限制竞争内容，请说明理由及适用的例外情形", i+1)
			continue
		case utf8.RuneCountInString(c.Note) > maxReason:
			v.Add(field+".note", "公平竞争审查第%d项的说明不能超过%d个字", i+1, maxReason)
			continue
		}
		delete(byID, st.ID)
		out = append(out, Check{StandardID: st.ID, Category: st.Category, Text: st.Text, Answer: c.Answer, Note: strings.TrimSpace(c.Note)})
	}
	if len(byID) > 0 {
		v.Add("checks", "公平竞争审查自查表含有不存在或已停用的审查标准")
	}
	return out, nil
}

// chainFor picks the chain configured for a unit and kind: the most
// specific of (unit, kind), (unit, any), (any unit, kind), (any, any).
func (s *Service) chainFor(ctx context.Context, unitID int64, kind Kind) (Chain, error) {
	chains, err := s.st.chains(ctx, s.db)
	if err != nil {
		return Chain{}, err
	}
	for _, want := range [][2]any{{unitID, string(kind)}, {unitID, ""}, {int64(0), string(kind)}, {int64(0), ""}} {
		for _, c := range chains {
			if c.UnitID == want[0].(int64) && c.Kind == want[1].(string) {
				return c, nil
			}
		}
	}
	return Chain{}, apperr.New(apperr.Precondition, "尚未配置“%s”的合法性审查流程，请联系司法局配置审查流程", kind.Label())
}
