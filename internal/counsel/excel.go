package counsel

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	xl "fazhi/internal/platform/xlsx"
)

// Sheets of the two imports.
const (
	AdviserSheet = "法律顾问库"
	WorkSheet    = "法律顾问工作记录"
)

// maxImportRows is the batch limit of one import (a district's pool is a
// few hundred advisers; a year's work records a few thousand).
const maxImportRows = 5000

// ImportProblem is one bad cell (or row) of an import.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// ImportReport says what an import found and did: nothing is written when
// any row is bad.
type ImportReport struct {
	Rows     int             `json:"rows"`
	Valid    int             `json:"valid"`
	Created  int             `json:"created"`
	Problems []ImportProblem `json:"problems"`
}

// importColumn is one column of an import sheet: its header and the input
// field its problems are reported under.
type importColumn struct {
	header, field string
	required      bool
}

var adviserColumns = []importColumn{
	{"管理单位", "unit_id", true}, {"姓名", "name", true}, {"层级", "level", true}, {"类别", "kind", true},
	{"执业机构", "firm", false}, {"执业证号", "license_no", false}, {"资格、专长", "qualification", false}, {"联系电话", "phone", false},
	{"服务单位", "contract_unit", false}, {"聘期起", "starts_on", false}, {"聘期止", "ends_on", false}, {"报酬（元）", "fee", false},
	{"计酬方式", "fee_basis", false},
}

var workColumns = []importColumn{
	{"法律顾问", "adviser", true}, {"执业证号", "license_no", false}, {"服务单位", "unit_id", true}, {"工作类别", "kind", true},
	{"日期", "day", true}, {"事项", "title", true}, {"说明", "note", false},
}

// sheetRows is an import sheet read against its columns.
type sheetRows struct {
	sheet string
	cols  []importColumn
	index map[string]int // field → 0-based column
	rows  []xl.Row
	probs *xl.Problems
}

func readSheet(data []byte, sheet, what string, cols []importColumn) (*sheetRows, error) {
	tb, err := xl.Read(data, xl.Options{Sheet: sheet, MaxRows: maxImportRows,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的" + what, SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	headers := make([]string, len(cols))
	for i, c := range cols {
		headers[i] = c.header
	}
	byHeader, _ := tb.Columns(headers...)
	r := &sheetRows{sheet: tb.Sheet, cols: cols, index: map[string]int{}, rows: tb.Data(), probs: xl.NewProblems(tb.Sheet)}
	var missing []string
	for _, c := range cols {
		if i, ok := byHeader[c.header]; ok {
			r.index[c.field] = i
		} else if c.required {
			missing = append(missing, c.header)
		}
	}
	switch {
	case len(missing) > 0:
		return nil, apperr.Field("file", "工作表「%s」第 1 行缺少列：%s（请使用导入模板）", tb.Sheet, strings.Join(missing, "、"))
	case len(r.rows) == 0:
		return nil, apperr.Field("file", "工作表「%s」没有数据行", tb.Sheet)
	case len(r.rows) > maxImportRows:
		return nil, apperr.Field("file", "一次最多导入 %d 行，请分批导入", maxImportRows)
	}
	return r, nil
}

func (r *sheetRows) get(row xl.Row, field string) string {
	if i, ok := r.index[field]; ok {
		return row.Cell(i)
	}
	return ""
}

// add reports a problem of row under field's column (the row's first
// column for a field the sheet has no column for).
func (r *sheetRows) add(row xl.Row, field, reason string) {
	for _, c := range r.cols {
		if c.field == field {
			if i, ok := r.index[field]; ok {
				r.probs.Add(row.Num, xl.ColumnLabel(i, c.header), reason)
				return
			}
		}
	}
	r.probs.Add(row.Num, xl.ColumnLabel(0, r.cols[0].header), reason)
}

// addErr reports a validation error's fields (or its message) for row.
func (r *sheetRows) addErr(row xl.Row, err error, rename map[string]string) error {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		return err
	}
	if len(e.Fields) == 0 {
		r.add(row, "", e.Message)
	}
	for _, f := range e.Fields {
		field := f.Field
		if to, ok := rename[field]; ok {
			field = to
		}
		r.add(row, field, f.Message)
	}
	return nil
}

func (r *sheetRows) report(valid, created int) *ImportReport {
	rep := &ImportReport{Rows: len(r.rows), Valid: valid, Created: created, Problems: []ImportProblem{}}
	for _, p := range r.probs.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	return rep
}

// template is an empty import workbook with the drop-down lists and an
// instructions sheet.
func template(sheet, title string, cols []importColumn, choices map[string][]string, notes []string, example []any) ([]byte, error) {
	xc := make([]xl.Column, len(cols))
	for i, c := range cols {
		xc[i] = xl.Column{Title: c.header, Width: 16, Choices: choices[c.field]}
		if c.required {
			xc[i].Title += "*"
		}
		if c.field == "day" || c.field == "starts_on" || c.field == "ends_on" {
			xc[i].Kind = xl.Date
		}
	}
	return xl.StreamBytes(xl.Sheet{Name: sheet, Title: title, Columns: xc, Instructions: notes}, xl.Slice([][]any{example}))
}

// AdviserTemplate is the pool's import workbook.
func AdviserTemplate() ([]byte, error) {
	return template(AdviserSheet, "法律顾问库导入模板", adviserColumns,
		map[string][]string{"level": option.Labels(Levels), "kind": option.Labels(Kinds)}, []string{
			"法律顾问库导入说明",
			"1. 第1行为表头，请勿修改；第2行为示例，导入前请删除或替换。带 * 的列必填。",
			"2. 管理单位、服务单位填写系统中的单位名称，须在您的管理范围内。",
			"3. 层级可选：" + strings.Join(option.Labels(Levels), "、") + "；类别可选：" + strings.Join(option.Labels(Kinds), "、") + "（执业律师、公职律师须填执业证号）。",
			"4. 已签聘用合同的，填写服务单位、聘期起、聘期止（YYYY-MM-DD）和报酬（元）；不填服务单位则只入库。",
			"5. 有错误的行会逐行列出（工作表、行号、列、原因）；任何一行有误时整批不导入。",
		}, []any{"区司法局", "王明", "区级", "执业律师", "示例律师事务所", "13301200000000001", "行政法", "13800000000", "区司法局",
			time.Now().Format("2006") + "-01-01", time.Now().Format("2006") + "-12-31", 30000, "按年度"})
}

// WorkTemplate is the work records' import workbook.
func WorkTemplate() ([]byte, error) {
	return template(WorkSheet, "法律顾问工作记录导入模板", workColumns, map[string][]string{"kind": option.Labels(WorkKinds)}, []string{
		"法律顾问工作记录导入说明",
		"1. 第1行为表头，请勿修改；第2行为示例，导入前请删除或替换。带 * 的列必填。",
		"2. 法律顾问填写顾问库中的姓名；同名的请同时填写执业证号。服务单位填写单位名称。",
		"3. 工作类别可选：" + strings.Join(option.Labels(WorkKinds), "、") + "。日期格式为 YYYY-MM-DD，且在该顾问与服务单位的聘期内。",
		"4. 有错误的行会逐行列出（工作表、行号、列、原因）；任何一行有误时整批不导入。",
	}, []any{"王明", "", "区司法局", "出具书面法律意见", time.Now().Format("2006-01-02"), "关于某合同的法律意见", ""})
}

// unitsByName maps the active units' names to their refs (a name used by
// two units is ambiguous and maps to nothing).
func (s *Service) unitsByName(ctx context.Context) (map[string]*UnitRef, error) {
	us, err := s.dir.Units(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]*UnitRef{}
	for i := range us {
		if _, dup := out[us[i].Name]; dup {
			out[us[i].Name] = nil
			continue
		}
		out[us[i].Name] = &us[i]
	}
	return out, nil
}

// writableUnit resolves a unit name the actor may manage; it reports the
// problem under field otherwise.
func writableUnit(r *sheetRows, row xl.Row, field, label, name string, units map[string]*UnitRef, actor *auth.Actor) *UnitRef {
	u, ok := units[name]
	switch {
	case name == "":
		r.add(row, field, "请填写"+label)
	case !ok:
		r.add(row, field, fmt.Sprintf("找不到单位「%s」", name))
	case u == nil:
		r.add(row, field, fmt.Sprintf("单位名称「%s」不唯一，请在系统中核对", name))
	case !actor.CanIn(PermWrite, u.Path):
		r.add(row, field, fmt.Sprintf("单位「%s」不在您的管理范围内", name))
	default:
		return u
	}
	return nil
}

// ImportAdvisers loads the pool from the workbook: one adviser per row,
// with the contract of the row when a serving unit is given. Every bad row
// is reported with sheet, row, column and reason, and nothing is written
// when any row is bad.
func (s *Service) ImportAdvisers(ctx context.Context, data []byte) (*ImportReport, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	r, err := readSheet(data, AdviserSheet, "法律顾问库", adviserColumns)
	if err != nil {
		return nil, err
	}
	units, err := s.unitsByName(ctx)
	if err != nil {
		return nil, err
	}
	licensed, err := db.All(ctx, s.db, func(sc db.Scanner) (string, error) {
		var l string
		return l, sc.Scan(&l)
	}, "SELECT license_no FROM counsel_advisers WHERE license_no <> '' AND active = 1")
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, l := range licensed {
		seen[l] = 0
	}
	type item struct {
		a *Adviser
		k *Contract
	}
	var valid []item
	for _, row := range r.rows {
		before := r.probs.Len()
		a := &Adviser{}
		if u := writableUnit(r, row, "unit_id", "管理单位", r.get(row, "unit_id"), units, actor); u != nil {
			a.UnitID = u.ID
		}
		in := AdviserInput{Name: r.get(row, "name"), Level: r.get(row, "level"), Kind: r.get(row, "kind"), Firm: r.get(row, "firm"),
			LicenseNo: r.get(row, "license_no"), Qualification: r.get(row, "qualification"), Phone: r.get(row, "phone")}
		if err := s.checkAdviser(ctx, in, a); err != nil {
			if err := r.addErr(row, err, nil); err != nil {
				return nil, err
			}
		}
		if l := a.LicenseNo; l != "" {
			if at, dup := seen[l]; dup {
				where := "顾问库中已有在册的顾问"
				if at > 0 {
					where = fmt.Sprintf("与第 %d 行重复", at)
				}
				r.add(row, "license_no", fmt.Sprintf("执业证号「%s」%s", l, where))
			} else {
				seen[l] = row.Num
			}
		}
		var k *Contract
		unitName, start, end := r.get(row, "contract_unit"), r.get(row, "starts_on"), r.get(row, "ends_on")
		if unitName != "" || start != "" || end != "" {
			k = &Contract{}
			if u := writableUnit(r, row, "contract_unit", "服务单位", unitName, units, actor); u != nil {
				k.UnitID, k.UnitName = u.ID, u.Name
			}
			fee, ferr := int64(0), error(nil)
			if t := r.get(row, "fee"); t != "" {
				if fee, ferr = strconv.ParseInt(strings.ReplaceAll(t, ",", ""), 10, 64); ferr != nil {
					r.add(row, "fee", "报酬应为整数（元）")
				}
			}
			if err := checkContract(ContractInput{StartsOn: excelDate(start), EndsOn: excelDate(end), Fee: fee, FeeBasis: r.get(row, "fee_basis")}, k); err != nil {
				if err := r.addErr(row, err, map[string]string{"note": "fee_basis"}); err != nil {
					return nil, err
				}
			}
		}
		if r.probs.Len() == before {
			valid = append(valid, item{a, k})
		}
	}
	if r.probs.Len() > 0 {
		return r.report(len(valid), 0), nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		at := s.clock(ctx)
		for _, it := range valid {
			id, err := s.st.insertAdviser(ctx, tx, it.a, at)
			if err != nil {
				return err
			}
			it.a.ID = id
			ev := adviserAudit(it.a, "adviser.import", "导入入库（"+option.Label(Levels, it.a.Level)+"）")
			ev.After = it.a
			if err := audit.Record(ctx, tx, ev); err != nil {
				return err
			}
			if it.k != nil {
				it.k.AdviserID = id
				if err := s.insertContract(ctx, tx, it.a, it.k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.report(len(valid), len(valid)), nil
}

// ImportWorks loads work records: each row names an adviser of the pool in
// the actor's scope (by name, or by licence number where names repeat), a
// unit they serve under a contract in force on the day, and the work. Every
// bad row is reported; nothing is written when any row is bad.
func (s *Service) ImportWorks(ctx context.Context, data []byte) (*ImportReport, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	r, err := readSheet(data, WorkSheet, "法律顾问工作记录", workColumns)
	if err != nil {
		return nil, err
	}
	units, err := s.unitsByName(ctx)
	if err != nil {
		return nil, err
	}
	scope, args := auth.ScopeClause(actor, PermWrite, "a.unit_id")
	type pooled struct {
		id            int64
		name, license string
	}
	pool, err := db.All(ctx, s.db, func(sc db.Scanner) (pooled, error) {
		var p pooled
		return p, sc.Scan(&p.id, &p.name, &p.license)
	}, "SELECT a.id, a.name, a.license_no FROM counsel_advisers a WHERE "+scope, args...)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	var valid []*Work
	for _, row := range r.rows {
		before := r.probs.Len()
		name, license := r.get(row, "adviser"), r.get(row, "license_no")
		var match []pooled
		for _, p := range pool {
			if (license != "" && p.license == license) || (license == "" && p.name == name) {
				match = append(match, p)
			}
		}
		w := &Work{}
		switch {
		case name == "" && license == "":
			r.add(row, "adviser", "请填写法律顾问")
		case len(match) == 0 && license != "":
			r.add(row, "license_no", fmt.Sprintf("您管理的顾问库中没有执业证号为「%s」的法律顾问", license))
		case len(match) == 0:
			r.add(row, "adviser", fmt.Sprintf("您管理的顾问库中没有「%s」", name))
		case len(match) > 1:
			r.add(row, "adviser", fmt.Sprintf("顾问库中有 %d 位「%s」，请填写执业证号", len(match), name))
		default:
			w.AdviserID, w.AdviserName = match[0].id, match[0].name
		}
		unitText := r.get(row, "unit_id")
		if u, ok := units[unitText]; ok && u != nil {
			w.UnitID, w.UnitName = u.ID, u.Name
		} else if unitText != "" {
			r.add(row, "unit_id", fmt.Sprintf("找不到单位「%s」", unitText))
		}
		in := WorkInput{UnitID: w.UnitID, Kind: r.get(row, "kind"), Day: excelDate(r.get(row, "day")), Title: r.get(row, "title"), Note: r.get(row, "note")}
		for _, f := range checkWork(in, w, today) {
			if f.Field != "unit_id" || unitText == "" {
				r.add(row, f.Field, f.Message)
			}
		}
		if r.probs.Len() == before {
			ok, err := s.st.covering(ctx, s.db, w.AdviserID, w.UnitID, w.Day)
			if err != nil {
				return nil, err
			}
			if !ok {
				r.add(row, "day", fmt.Sprintf("%s 在 %s 没有与「%s」的有效聘用合同", w.AdviserName, w.Day, w.UnitName))
				continue
			}
			valid = append(valid, w)
		}
	}
	if r.probs.Len() > 0 {
		return r.report(len(valid), 0), nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, w := range valid {
			if err := s.recordWork(ctx, tx, actor, w, "work.import"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.report(len(valid), len(valid)), nil
}

// excelDate normalizes a date cell to YYYY-MM-DD; a cell it cannot read
// is left as is for the row check to report.
func excelDate(s string) string {
	if d, ok := xl.ParseDate(s); ok && !d.IsZero() {
		return d.String()
	}
	return s
}

// ExportWorksTo streams the work records of l to w as .xlsx.
func (s *Service) ExportWorksTo(ctx context.Context, w io.Writer, l db.ListSQL) error {
	cols := []xl.Column{{Title: "日期", Kind: xl.Date}, {Title: "法律顾问"}, {Title: "服务单位"}, {Title: "工作类型"}, {Title: "事项", Width: 40}, {Title: "备注", Width: 40}}
	return xl.Stream(w, xl.Sheet{Name: "法律顾问工作记录", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			wk, err := scanWork(sc)
			if err != nil {
				return err
			}
			return add(wk.Day, wk.AdviserName, wk.UnitName, wk.KindLabel, wk.Title, wk.Note)
		})
	}))
}
