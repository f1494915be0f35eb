package mediation

import (
	"bytes"
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// SheetName is the worksheet of exports and imports.
const SheetName = "人民调解案件"

// MaxImportRows limits one workbook: a district's year is about 13,000
// cases, written in one transaction (writeImport).
const MaxImportRows = 20000

// Columns of the export and of the import (found by header text, so an
// exported file can be filled in and imported back).
const (
	hCommittee    = "调解委员会"
	hCaseNo       = "案号"
	hType         = "纠纷类型"
	hSource       = "案件来源"
	hSourceRef    = "来源文书编号"
	hReceived     = "受理日期"
	hParties      = "当事人"
	hPhone        = "联系电话"
	hIDNumber     = "身份证号码"
	hAddress      = "住址"
	hSummary      = "纠纷简要情况"
	hMediator     = "调解员"
	hResult       = "调解结果"
	hClosed       = "结案日期"
	hForm         = "协议形式"
	hTerms        = "协议内容"
	hFailed       = "调解不成原因"
	hApplied      = "申请司法确认日期"
	hCourt        = "受理法院"
	hConfirm      = "司法确认结果"
	hConfirmOn    = "裁定日期"
	hFulfilment   = "履行情况"
	hFulfilledOn  = "履行完毕日期"
	hLitigationOn = "引导诉讼日期"
)

var importHeaders = []string{hCommittee, hCaseNo, hType, hSource, hSourceRef, hReceived, hParties, hPhone, hIDNumber, hAddress, hSummary,
	hMediator, hResult, hClosed, hForm, hTerms, hFailed, hApplied, hCourt, hConfirm, hConfirmOn, hFulfilment, hFulfilledOn, hLitigationOn}

var requiredHeaders = []string{hCommittee, hType, hSource, hReceived, hParties}

var exportHeaders = append([]string{"登记编号", "所属单位"}, append(importHeaders, "状态", "调解次数", "回访次数", "申请司法确认期限")...)

// ExportSQL checks the actor may read the register and returns the query
// an export of f runs (before any byte of the file is sent).
func (s *Service) ExportSQL(ctx context.Context, f Filter) (*auth.Actor, db.ListSQL, error) {
	return s.listSQL(ctx, f)
}

// Export writes the filtered register as .xlsx into memory (tests).
func (s *Service) Export(ctx context.Context, f Filter) ([]byte, error) {
	a, l, err := s.listSQL(ctx, f)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = s.ExportTo(ctx, &buf, a, l)
	return buf.Bytes(), err
}

// ExportTo streams the rows of l to w as .xlsx through one cursor; personal
// data is masked as on screen.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, a *auth.Actor, l db.ListSQL) error {
	cols := make([]xl.Column, len(exportHeaders))
	for i, h := range exportHeaders {
		cols[i] = xl.Column{Title: h}
		if strings.HasSuffix(h, "日期") || strings.HasSuffix(h, "期限") {
			cols[i].Kind = xl.Date
		}
	}
	scan := s.scanner(a)
	return xl.Stream(w, xl.Sheet{Name: SheetName, Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			c, err := scan(sc)
			if err != nil {
				return err
			}
			return add(c.Code, c.UnitName, c.CommitteeName, c.CaseNo, c.DisputeTypeLabel, c.SourceLabel, c.SourceRef, c.ReceivedOn,
				c.Parties, c.PartyPhone, c.PartyIDNumber, c.PartyAddress, c.Summary, c.MediatorName, c.StatusLabel, c.ClosedOn,
				c.AgreementLabel, c.AgreementTerms, c.FailedReason, c.ConfirmAppliedOn, c.ConfirmCourt, c.ConfirmLabel, c.ConfirmResultOn,
				option.Label(Fulfilments, c.Fulfilment), c.FulfilledOn, c.LitigationOn, c.StatusLabel, c.Sessions, c.Followups, c.ConfirmDue)
		})
	}))
}

// Template is an empty import workbook with drop-down lists and an
// instructions sheet.
func Template() ([]byte, error) {
	cols := make([]xl.Column, len(importHeaders))
	for i, h := range importHeaders {
		cols[i] = xl.Column{Title: h, Width: 14}
		for _, r := range requiredHeaders {
			if r == h {
				cols[i].Title += "*"
			}
		}
		switch h {
		case hType:
			cols[i].Choices = option.Labels(DisputeTypes)
		case hSource:
			cols[i].Choices = option.Labels(Sources)
		case hResult:
			cols[i].Choices = option.Labels(Statuses)
		case hForm:
			cols[i].Choices = option.Labels(AgreementForms)
		case hConfirm:
			cols[i].Choices = option.Labels(ConfirmResults)
		case hFulfilment:
			cols[i].Choices = option.Labels(Fulfilments)
		}
		if strings.HasSuffix(h, "日期") {
			cols[i].Kind = xl.Date
		}
	}
	sheet := xl.Sheet{Name: SheetName, Title: "人民调解案件导入模板", Columns: cols, Instructions: []string{
		"人民调解案件导入说明",
		"1. 第1行为表头，请勿修改；带 * 的列必填。",
		"2. 调解委员会填写系统中已登记的委员会全称；调解员填写该委员会在册调解员姓名。",
		"3. 纠纷类型、案件来源、调解结果、协议形式、司法确认结果、履行情况请从下拉列表选择。",
		"4. 调解结果为“调解成功”的，须填写结案日期（协议生效日期）、协议形式和协议内容；为“调解不成”的，须填写结案日期和原因。",
		"5. 只有书面协议可以申请司法确认，申请日期须在协议生效之日起 30 日内。",
		"6. 日期格式为 YYYY-MM-DD，也可使用 Excel 日期单元格。",
		"7. 有错误的行会逐行列出（工作表、行号、列、原因），有错误时整批不导入。",
	}}
	return xl.StreamBytes(sheet, xl.Slice([][]any{{"示例：石桥村人民调解委员会", "（2026）石调字第1号", "邻里纠纷", "当事人申请", nil,
		"2026-03-02", "张某、李某", nil, nil, nil, "宅前排水沟堵塞引发争执", nil, "调解成功", "2026-03-05", "口头协议", "双方共同疏通排水沟"}}))
}

// ImportProblem is one bad cell (or row) of an import.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column" doc:"列号及列名，如 D（案件来源）"`
	Reason string `json:"reason"`
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Rows     int             `json:"rows" doc:"数据行数"`
	Valid    int             `json:"valid" doc:"无误的行数"`
	Created  int             `json:"created" doc:"已导入的行数"`
	Problems []ImportProblem `json:"problems"`
}

// importer resolves committees and mediators by name once per workbook
// (the actor's writable committees, read in one query), so a row costs
// no query.
type importer struct {
	s          *Service
	a          *auth.Actor
	today      calendar.Date
	committees map[string]*Committee
	mediators  map[int64]map[string]int64
}

func (s *Service) newImporter(ctx context.Context, a *auth.Actor) (*importer, error) {
	scope, args := auth.ScopeClause(a, PermWrite, "m.unit_id")
	cs, err := s.st.committees(ctx, s.db, scope, args)
	if err != nil {
		return nil, err
	}
	im := &importer{s: s, a: a, today: s.today(ctx), committees: map[string]*Committee{}, mediators: map[int64]map[string]int64{}}
	for i := range cs {
		im.committees[cs[i].Name] = &cs[i]
	}
	mscope, margs := auth.ScopeClause(a, PermWrite, "x.unit_id")
	ms, err := db.All(ctx, s.db, scanMediator, "SELECT "+mediatorCols+" FROM mediation_mediators x WHERE x.active = 1 AND "+mscope, margs...)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if im.mediators[m.CommitteeID] == nil {
			im.mediators[m.CommitteeID] = map[string]int64{}
		}
		im.mediators[m.CommitteeID][m.Name] = m.ID
	}
	return im, nil
}

// row checks one data row; problems go to add(header, reason). It takes
// the case through the same step rules as the screens (session, agree or
// fail, confirmation, follow-up, litigation), so an imported case obeys
// the gates a registered one does.
func (im *importer) row(get func(string) string, add func(header, reason string)) *newCase {
	r := &newCase{Status: StatusAccepted}
	fieldCol := map[string]string{"case_no": hCaseNo, "dispute_type": hType, "source": hSource, "source_ref": hSourceRef,
		"received_on": hReceived, "parties": hParties, "party_phone": hPhone, "party_id_number": hIDNumber, "party_address": hAddress, "summary": hSummary}
	bad := false
	report := func(err error, cols map[string]string, whole string) {
		bad = true
		e := apperr.As(err)
		if e == nil {
			add(whole, err.Error())
			return
		}
		if len(e.Fields) == 0 {
			add(whole, e.Message)
			return
		}
		for _, f := range e.Fields {
			col := cols[f.Field]
			if col == "" {
				col = whole
			}
			add(col, f.Message)
		}
	}
	name := get(hCommittee)
	c := im.committees[name]
	switch {
	case name == "":
		add(hCommittee, "调解委员会不能为空")
		bad = true
	case c == nil:
		add(hCommittee, fmt.Sprintf("调解委员会「%s」不存在或不在您的数据权限范围内", name))
		bad = true
	case !c.Active:
		add(hCommittee, fmt.Sprintf("调解委员会「%s」已撤销", name))
		bad = true
	default:
		r.CommitteeID, r.UnitID = c.ID, c.UnitID
		if m := get(hMediator); m != "" {
			if id, ok := im.mediators[c.ID][m]; ok {
				r.MediatorID = id
			} else {
				add(hMediator, fmt.Sprintf("调解员 %s 不是「%s」的在册调解员", m, name))
				bad = true
			}
		}
	}
	var v apperr.Fields
	checkIntake(CaseInput{CaseNo: get(hCaseNo), DisputeType: get(hType), Source: get(hSource), SourceRef: get(hSourceRef),
		ReceivedOn: excelDate(get(hReceived)), Parties: get(hParties), PartyPhone: get(hPhone), PartyIDNumber: get(hIDNumber),
		PartyAddress: get(hAddress), Summary: get(hSummary)}, im.today, r, &v)
	if len(v) > 0 {
		report(v.Err(), fieldCol, hCommittee)
		return nil
	}
	result := get(hResult)
	status := StatusAccepted
	if result != "" {
		var ok bool
		if status, ok = option.Value(Statuses, result); !ok {
			add(hResult, "调解结果应为："+strings.Join(option.Labels(Statuses), "、"))
			return nil
		}
	}
	cs := &Case{Status: StatusAccepted, ReceivedOn: r.ReceivedOn}
	step := func(e *edit, err error, cols map[string]string, whole string) bool {
		if err != nil {
			report(err, cols, whole)
			return false
		}
		return true
	}
	if status != StatusAccepted {
		e, err := session(cs, SessionInput{Day: r.ReceivedOn, Note: "导入"}, im.today)
		if !step(e, err, nil, hResult) {
			return nil
		}
	}
	switch status {
	case StatusSucceeded:
		e, err := im.s.agree(cs, AgreementInput{Day: excelDate(get(hClosed)), Form: get(hForm), Terms: get(hTerms)}, im.today)
		if !step(e, err, map[string]string{"day": hClosed, "form": hForm, "terms": hTerms}, hResult) {
			return nil
		}
	case StatusFailed:
		e, err := fail(cs, FailInput{Day: excelDate(get(hClosed)), Reason: get(hFailed)}, im.today)
		if !step(e, err, map[string]string{"day": hClosed, "reason": hFailed}, hResult) {
			return nil
		}
	}
	if get(hApplied) != "" || get(hCourt) != "" {
		e, err := applyConfirm(cs, ConfirmApplyInput{Day: excelDate(get(hApplied)), Court: get(hCourt)}, im.today)
		if !step(e, err, map[string]string{"day": hApplied, "court": hCourt}, hApplied) {
			return nil
		}
	}
	if get(hConfirm) != "" || get(hConfirmOn) != "" {
		e, err := confirmResult(cs, ConfirmResultInput{Day: excelDate(get(hConfirmOn)), Result: get(hConfirm)}, im.today)
		if !step(e, err, map[string]string{"day": hConfirmOn, "result": hConfirm}, hConfirm) {
			return nil
		}
	}
	if ful := get(hFulfilment); ful != "" || get(hFulfilledOn) != "" {
		day := excelDate(get(hFulfilledOn))
		if v, _ := option.Value(Fulfilments, ful); v != FulfilDone && day == "" {
			day = cs.ClosedOn // a visit found it (partly) unfulfilled; the closing day stands in
		}
		e, err := followup(cs, FollowupInput{Day: day, Note: "导入", Fulfilment: ful}, im.today)
		if !step(e, err, map[string]string{"day": hFulfilledOn, "fulfilment": hFulfilment}, hFulfilment) {
			return nil
		}
	}
	if d := get(hLitigationOn); d != "" {
		e, err := litigation(cs, LitigationInput{Day: excelDate(d)}, im.today)
		if !step(e, err, map[string]string{"day": hLitigationOn}, hLitigationOn) {
			return nil
		}
	}
	if bad {
		return nil
	}
	r.Status, r.Sessions, r.ClosedOn, r.FailedReason = cs.Status, cs.Sessions, cs.ClosedOn, cs.FailedReason
	r.AgreementForm, r.AgreementTerms, r.ConfirmDue = cs.AgreementForm, cs.AgreementTerms, cs.ConfirmDue
	r.ConfirmAppliedOn, r.ConfirmCourt, r.ConfirmResult, r.ConfirmResultOn = cs.ConfirmAppliedOn, cs.ConfirmCourt, cs.ConfirmResult, cs.ConfirmResultOn
	r.Followups, r.Fulfilment, r.FulfilledOn, r.LitigationOn = cs.Followups, cs.Fulfilment, cs.FulfilledOn, cs.LitigationOn
	return r
}

// Import reads a workbook with excelize's row iterator (xlsx.Read) and
// registers one case per data row. Every bad row is reported by sheet, row,
// column and reason, and then nothing is written. A clean workbook is
// written in one transaction (writeImport).
func (s *Service) Import(ctx context.Context, data []byte) (*ImportReport, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	rep, rows, err := s.checkImport(ctx, a, data)
	if err != nil || len(rep.Problems) > 0 {
		return rep, err
	}
	if err := s.writeImport(ctx, a, rows); err != nil {
		return nil, err
	}
	rep.Created = len(rows)
	return rep, nil
}

// importFields declares the import's columns once (xlsx.Bind): dates and
// the closed lists are read by the binder, the rest by the case rules.
var importFields = func() []xl.Field {
	kinds := map[string]xl.Field{
		hType: {Kind: xl.EnumCell, Options: DisputeTypes}, hSource: {Kind: xl.EnumCell, Options: Sources},
		hResult: {Kind: xl.EnumCell, Options: Statuses}, hForm: {Kind: xl.EnumCell, Options: AgreementForms},
		hConfirm: {Kind: xl.EnumCell, Options: ConfirmResults}, hFulfilment: {Kind: xl.EnumCell, Options: Fulfilments},
	}
	out := make([]xl.Field, len(importHeaders))
	for i, h := range importHeaders {
		f := kinds[h]
		f.Header = h
		f.Required = slices.Contains(requiredHeaders, h)
		if strings.HasSuffix(h, "日期") {
			f.Kind = xl.DateCell
		}
		out[i] = f
	}
	return out
}()

// checkImport reads and checks a workbook: the report and, when every row
// is good, the rows to write.
func (s *Service) checkImport(ctx context.Context, a *auth.Actor, data []byte) (*ImportReport, []*newCase, error) {
	tb, err := xl.Read(data, xl.Options{Sheet: SheetName, Raw: true, MaxRows: MaxImportRows,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的人民调解案件表", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, nil, err
	}
	b, err := xl.Bind(tb, importFields...)
	if err != nil {
		return nil, nil, err
	}
	im, err := s.newImporter(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	rep := &ImportReport{Problems: []ImportProblem{}}
	var rows []*newCase
	uid, _ := actorName(a)
	now := s.clock(ctx)
	for _, r := range b.Records() {
		rep.Rows++
		nc := im.row(r.Value, r.Add)
		if nc != nil && !r.Bad() {
			nc.CreatedBy, nc.At = uid, now
			rows = append(rows, nc)
		}
	}
	for _, p := range b.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	rep.Valid = len(rows)
	return rep, rows, nil
}

// writeImport writes checked rows in one transaction the one batched way
// (issue 11): multi-row INSERTs of the cases under reserved ids (each with
// its register number) and of their step lines, the figures' counters moved
// for the batch (FigureTally.AddedBatch), and one audit event per case plus
// one for the import, chained, a few hundred a statement.
func (s *Service) writeImport(ctx context.Context, a *auth.Actor, rows []*newCase) error {
	uid, name := actorName(a)
	at := s.clock(ctx).UTC()
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		ids, err := s.st.insertBatch(ctx, tx, rows)
		if err != nil {
			return err
		}
		steps := make([][]any, len(rows))
		for i, r := range rows {
			steps[i] = []any{ids[i], "import", r.ReceivedOn, "", uid, name, at}
		}
		if err := db.InsertMany(ctx, tx, "mediation_steps", []string{"case_id", "kind", "day", "note", "actor_id", "actor_name", "at"}, steps); err != nil {
			return err
		}
		if err := FigureTally.AddedBatch(ctx, tx, ids); err != nil {
			return err
		}
		evs := make([]audit.Event, 0, len(rows)+1)
		for i, r := range rows {
			evs = append(evs, audit.Event{Action: "mediation.case.import", ObjectType: "mediation_case", ObjectID: strconv.FormatInt(ids[i], 10),
				UnitID: r.UnitID, Summary: fmt.Sprintf("人民调解案件 %s：%s（%s）", caseCode(r.ReceivedOn, ids[i]), stepLabels["import"], r.CaseNo)})
		}
		evs = append(evs, audit.Event{Action: "mediation.case.import", ObjectType: "mediation_case", UnitID: a.UnitID,
			Summary: fmt.Sprintf("导入人民调解案件 %d 件", len(rows))})
		return audit.RecordBatch(ctx, tx, evs)
	})
}

// excelDate normalizes a date cell (text or Excel serial) to YYYY-MM-DD; a
// cell it cannot read is left as is for the row check to report.
func excelDate(s string) string {
	if d, ok := xl.ParseDate(s); ok && !d.IsZero() {
		return d.String()
	}
	return s
}
