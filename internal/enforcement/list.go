package enforcement

import (
	"context"
	"fazhi/internal/platform/option"
	"io"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// CaseFilter narrows the case register.
type CaseFilter struct {
	Q         string `query:"q" doc:"案件编号、平台编号、案由或当事人名称"`
	Kind      string `query:"kind" doc:"案件类别"`
	UnitID    int64  `query:"unit_id" doc:"单位（含下级）"`
	BodyID    int64  `query:"body_id" doc:"执法主体"`
	Source    string `query:"source" doc:"来源"`
	FiledFrom string `query:"filed_from" doc:"立案日期起 YYYY-MM-DD"`
	FiledTo   string `query:"filed_to" doc:"立案日期止 YYYY-MM-DD"`
	Rule      string `query:"rule" doc:"只看该规则未纠正命中的案件"`
	// The figures' links.
	DecidedFrom     string `query:"decided_from" doc:"决定日期起"`
	DecidedTo       string `query:"decided_to" doc:"决定日期止"`
	DiscloseDueFrom string `query:"disclose_due_from" doc:"公示期限起"`
	DiscloseDueTo   string `query:"disclose_due_to" doc:"公示期限止"`
	DisclosedOnTime bool   `query:"disclosed_on_time" doc:"只看按期公示的"`
	Major           bool   `query:"major" doc:"只看重大执法决定"`
	Reviewed        bool   `query:"reviewed" doc:"只看法制审核通过的"`
	ReportRequired  bool   `query:"report_required" doc:"只看须涉企处罚报备的已决定案件"`
	ReportedBefore  bool   `query:"reported_before" doc:"只看决定前已经司法局确认报备的"`
	Leniency        bool   `query:"leniency" doc:"只看适用不罚轻罚清单的"`
}

func (s *Service) caseSQL(ctx context.Context, f CaseFilter) (db.ListSQL, *auth.Actor, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	conds := []string{scope}
	var v apperr.Fields
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `(c.code LIKE ? ESCAPE '\' OR c.platform_no LIKE ? ESCAPE '\' OR c.title LIKE ? ESCAPE '\' OR c.party_name LIKE ? ESCAPE '\')`)
		l := db.Like(q)
		args = append(args, l, l, l, l)
	}
	if f.Kind != "" {
		k, ok := option.Value(CaseKinds, f.Kind)
		if !ok {
			v.Add("kind", "案件类别应为：%s", option.Joined(CaseKinds))
		}
		conds = append(conds, "c.kind = ?")
		args = append(args, k)
	}
	if f.Source != "" {
		src, ok := option.Value(CaseSources, f.Source)
		if !ok {
			v.Add("source", "来源应为：%s", option.Joined(CaseSources))
		}
		conds = append(conds, "c.source = ?")
		args = append(args, src)
	}
	if f.UnitID > 0 {
		conds = append(conds, "c.unit_id IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p.path FROM org_unit_refs p WHERE p.id = ?) || '%')")
		args = append(args, f.UnitID)
	}
	if f.BodyID > 0 {
		conds = append(conds, "c.body_id = ?")
		args = append(args, f.BodyID)
	}
	for _, d := range []struct{ field, label, value, cond string }{
		{"filed_from", "立案日期起", f.FiledFrom, "c.filed_on >= ?"}, {"filed_to", "立案日期止", f.FiledTo, "c.filed_on <= ?"},
		{"decided_from", "决定日期起", f.DecidedFrom, "c.decided_on <> '' AND c.decided_on >= ?"}, {"decided_to", "决定日期止", f.DecidedTo, "c.decided_on <> '' AND c.decided_on <= ?"},
		{"disclose_due_from", "公示期限起", f.DiscloseDueFrom, "c.disclose_due <> '' AND c.disclose_due >= ?"},
		{"disclose_due_to", "公示期限止", f.DiscloseDueTo, "c.disclose_due <> '' AND c.disclose_due <= ?"},
	} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		if day := calendar.CheckDate(&v, d.field, d.label, strings.TrimSpace(d.value), false, calendar.Span{}); !day.IsZero() {
			conds = append(conds, d.cond)
			args = append(args, day.String())
		}
	}
	if f.DisclosedOnTime {
		conds = append(conds, "c.disclose_due <> '' AND c.disclosed_on <> '' AND c.disclosed_on <= c.disclose_due")
	}
	if f.Major {
		conds = append(conds, "c.major = 1")
	}
	if f.Reviewed {
		conds = append(conds, "c.review_passed = 1")
	}
	if f.ReportRequired {
		conds = append(conds, "c.report_required = 1")
	}
	if f.ReportedBefore {
		conds = append(conds, "c.reported_before = 1")
	}
	if f.Leniency {
		conds = append(conds, "c.id IN (SELECT l.case_id FROM enforcement_case_leniency l)")
	}
	if r := strings.TrimSpace(f.Rule); r != "" {
		if _, ok := ruleByName(r); !ok {
			v.Add("rule", "没有名为“%s”的规则", r)
		}
		conds = append(conds, "c.id IN (SELECT h.case_id FROM enforcement_rule_hits h WHERE h.rule = ? AND h.status = 'open')")
		args = append(args, r)
	}
	if err := v.Err(); err != nil {
		return db.ListSQL{}, nil, err
	}
	return db.ListSQL{Cols: caseCols, From: caseFrom, CountFrom: "enforcement_cases c", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "c.id", Desc: true}}}, a, nil
}

// ListCases pages the case register in scope (parties masked as in GetCase).
func (s *Service) ListCases(ctx context.Context, f CaseFilter, req db.ListReq) (db.Paged[Case], error) {
	l, a, err := s.caseSQL(ctx, f)
	if err != nil {
		return db.Paged[Case]{Items: []Case{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Case, error) {
		c, err := scanCase(sc)
		if err != nil {
			return Case{}, err
		}
		decorateCase(c, a)
		return *c, nil
	}, func(c Case) []any { return []any{c.ID} })
}

// ExportCases writes the register rows of f to w (one cursor, streamed);
// the columns are the import's, so an export can be corrected and
// imported into another installation.
func (s *Service) ExportCases(ctx context.Context, w io.Writer, f CaseFilter) error {
	l, a, err := s.caseSQL(ctx, f)
	if err != nil {
		return err
	}
	cols := make([]xl.Column, 0, len(caseColumns)+2)
	cols = append(cols, xl.Column{Title: "案件编号"})
	for _, c := range caseColumns {
		col := xl.Column{Title: c.header}
		if strings.HasSuffix(c.header, "日期") {
			col.Kind = xl.Date
		}
		cols = append(cols, col)
	}
	cols = append(cols, xl.Column{Title: "来源"})
	return xl.Stream(w, xl.Sheet{Name: CaseSheet, Title: "行政执法案件台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			c, err := scanCase(sc)
			if err != nil {
				return err
			}
			decorateCase(c, a)
			row := []any{c.Code}
			for _, col := range caseColumns {
				row = append(row, col.get(c))
			}
			return add(append(row, c.SourceLabel)...)
		})
	}))
}
