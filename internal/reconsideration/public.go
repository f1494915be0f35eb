package reconsideration

import (
	"context"
	"fazhi/internal/platform/option"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// PublicDecision is a published decision with personal data removed: a
// natural person is named by surname only (张某), and no ID number, phone or
// address appears (art. 79: decisions are published; personal information
// is not).
type PublicDecision struct {
	ID           int64  `json:"id"`
	DecisionNo   string `json:"decision_no"`
	Applicant    string `json:"applicant" doc:"申请人（自然人隐去名字）"`
	Respondent   string `json:"respondent"`
	Act          string `json:"act"`
	Category     string `json:"category"`
	Outcome      string `json:"outcome"`
	OutcomeLabel string `json:"outcome_label"`
	Reason       string `json:"reason" doc:"决定理由（已去除个人信息）"`
	DecidedOn    string `json:"decided_on"`
	PublishedOn  string `json:"published_on"`
}

// PublicListInput filters the public decisions.
type PublicListInput struct {
	Q string `query:"q" doc:"决定书文号或行政行为"`
	db.ListReq
}

// anonymous is how a published decision names the applicant.
func anonymous(c *Case) string {
	if c.ApplicantType == "org" {
		return c.ApplicantName
	}
	r := []rune(strings.TrimSpace(c.ApplicantName))
	if len(r) == 0 {
		return "某"
	}
	return string(r[0]) + "某"
}

// scrub removes the applicant's personal data from text.
func scrub(c *Case, text string) string {
	for _, p := range []string{c.ApplicantIDNumber, c.ApplicantPhone, c.ApplicantAddress} {
		if strings.TrimSpace(p) != "" {
			text = strings.ReplaceAll(text, p, "（已隐去）")
		}
	}
	if c.ApplicantType != "org" && strings.TrimSpace(c.ApplicantName) != "" {
		text = strings.ReplaceAll(text, c.ApplicantName, anonymous(c))
	}
	return text
}

func public(c *Case) PublicDecision {
	return PublicDecision{ID: c.ID, DecisionNo: c.DecisionNo, Applicant: anonymous(c), Respondent: c.UnitName,
		Act: scrub(c, c.Act), Category: option.Label(Categories, c.Category), Outcome: c.Outcome, OutcomeLabel: option.Label(Outcomes, c.Outcome),
		Reason: scrub(c, c.DecisionReason), DecidedOn: c.ConcludedOn, PublishedOn: c.PublishedOn}
}

// PublicList lists published decisions; no login is needed.
func (s *Service) PublicList(ctx context.Context, in PublicListInput) (db.Paged[PublicDecision], error) {
	where, args := "c.status = 'published' AND c.published_on <= ?", []any{s.today(ctx).String()}
	if q := strings.TrimSpace(in.Q); q != "" {
		where += ` AND (c.decision_no LIKE ? ESCAPE '\' OR c.act LIKE ? ESCAPE '\')`
		args = append(args, db.Like(q), db.Like(q))
	}
	l := db.ListSQL{Cols: caseCols, From: strings.TrimPrefix(caseFrom, " FROM "), CountFrom: "reconsideration_cases c",
		Where: where, Args: args, Order: []db.Key{{Expr: "c.id", Desc: true}}}
	return db.Fetch(ctx, s.db, l, in.ListReq, func(sc db.Scanner) (PublicDecision, error) {
		c, err := scanCase(sc)
		if err != nil {
			return PublicDecision{}, err
		}
		return public(c), nil
	}, func(p PublicDecision) []any { return []any{p.ID} })
}

// PublicGet returns one published decision.
func (s *Service) PublicGet(ctx context.Context, id int64) (*PublicDecision, error) {
	c, err := s.st.get(ctx, s.db, id)
	if err != nil || c.Status != StatusPublished || c.PublishedOn > s.today(ctx).String() {
		return nil, apperr.New(apperr.NotFound, "决定书不存在或尚未公开")
	}
	p := public(c)
	return &p, nil
}
