package legalreview

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fazhi/internal/platform/workflow"
)

// Timeline turns the chain's history into lines with names, followed by
// the opinion letter (conclusion and its document number) and the
// requester's adoption feedback, in the order they happened.
func (s *Service) Timeline(ctx context.Context, id int64) ([]TimelineEntry, error) {
	_, r, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	out := []TimelineEntry{}
	if r.workflow == nil {
		return out, nil
	}
	var ids []int64
	for _, e := range r.workflow.History {
		ids = append(ids, e.Actor, e.User)
		ids = append(ids, e.To...)
	}
	names, err := s.dir.UserNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	name := func(id int64) string {
		if id == 0 {
			return "系统"
		}
		if n, ok := names[id]; ok {
			return n
		}
		return fmt.Sprintf("用户%d", id)
	}
	stepName := map[string]string{}
	for _, st := range r.workflow.Definition.Steps {
		stepName[st.Key] = st.Name
	}
	for _, e := range r.workflow.History {
		t := TimelineEntry{At: e.At, Action: string(e.Action), Label: e.Action.Label(), Step: stepName[e.Step],
			Actor: name(e.Actor), Opinion: e.Opinion, Target: stepName[e.TargetStep], DueAt: e.DueAt}
		if e.Action == workflow.ActFinish {
			// The chain's end says nothing about the conclusion, which the
			// opinion letter entry below gives.
			t.Label = "审查流程办结"
			if e.Result != workflow.Approved {
				t.Label = "审查流程终止（" + e.Result.Label() + "）"
			}
		}
		for _, u := range e.To {
			t.To = append(t.To, name(u))
		}
		if e.User != 0 {
			t.To = append(t.To, name(e.User))
		}
		out = append(out, t)
	}
	if r.Status != StatusConcluded {
		return out, nil
	}
	concl := TimelineEntry{Action: "conclude", Actor: r.ConcludedBy, Opinion: r.ConclusionText,
		Label: fmt.Sprintf("出具法律审查意见书 %s（%s）", r.OpinionNo, r.Conclusion.Label())}
	if r.EarlyReason != "" {
		concl.Early = fmt.Sprintf("未满最少审查时间（%s）提前办结。紧急事由：%s；批准人：%s", r.MinOn, r.EarlyReason, r.EarlyApprover)
	}
	if r.ConcludedAt != nil {
		concl.At = *r.ConcludedAt
	} else {
		concl.Date = r.FinishedOn // concluded before the time was recorded
	}
	out = append(out, concl)
	ops, err := s.st.opinions(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if fb, ok := feedbackEntry(ops, r.FeedbackAt); ok {
		out = append(out, fb)
	}
	return out, nil
}

// feedbackEntry summarises the requester's adoption record: counts per
// answer, the reasons given for the opinions not (fully) adopted, who
// answered last and when (the review's feedback time, or for records made
// before it was kept, the latest answer's time).
func feedbackEntry(ops []Opinion, at *time.Time) (TimelineEntry, bool) {
	count := map[Adoption]int{}
	var reasons []string
	var last *Opinion
	for i, o := range ops {
		count[o.Adoption]++
		if o.Adoption == AdoptionNone {
			continue
		}
		if o.AdoptionReason != "" {
			reasons = append(reasons, fmt.Sprintf("第%d条%s：%s", o.Seq, o.Adoption.Label(), o.AdoptionReason))
		}
		if o.AdoptedAt != nil && (last == nil || last.AdoptedAt.Before(*o.AdoptedAt)) {
			last = &ops[i]
		}
	}
	if last == nil {
		return TimelineEntry{}, false
	}
	var parts []string
	for _, a := range []Adoption{AdoptionAdopted, AdoptionPartial, AdoptionRejected, AdoptionNone} {
		if count[a] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 条", a.Label(), count[a]))
		}
	}
	t := TimelineEntry{At: *last.AdoptedAt, Action: "adopt", Actor: last.AdoptedBy,
		Label: "送审单位反馈采纳情况（" + strings.Join(parts, "、") + "）", Opinion: strings.Join(reasons, "；")}
	if at != nil {
		t.At = *at
	}
	return t, true
}
