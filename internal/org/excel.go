package org

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

var unitHeader = []string{"单位编码", "单位名称", "单位类型", "上级单位编码", "排序", "状态"}

const unitSheet = "组织机构"

// ExportUnits writes the units in the actor's scope to an Excel workbook in
// the layout ImportUnits reads.
func (s *Service) ExportUnits(ctx context.Context) ([]byte, error) {
	units, err := s.Tree(ctx, UnitFilter{})
	if err != nil {
		return nil, err
	}
	codes := map[int64]string{}
	for _, u := range units {
		codes[u.ID] = u.Code
	}
	cols := []xl.Column{{Title: unitHeader[0], Width: 16}, {Title: unitHeader[1], Width: 30}}
	for _, h := range unitHeader[2:] {
		cols = append(cols, xl.Column{Title: h, Width: 14})
	}
	return xl.Bytes(unitSheet, cols, func(add func(...any) error) error {
		for _, u := range units {
			status := "启用"
			if u.Status == "disabled" {
				status = "停用"
			}
			// A parent outside the scope has no code here and is left blank.
			if err := add(u.Code, u.Name, u.Type.Label(), codes[u.ParentID], u.Sort, status); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportProblem is one bad cell of an import.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// ImportReport says what an import did.
type ImportReport struct {
	Rows     int             `json:"rows"`
	Created  int             `json:"created"`
	Updated  int             `json:"updated"`
	Skipped  int             `json:"skipped"`
	Problems []ImportProblem `json:"problems"`
}

func parseUnitType(s string) (UnitType, bool) {
	s = strings.TrimSpace(s)
	for _, l := range UnitTypeLabels {
		if s == l.Label || s == string(l.Type) {
			return l.Type, true
		}
	}
	switch s {
	case "镇", "街道", "乡", "乡镇":
		return TypeTown, true
	case "村", "社区":
		return TypeVillage, true
	case "区", "县", "区人民政府":
		return TypeDistrict, true
	}
	return "", false
}

type importRow struct {
	row                      int
	code, name, parent, stat string
	typ                      UnitType
	sort                     int
}

// ImportUnits reads a workbook in the export layout. New codes are created
// under their parent (an existing unit or one earlier in the file); existing
// codes have name, type, order and status updated. Every bad row is
// reported; nothing is written when any row is bad unless validOnly.
func (s *Service) ImportUnits(ctx context.Context, data []byte, validOnly bool) (*ImportReport, error) {
	if _, err := auth.Require(ctx, "org.write"); err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: unitSheet,
		OpenMessage: "无法读取 Excel 文件，请使用导出的模板（.xlsx）", SheetMessage: "无法读取工作表 %s"})
	if err != nil {
		return nil, err
	}
	sheet := tb.Sheet
	rep := &ImportReport{Problems: []ImportProblem{}}
	if strings.TrimSpace(cell(tb.Header(), 0)) != unitHeader[0] {
		return nil, apperr.Field("file", "第 1 行应为表头：%s", strings.Join(unitHeader, "、"))
	}
	probs := xl.NewProblems(sheet)
	problem := func(r, c int, format string, args ...any) {
		probs.Addf(r, xl.ColumnLabel(c, unitHeader[c]), format, args...)
	}
	var items []importRow
	seen := map[string]int{}
	for _, row := range tb.Data() {
		n, r := row.Num, row.Cells
		rep.Rows++
		it := importRow{row: n, code: row.Cell(0), name: row.Cell(1), parent: row.Cell(3), stat: row.Cell(5)}
		if it.code == "" {
			problem(n, 0, "单位编码不能为空")
		} else if prev, dup := seen[it.code]; dup {
			problem(n, 0, "单位编码 %s 与第 %d 行重复", it.code, prev)
		} else {
			seen[it.code] = n
		}
		if it.name == "" {
			problem(n, 1, "单位名称不能为空")
		}
		t, ok := parseUnitType(cell(r, 2))
		if !ok {
			problem(n, 2, "单位类型“%s”不正确，应为 区县、部门、镇街、科室、村居 之一", cell(r, 2))
		}
		it.typ = t
		if v := strings.TrimSpace(cell(r, 4)); v != "" {
			if it.sort, err = strconv.Atoi(v); err != nil {
				problem(n, 4, "排序应为整数")
			}
		}
		switch it.stat {
		case "", "启用", "active":
			it.stat = "active"
		case "停用", "disabled":
			it.stat = "disabled"
		default:
			problem(n, 5, "状态应为 启用 或 停用")
		}
		items = append(items, it)
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		// Resolve parents: existing units or earlier rows.
		planned := map[string]bool{}
		for _, it := range items {
			if probs.Bad(it.row) {
				continue
			}
			existing, err := s.store.unitByCode(ctx, tx, it.code)
			exists := err == nil
			if exists {
				if !auth.From(ctx).CanIn("org.write", existing.Path) {
					problem(it.row, 0, "单位 %s 不在您的管理范围内", it.code)
				}
				continue
			}
			if it.parent == "" {
				problem(it.row, 3, "新单位须填写上级单位编码")
				continue
			}
			if !planned[it.parent] {
				p, err := s.store.unitByCode(ctx, tx, it.parent)
				if err != nil {
					problem(it.row, 3, "上级单位编码 %s 不存在（须为已有单位或本表前面的行）", it.parent)
					continue
				}
				if !auth.From(ctx).CanIn("org.write", p.Path) {
					problem(it.row, 3, "上级单位 %s 不在您的管理范围内", it.parent)
					continue
				}
			}
			planned[it.code] = true
		}
		if probs.Len() > 0 && !validOnly {
			return nil
		}
		for _, it := range items {
			if probs.Bad(it.row) {
				rep.Skipped++
				continue
			}
			existing, err := s.store.unitByCode(ctx, tx, it.code)
			if err == nil {
				after := existing
				after.Name, after.Type, after.Sort, after.Status = it.name, it.typ, it.sort, it.stat
				if after == existing {
					continue
				}
				if _, err := s.store.updateUnit(ctx, tx, after, existing.Version); err != nil {
					return err
				}
				rep.Updated++
				if err := audit.Record(ctx, tx, audit.Event{Action: "org.unit.update", ObjectType: "org_unit", ObjectID: fmt.Sprint(existing.ID), UnitID: existing.ID,
					Summary: "导入修改单位 " + it.name, Before: existing, After: after}); err != nil {
					return err
				}
				continue
			}
			p, err := s.store.unitByCode(ctx, tx, it.parent)
			if err != nil {
				return err
			}
			u := Unit{Code: it.code, Name: it.name, Type: it.typ, ParentID: p.ID, Sort: it.sort, Status: it.stat}
			if err := s.store.insertUnit(ctx, tx, &u, p.Path); err != nil {
				return err
			}
			rep.Created++
			if err := audit.Record(ctx, tx, audit.Event{Action: "org.unit.create", ObjectType: "org_unit", ObjectID: fmt.Sprint(u.ID), UnitID: u.ID,
				Summary: "导入新增单位 " + u.Name, After: u}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range probs.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	if len(rep.Problems) > 0 && !validOnly {
		rep.Skipped = rep.Rows
	}
	return rep, nil
}

func cell(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}
