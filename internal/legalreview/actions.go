package legalreview

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/docx"
	"fazhi/internal/platform/update"
	"fazhi/internal/platform/workflow"
)

// ActInput is a reviewer's action on their task.
type ActInput struct {
	Action  string `json:"action" enum:"approve,return,transfer,add_signer" doc:"approve 同意并提出意见、return 退回、transfer 转办、add_signer 加签"`
	Opinion string `json:"opinion,omitempty" doc:"审查意见"`
	ToStep  string `json:"to_step,omitempty" doc:"退回到的步骤标识"`
	ToUser  int64  `json:"to_user,omitempty" doc:"转办或加签的人员"`
	Version int64  `json:"version" doc:"记录版本，防止覆盖他人的修改"`
}

var actionLabels = map[string]string{"approve": "同意", "return": "退回", "transfer": "转办", "add_signer": "加签"}

// Act records a reviewer's action on the current step.
func (s *Service) Act(ctx context.Context, id int64, in ActInput) (*Review, error) {
	return s.update(ctx, id, in.Version, PermRead, func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error) {
		if r.Status != StatusReviewing || r.workflow == nil {
			return audit.Event{}, apperr.New(apperr.Conflict, "该审查%s，不能再办理", r.Status.Label())
		}
		act := workflow.Act{Actor: actor.UserID, At: s.clock(ctx), Opinion: strings.TrimSpace(in.Opinion)}
		eng := s.engine(ctx)
		var next *workflow.Instance
		var err error
		switch in.Action {
		case "approve":
			next, _, err = eng.Approve(r.workflow, act)
		case "return":
			if in.ToStep == "" {
				return audit.Event{}, apperr.Field("to_step", "请选择退回到哪个环节")
			}
			next, _, err = eng.Return(r.workflow, act, in.ToStep)
		case "transfer":
			next, _, err = eng.Transfer(r.workflow, act, in.ToUser)
		case "add_signer":
			next, _, err = eng.AddSigner(r.workflow, act, in.ToUser)
		default:
			return audit.Event{}, apperr.Field("action", "办理操作无效，应为同意、退回、转办或加签")
		}
		if err != nil {
			return audit.Event{}, err
		}
		step := r.workflow.CurrentStep().Name
		r.workflow, r.Pending = next, next.Pending()
		if next.Status != workflow.Running {
			r.Status = StatusConcluding
		}
		return audit.Event{Action: "legalreview." + in.Action,
			Summary: fmt.Sprintf("%s：%s「%s」%s", r.Title, step, actionLabels[in.Action], act.Opinion)}, nil
	})
}

// update runs one action on review id through the platform update path
// (update.Run): it checks perm, loads the review (load checks that the
// actor may see it), requires the version the actor read, lets fn check and
// change r, writes r back if its stored version has not moved meanwhile,
// records the audit event fn returns (object fields and before/after filled
// in) and returns the review as stored.
func (s *Service) update(ctx context.Context, id, version int64, perm string, fn func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error)) (*Review, error) {
	if _, err := auth.Require(ctx, perm); err != nil {
		return nil, err
	}
	var actor *auth.Actor
	_, err := update.Run(ctx, s.db, version, update.Update[Review]{
		Load: func(ctx context.Context, tx *db.Tx) (Review, error) {
			a, r, err := s.load(ctx, tx, id)
			actor = a
			return r, err
		},
		Version: func(r Review) int64 { return r.Version },
		Change: func(ctx context.Context, tx *db.Tx, r *Review) (audit.Event, error) {
			ev, err := fn(tx, actor, r)
			ev.ObjectType, ev.ObjectID, ev.UnitID = "legalreview", fmt.Sprint(r.ID), r.UnitID
			return ev, err
		},
		Write: func(ctx context.Context, tx *db.Tx, r Review, loaded int64) (bool, error) {
			return s.st.updateReview(ctx, tx, r, loaded, s.clock(ctx))
		},
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func staleErr() error { return update.Conflict() }

// Withdraw lets the requester take back a review still under way.
func (s *Service) Withdraw(ctx context.Context, id int64, version int64, reason string) (*Review, error) {
	reason = strings.TrimSpace(reason)
	return s.update(ctx, id, version, PermWrite, func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error) {
		if !actor.CanIn(PermWrite, r.unitPath) {
			return audit.Event{}, apperr.New(apperr.Forbidden, "只有送审单位可以撤回审查申请")
		}
		if reason == "" {
			return audit.Event{}, apperr.Field("reason", "请填写撤回原因")
		}
		if r.Status != StatusReviewing {
			return audit.Event{}, apperr.New(apperr.Conflict, "该审查%s，不能撤回", r.Status.Label())
		}
		next, _, err := s.engine(ctx).Withdraw(r.workflow, workflow.Act{Actor: actor.UserID, At: s.clock(ctx), Opinion: reason})
		if err != nil {
			return audit.Event{}, err
		}
		r.workflow, r.Pending, r.Status = next, nil, StatusWithdrawn
		return audit.Event{Action: "legalreview.withdraw", Summary: fmt.Sprintf("撤回合法性审查：%s（%s）", r.Title, reason)}, nil
	})
}

// ConcludeInput is the review's conclusion.
type ConcludeInput struct {
	Conclusion string   `json:"conclusion" enum:"passed,passed_with_changes,failed" doc:"审查结论"`
	Summary    string   `json:"summary,omitempty" doc:"综合审查意见"`
	Opinions   []string `json:"opinions" doc:"具体审查意见，每条一项"`
	// Concluding before the minimum review time (min_on) needs the urgent
	// matter and who approved concluding early; both are kept and shown.
	EarlyReason   string `json:"early_reason,omitempty" doc:"未满最少审查时间提前办结的紧急事由"`
	EarlyApprover string `json:"early_approver,omitempty" doc:"批准提前办结的负责人（姓名、职务）"`
	Version       int64  `json:"version"`
}

// Conclude gives the conclusion once the chain has finished, numbers the
// opinion letter (gap-free per issuing unit and year) and closes the review.
func (s *Service) Conclude(ctx context.Context, id int64, in ConcludeInput) (*Review, error) {
	return s.update(ctx, id, in.Version, PermApprove, func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error) {
		if err := s.concluder(ctx, actor, r); err != nil {
			return audit.Event{}, err
		}
		var v apperr.Fields
		c := Conclusion(in.Conclusion)
		if !c.Valid() {
			v.Add("conclusion", "请选择审查结论（审查通过、修改后通过或审查不通过）")
		}
		in.Summary = strings.TrimSpace(in.Summary)
		if utf8.RuneCountInString(in.Summary) > maxSummary {
			v.Add("summary", "综合审查意见不能超过%d个字", maxSummary)
		}
		var items []string
		for i, o := range in.Opinions {
			o = strings.TrimSpace(o)
			switch {
			case o == "":
				v.Add(fmt.Sprintf("opinions[%d]", i), "第%d条审查意见不能为空", i+1)
			case utf8.RuneCountInString(o) > maxOpinion:
				v.Add(fmt.Sprintf("opinions[%d]", i), "第%d条审查意见不能超过%d个字", i+1, maxOpinion)
			}
			items = append(items, o)
		}
		if len(items) > maxOpinions {
			v.Add("opinions", "审查意见不能超过%d条", maxOpinions)
		}
		if (c == ConclusionPassedWithChanges || c == ConclusionFailed) && len(items) == 0 {
			v.Add("opinions", "“%s”须至少提出一条具体审查意见", c.Label())
		}
		if err := v.Err(); err != nil {
			return audit.Event{}, err
		}
		switch r.Status {
		case StatusReviewing:
			return audit.Event{}, apperr.New(apperr.Precondition, "审查流程尚未办完（当前环节：%s），不能出具审查结论", r.workflow.CurrentStep().Name)
		case StatusConcluding:
		default:
			return audit.Event{}, apperr.New(apperr.Conflict, "该审查%s，不能再出具结论", r.Status.Label())
		}
		today := s.today(ctx)
		in.EarlyReason, in.EarlyApprover = strings.TrimSpace(in.EarlyReason), strings.TrimSpace(in.EarlyApprover)
		early := today.String() < r.MinOn
		if early {
			if in.EarlyReason == "" {
				v.Add("early_reason", "审查时间不少于%s（最早 %s 办结）；今日提前办结须填写紧急事由", minPeriodLabel(s), r.MinOn)
			}
			if in.EarlyApprover == "" {
				v.Add("early_approver", "提前办结须写明批准人（姓名、职务）")
			}
		} else {
			in.EarlyReason, in.EarlyApprover = "", ""
		}
		if utf8.RuneCountInString(in.EarlyReason) > maxReason {
			v.Add("early_reason", "紧急事由不能超过%d个字", maxReason)
		}
		if utf8.RuneCountInString(in.EarlyApprover) > 100 {
			v.Add("early_approver", "批准人不能超过100个字")
		}
		if err := v.Err(); err != nil {
			return audit.Event{}, err
		}
		chain, err := s.st.chain(ctx, tx, r.ChainID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return audit.Event{}, err
		}
		prefix := chain.NumberPrefix
		if prefix == "" {
			prefix = "法审"
		}
		seq, err := s.st.nextNumber(ctx, tx, r.ReviewerUnitID, today.Year)
		if err != nil {
			return audit.Event{}, err
		}
		r.year, r.seq = today.Year, seq
		r.OpinionNo = docx.DocNumberText(prefix, today.Year, seq)
		r.Status, r.Conclusion, r.ConclusionText = StatusConcluded, c, in.Summary
		now := s.clock(ctx).UTC()
		r.FinishedOn, r.ConcludedBy, r.ConcludedAt = today.String(), actorName(actor), &now
		r.EarlyReason, r.EarlyApprover = in.EarlyReason, in.EarlyApprover
		for i, text := range items {
			if err := s.st.insertOpinion(ctx, tx, r.ID, i+1, text); err != nil {
				return audit.Event{}, err
			}
		}
		summary := fmt.Sprintf("出具法律审查意见书 %s：%s，结论“%s”，意见 %d 条", r.OpinionNo, r.Title, c.Label(), len(items))
		if early {
			summary += fmt.Sprintf("；未满最少审查时间（%s）提前办结，紧急事由：%s，批准人：%s", r.MinOn, r.EarlyReason, r.EarlyApprover)
		}
		return audit.Event{Action: "legalreview.conclude", Summary: summary}, nil
	})
}

// concluder checks that the actor concludes for the reviewing body: the
// one who approved the chain's last step, or an account holding
// legalreview.approve for exactly the reviewing unit (auth.Actor.ActsFor).
// The requesting unit never concludes the review of its own draft, however
// wide its approval rights.
func (s *Service) concluder(ctx context.Context, actor *auth.Actor, r *Review) error {
	reviewer := UnitInfo{Name: "审查机构"}
	if r.ReviewerUnitID != 0 {
		u, err := s.dir.Unit(ctx, r.ReviewerUnitID)
		if err != nil {
			return err
		}
		reviewer = u
	}
	forBody := actor.ActsFor(PermApprove, reviewer.Path)
	if actor.Within(r.unitPath) && !(forBody && actor.Within(reviewer.Path)) {
		return apperr.New(apperr.Forbidden, "送审单位（%s）不能对本单位送审的事项出具审查结论，应由审查机构（%s）出具", r.UnitName, reviewer.Name)
	}
	if !forBody && !finalApprover(*r, actor.UserID) {
		return apperr.New(apperr.Forbidden, "只有审查机构（%s）可以出具审查结论", reviewer.Name)
	}
	return nil
}

// minPeriodLabel names the minimum review time (规则 legalreview.min).
func minPeriodLabel(s *Service) string {
	if rule, err := s.rules.Get(RuleMin); err == nil {
		return rule.Period.String()
	}
	return "最少审查时间"
}

// finalApprover reports whether user approved the chain's last step.
func finalApprover(r Review, user int64) bool {
	if r.workflow == nil || r.workflow.Status != workflow.Approved {
		return false
	}
	last := r.workflow.Steps[len(r.workflow.Steps)-1]
	for _, t := range last.Tasks {
		if t.Round == last.Round && t.ActedBy == user && t.Status == workflow.TaskApproved {
			return true
		}
	}
	return false
}

// AdoptionItem answers one opinion item.
type AdoptionItem struct {
	Seq      int    `json:"seq" doc:"意见序号"`
	Adoption string `json:"adoption" enum:"adopted,partial,rejected" doc:"采纳、部分采纳、未采纳"`
	Reason   string `json:"reason,omitempty" doc:"部分采纳或未采纳的理由"`
}

// AdoptInput records the requester's answers.
type AdoptInput struct {
	Items   []AdoptionItem `json:"items"`
	Version int64          `json:"version"`
}

// Adopt records, per opinion item, whether the requester adopted it.
func (s *Service) Adopt(ctx context.Context, id int64, in AdoptInput) (*Review, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error) {
		if !actor.CanIn(PermWrite, r.unitPath) {
			return audit.Event{}, apperr.New(apperr.Forbidden, "只有送审单位可以反馈意见采纳情况")
		}
		if r.Status != StatusConcluded {
			return audit.Event{}, apperr.New(apperr.Precondition, "审查尚未办结，不能反馈意见采纳情况")
		}
		ops, err := s.st.opinions(ctx, tx, id)
		if err != nil {
			return audit.Event{}, err
		}
		if len(ops) == 0 {
			return audit.Event{}, apperr.New(apperr.Precondition, "该审查没有具体审查意见，无需反馈采纳情况")
		}
		var v apperr.Fields
		if len(in.Items) == 0 {
			v.Add("items", "请至少反馈一条意见的采纳情况")
		}
		seen := map[int]bool{}
		for i, it := range in.Items {
			f := fmt.Sprintf("items[%d]", i)
			a := Adoption(it.Adoption)
			switch {
			case it.Seq < 1 || it.Seq > len(ops):
				v.Add(f+".seq", "第%d行：意见序号 %d 不存在", i+1, it.Seq)
			case seen[it.Seq]:
				v.Add(f+".seq", "第%d行：第%d条意见重复反馈", i+1, it.Seq)
			}
			seen[it.Seq] = true
			if a != AdoptionAdopted && a != AdoptionPartial && a != AdoptionRejected {
				v.Add(f+".adoption", "第%d条意见：请选择采纳、部分采纳或未采纳", it.Seq)
			} else if a != AdoptionAdopted && strings.TrimSpace(it.Reason) == "" {
				v.Add(f+".reason", "第%d条意见%s，须说明理由", it.Seq, a.Label())
			}
			if utf8.RuneCountInString(it.Reason) > maxReason {
				v.Add(f+".reason", "第%d条意见的理由不能超过%d个字", it.Seq, maxReason)
			}
		}
		if err := v.Err(); err != nil {
			return audit.Event{}, err
		}
		now := s.clock(ctx)
		for _, it := range in.Items {
			if err := s.st.setAdoption(ctx, tx, id, it.Seq, Adoption(it.Adoption), strings.TrimSpace(it.Reason), actorName(actor), now); err != nil {
				return audit.Event{}, err
			}
		}
		// The review's feedback time moves and its version with it
		// (adoption answers change the record).
		r.FeedbackAt = &now
		return audit.Event{Action: "legalreview.adopt", After: in.Items,
			Summary: fmt.Sprintf("反馈审查意见采纳情况：%s（%d 条）", r.Title, len(in.Items))}, nil
	})
}
