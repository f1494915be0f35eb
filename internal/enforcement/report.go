package enforcement

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
)

// 涉企处罚报备: a penalty on an enterprise (party type organisation) above
// Options.ReportFen is reported to the 司法局, and its decision date can be
// recorded through the form only after the 司法局 acknowledged the report.
// Cases imported or pushed by the provincial platform record decisions
// made elsewhere: they are not refused, and the report-before-decision
// figure counts them as not reported.

// ReportStatuses of a report.
var ReportStatuses = []Option{{Value: "submitted", Label: "待司法局确认"}, {Value: "acknowledged", Label: "司法局已确认"}, {Value: "returned", Label: "司法局退回"}}

// PenaltyReport is the report of one case's penalty on an enterprise.
type PenaltyReport struct {
	ID          int64  `json:"id"`
	CaseID      int64  `json:"case_id"`
	CaseCode    string `json:"case_code"`
	CaseTitle   string `json:"case_title"`
	PartyName   string `json:"party_name"`
	UnitID      int64  `json:"unit_id"`
	UnitName    string `json:"unit_name"`
	AmountFen   int64  `json:"amount_fen" doc:"报备的拟罚款金额（分）"`
	Summary     string `json:"summary" doc:"拟处罚情况"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	SubmittedOn string `json:"submitted_on"`
	ReviewedOn  string `json:"reviewed_on"`
	ReviewNote  string `json:"review_note" doc:"确认意见或退回理由"`
	Version     int64  `json:"version"`
	unitPath    string
}

// ReportInput submits (or, after a return, submits again) a case's report.
type ReportInput struct {
	Summary string `json:"summary" doc:"拟处罚情况（违法事实、依据、拟处罚种类和金额）"`
	Version int64  `json:"version,omitempty" doc:"再次报备时为报备记录的版本号"`
}

// ReviewInput acknowledges or returns a report.
type ReviewInput struct {
	Note    string `json:"note,omitempty" doc:"确认意见；退回时必填退回理由"`
	Version int64  `json:"version"`
}

// reportRequired: a penalty on an organisation above the configured amount.
func (s *Service) reportRequired(kind, partyType string, amountFen int64) bool {
	return kind == "penalty" && partyType == "organisation" && amountFen > s.opt.ReportFen
}

// gateReport is the 涉企处罚报备 gate of the form: recording the decision
// date of a penalty that needs the report (newly, or because the amount or
// party changed) requires the report acknowledged by the 司法局 for at
// least the amount, on or before the decision date. caseID is 0 for a new
// case (which cannot have a report yet); old is the stored case on an edit.
func (s *Service) gateReport(ctx context.Context, q db.Querier, v *apperr.Fields, caseID int64, in *CaseInput, old *Case) error {
	if in.DecidedOn == "" || !s.reportRequired(in.Kind, in.PartyType, in.AmountFen) {
		return nil
	}
	if old != nil && old.DecidedOn != "" && s.reportRequired(old.Kind, old.PartyType, old.AmountFen) && old.AmountFen >= in.AmountFen {
		return nil // decided before under the same requirement: other edits pass
	}
	need := fmt.Sprintf("涉企处罚报备：对法人或其他组织罚款 %s 元，超过 %s 元，", yuan(in.AmountFen), yuan(s.opt.ReportFen))
	if caseID == 0 {
		v.Add("decided_on", "%s须先向司法局报备并经确认后才能登记决定日期；请先保存案件（不填决定日期），再提交报备", need)
		return nil
	}
	r, err := s.st.reportByCase(ctx, q, caseID)
	if apperr.Is(err, apperr.NotFound) {
		v.Add("decided_on", "%s尚未向司法局报备，不能登记决定日期", need)
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case r.Status == "submitted":
		v.Add("decided_on", "%s报备待司法局确认，确认后才能登记决定日期", need)
	case r.Status == "returned":
		v.Add("decided_on", "%s报备已被司法局退回（%s），请修改后重新报备", need, r.ReviewNote)
	case r.AmountFen < in.AmountFen:
		v.Add("decided_on", "%s罚款金额高于报备金额 %s 元，请重新报备", need, yuan(r.AmountFen))
	case in.DecidedOn < r.ReviewedOn:
		v.Add("decided_on", "决定日期不能早于司法局确认报备的日期（%s）", r.ReviewedOn)
	}
	return nil
}

// SubmitReport reports a case's penalty on an enterprise to the 司法局:
// first submission, or again after a return or a change of the amount.
func (s *Service) SubmitReport(ctx context.Context, caseID int64, in ReportInput) (*PenaltyReport, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	in.Summary = strings.TrimSpace(in.Summary)
	var v apperr.Fields
	switch n := utf8.RuneCountInString(in.Summary); {
	case n == 0:
		v.Add("summary", "请填写拟处罚情况")
	case n > 2000:
		v.Add("summary", "拟处罚情况不能超过 2000 个字")
	}
	var id int64
	again := false
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		c, err := s.st.caseRow(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, PermWrite, c.unitPath); err != nil {
			return err
		}
		if !s.reportRequired(c.Kind, c.PartyType, c.AmountFen) {
			v.Add("amount_fen", "只有对法人或其他组织罚款超过 %s 元的行政处罚需要报备（本案 %s，%s 元）", yuan(s.opt.ReportFen),
				option.Label(PartyTypes, c.PartyType), yuan(c.AmountFen))
		}
		if c.DecidedOn != "" {
			v.Add("case_id", "案件已于 %s 作出决定，报备应在决定前提交", c.DecidedOn)
		}
		old, err := s.st.reportByCase(ctx, tx, caseID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if old != nil {
			id, again = old.ID, true
			if old.Status == "submitted" {
				v.Add("case_id", "报备已提交，待司法局确认")
			} else if old.Status == "acknowledged" && old.AmountFen >= c.AmountFen {
				v.Add("case_id", "司法局已确认报备，无需再次报备")
			}
			if in.Version <= 0 {
				v.Add("version", "请提供报备记录的版本号")
			}
			return v.Err()
		}
		if err := v.Err(); err != nil {
			return err
		}
		if id, err = s.st.insertReport(ctx, tx, c, in.Summary, s.actorID(ctx), s.today(ctx).String(), s.clock(ctx)); err != nil {
			return err
		}
		r, err := s.st.report(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "enforcement.report.submit", ObjectType: "enforcement_penalty_report", ObjectID: itoa(id),
			UnitID: c.UnitID, Summary: fmt.Sprintf("案件 %s 向司法局报备涉企处罚（罚款 %s 元）", c.Code, yuan(c.AmountFen)), After: r})
	})
	if err != nil {
		return nil, err
	}
	if !again {
		return s.GetReport(ctx, id)
	}
	// Submitted again (after a return, or for a higher amount).
	return s.reviewStep(ctx, id, in.Version, PermWrite, func(ctx context.Context, tx *db.Tx, r *PenaltyReport) (audit.Event, error) {
		c, err := s.st.caseRow(ctx, tx, r.CaseID)
		if err != nil {
			return audit.Event{}, err
		}
		if c.DecidedOn != "" {
			return audit.Event{}, apperr.Field("case_id", "案件已于 %s 作出决定，报备应在决定前提交", c.DecidedOn)
		}
		if r.Status == "submitted" || (r.Status == "acknowledged" && r.AmountFen >= c.AmountFen) {
			return audit.Event{}, apperr.New(apperr.Conflict, "报备当前状态为“%s”，不需要再次报备", option.Label(ReportStatuses, r.Status))
		}
		r.Status, r.Summary, r.AmountFen, r.SubmittedOn, r.ReviewedOn, r.ReviewNote = "submitted", in.Summary, c.AmountFen, s.today(ctx).String(), "", ""
		return audit.Event{Action: "enforcement.report.resubmit", Summary: fmt.Sprintf("案件 %s 重新向司法局报备涉企处罚（罚款 %s 元）", c.Code, yuan(c.AmountFen))}, nil
	})
}

// AcknowledgeReport is the 司法局's confirmation of a submitted report.
func (s *Service) AcknowledgeReport(ctx context.Context, id int64, in ReviewInput) (*PenaltyReport, error) {
	if _, err := auth.Require(ctx, PermSupervise); err != nil {
		return nil, err
	}
	note := strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(note) > 1000 {
		return nil, apperr.Field("note", "确认意见不能超过 1000 个字")
	}
	return s.reviewStep(ctx, id, in.Version, PermSupervise, func(ctx context.Context, tx *db.Tx, r *PenaltyReport) (audit.Event, error) {
		if r.Status != "submitted" {
			return audit.Event{}, apperr.New(apperr.Conflict, "报备当前状态为“%s”，只有待确认的报备可以确认", option.Label(ReportStatuses, r.Status))
		}
		r.Status, r.ReviewedOn, r.ReviewNote = "acknowledged", s.today(ctx).String(), note
		return audit.Event{Action: "enforcement.report.acknowledge", Summary: fmt.Sprintf("司法局确认案件 %s 的涉企处罚报备", r.CaseCode)}, nil
	})
}

// ReturnReport sends a submitted report back with the reason.
func (s *Service) ReturnReport(ctx context.Context, id int64, in ReviewInput) (*PenaltyReport, error) {
	if _, err := auth.Require(ctx, PermSupervise); err != nil {
		return nil, err
	}
	note := strings.TrimSpace(in.Note)
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		return nil, apperr.Field("note", "请填写退回理由")
	case n > 1000:
		return nil, apperr.Field("note", "退回理由不能超过 1000 个字")
	}
	return s.reviewStep(ctx, id, in.Version, PermSupervise, func(ctx context.Context, tx *db.Tx, r *PenaltyReport) (audit.Event, error) {
		if r.Status != "submitted" {
			return audit.Event{}, apperr.New(apperr.Conflict, "报备当前状态为“%s”，只有待确认的报备可以退回", option.Label(ReportStatuses, r.Status))
		}
		r.Status, r.ReviewedOn, r.ReviewNote = "returned", s.today(ctx).String(), note
		return audit.Event{Action: "enforcement.report.return", Summary: fmt.Sprintf("司法局退回案件 %s 的涉企处罚报备：%s", r.CaseCode, note)}, nil
	})
}

// reviewStep runs one change of a report through update.Run (perm in the
// report's unit).
func (s *Service) reviewStep(ctx context.Context, id, version int64, perm string, change func(context.Context, *db.Tx, *PenaltyReport) (audit.Event, error)) (*PenaltyReport, error) {
	r, err := update.Run(ctx, s.db, version, update.Update[*PenaltyReport]{
		Load: func(ctx context.Context, tx *db.Tx) (*PenaltyReport, error) {
			r, err := s.st.report(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, perm, r.unitPath)
			return r, err
		},
		Version: func(r *PenaltyReport) int64 { return r.Version },
		Change: func(ctx context.Context, tx *db.Tx, rp **PenaltyReport) (audit.Event, error) {
			cp := **rp
			ev, err := change(ctx, tx, &cp)
			*rp = &cp
			ev.ObjectType, ev.ObjectID, ev.UnitID = "enforcement_penalty_report", itoa(id), cp.UnitID
			return ev, err
		},
		Write: func(ctx context.Context, tx *db.Tx, r *PenaltyReport, loaded int64) (bool, error) {
			return s.st.updateReport(ctx, tx, r, s.actorID(ctx), loaded, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *PenaltyReport) (*PenaltyReport, error) {
			return s.st.report(ctx, tx, id)
		},
	})
	if err != nil {
		return nil, err
	}
	r.StatusLabel = option.Label(ReportStatuses, r.Status)
	return r, nil
}

// GetReport reads a report in the actor's read scope.
func (s *Service) GetReport(ctx context.Context, id int64) (*PenaltyReport, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	r, err := s.st.report(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, r.unitPath) {
		return nil, apperr.New(apperr.NotFound, "报备不存在或无权查看")
	}
	r.StatusLabel = option.Label(ReportStatuses, r.Status)
	return r, nil
}

// ReportFilter narrows the reports list.
type ReportFilter struct {
	Status string `query:"status" enum:"submitted,acknowledged,returned," doc:"报备状态"`
	UnitID int64  `query:"unit_id" doc:"单位（含下级）"`
}

// ListReports pages the reports in scope (newest first).
func (s *Service) ListReports(ctx context.Context, f ReportFilter, req db.ListReq) (db.Paged[PenaltyReport], error) {
	l, err := s.reportSQL(ctx, f)
	if err != nil {
		return db.Paged[PenaltyReport]{Items: []PenaltyReport{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (PenaltyReport, error) {
		r, err := scanReport(sc)
		r.StatusLabel = option.Label(ReportStatuses, r.Status)
		return *r, err
	}, func(r PenaltyReport) []any { return []any{r.ID} })
}

func (s *Service) reportSQL(ctx context.Context, f ReportFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "r.unit_id")
	conds := []string{scope}
	if f.Status != "" {
		conds = append(conds, "r.status = ?")
		args = append(args, f.Status)
	}
	if f.UnitID > 0 {
		conds = append(conds, "r.unit_id IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p.path FROM org_unit_refs p WHERE p.id = ?) || '%')")
		args = append(args, f.UnitID)
	}
	return db.ListSQL{Cols: reportCols, From: reportFrom, CountFrom: "enforcement_penalty_reports r", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "r.id", Desc: true}}}, nil
}

// CaseInclusive is what the case page shows of 包容审慎监管: whether the
// case needs the report, the report, and the leniency list item applied.
type CaseInclusive struct {
	ReportRequired bool           `json:"report_required" doc:"须向司法局报备（对法人或其他组织罚款超过报备金额）"`
	ReportFen      int64          `json:"report_fen" doc:"报备金额（分）：超过即须报备"`
	Report         *PenaltyReport `json:"report"`
	Leniency       *CaseLeniency  `json:"leniency"`
}

// GetCaseInclusive reads a case's report and leniency link.
func (s *Service) GetCaseInclusive(ctx context.Context, caseID int64) (*CaseInclusive, error) {
	c, err := s.GetCase(ctx, caseID)
	if err != nil {
		return nil, err
	}
	out := &CaseInclusive{ReportRequired: s.reportRequired(c.Kind, c.PartyType, c.AmountFen), ReportFen: s.opt.ReportFen}
	r, err := s.st.reportByCase(ctx, s.db, caseID)
	if err == nil {
		r.StatusLabel = option.Label(ReportStatuses, r.Status)
		out.Report = r
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if out.Leniency, err = s.st.caseLeniency(ctx, s.db, caseID); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) actorID(ctx context.Context) int64 {
	if a := auth.From(ctx); a != nil {
		return a.UserID
	}
	return 0
}

// reportFacts are the figure columns of a case: whether its decision
// needed the report and whether the report was acknowledged by the
// decision date for at least the amount.
type reportFacts struct{ required, before bool }

func (s *Service) reportFacts(ctx context.Context, q db.Querier, c *Case) (reportFacts, error) {
	if c.DecidedOn == "" || !s.reportRequired(c.Kind, c.PartyType, c.AmountFen) {
		return reportFacts{}, nil
	}
	r, err := s.st.reportByCase(ctx, q, c.ID)
	if apperr.Is(err, apperr.NotFound) {
		return reportFacts{required: true}, nil
	}
	if err != nil {
		return reportFacts{}, err
	}
	return reportFacts{required: true, before: r.Status == "acknowledged" && r.AmountFen >= c.AmountFen && r.ReviewedOn <= c.DecidedOn}, nil
}
