package legalreview

import (
	"context"
	"fmt"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// Participation is one legality review a person held a task in (a legal
// adviser's opinion on the counsel step, for instance), for the counsel
// module's work records.
type Participation struct {
	ReviewID    int64  `json:"review_id"`
	Title       string `json:"title"`
	KindLabel   string `json:"kind_label"`
	UnitName    string `json:"unit_name"`
	StatusLabel string `json:"status_label"`
	Step        string `json:"step" doc:"参与的审查环节"`
	ActedOn     string `json:"acted_on,omitempty" doc:"出具意见日期"`
	Opinion     string `json:"opinion,omitempty"`
	OpinionNo   string `json:"opinion_no,omitempty"`
}

// ParticipationsOf lists, newest first and at most limit, the reviews in
// which user held a task on a chain step, with that step, the day they
// acted and their opinion. A read-only lookup for other modules (no scope:
// the caller decides who may see the person's record); it reads the
// reviews whose chain mentions the user and checks the tasks themselves.
func (s *Service) ParticipationsOf(ctx context.Context, userID int64, limit int) ([]Participation, error) {
	out := []Participation{}
	if userID <= 0 {
		return out, nil
	}
	rows, err := db.All(ctx, s.db, scanReview, "SELECT "+reviewCols+reviewFrom+` WHERE r.workflow LIKE ? ORDER BY r.id DESC`,
		fmt.Sprintf(`%%"assignee":%d,%%`, userID))
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if !participates(r, userID) {
			continue
		}
		s.decorate(&r)
		p := Participation{ReviewID: r.ID, Title: r.Title, KindLabel: r.KindLabel, UnitName: r.UnitName, StatusLabel: r.StatusLabel, OpinionNo: r.OpinionNo}
		for i, st := range r.workflow.Steps {
			for _, t := range st.Tasks {
				if t.Assignee != userID {
					continue
				}
				p.Step = r.workflow.Definition.Steps[i].Name
				if !t.ActedAt.IsZero() {
					p.ActedOn, p.Opinion = calendar.Today(t.ActedAt).String(), t.Opinion
				}
			}
		}
		out = append(out, p)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
