package report

import (
	"context"
	"io"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

var exportHeaders = []string{"年度", "单位", "类型", "标题", "状态", "已提交版本", "公布版本", "公布时间", "指标生成时间"}

// listSQL is the list query of the actor's scope and filter.
func (s *Service) listSQL(ctx context.Context, flt Filter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	if flt.Year != 0 && (flt.Year < 2000 || flt.Year > 2100) {
		return db.ListSQL{}, apperr.Field("year", "年度应在 2000 至 2100 之间")
	}
	scope, args := auth.ScopeClause(a, PermRead, "r.unit_id")
	return s.st.listSQL(flt, scope, args), nil
}

// ExportTo streams the list as a workbook.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, l db.ListSQL) error {
	cols := make([]xl.Column, len(exportHeaders))
	for i, h := range exportHeaders {
		cols[i] = xl.Column{Title: h}
	}
	cols[3].Width = 40
	return xl.Stream(w, xl.Sheet{Name: "年度报告", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			r, err := scanReport(sc)
			if err != nil {
				return err
			}
			pub, no := "", ""
			if r.PublishedAt != nil {
				pub = r.PublishedAt.In(shanghai).Format("2006-01-02 15:04")
			}
			if r.PublishedNo > 0 {
				no = "第" + itoa(r.PublishedNo) + "版"
			}
			return add(r.Year, r.UnitName, r.KindLabel, r.Title, r.StatusLabel, r.Versions, no, pub, r.GeneratedAt.In(shanghai).Format("2006-01-02 15:04"))
		})
	}))
}
