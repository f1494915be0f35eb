package disclosure

import (
	"bytes"
	"context"
	"fazhi/internal/platform/option"
	"io"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// SheetName is the worksheet of exports and imports.
const SheetName = "依申请公开登记"

var exportHeaders = []string{"登记编号", "办理机关", "申请渠道", "申请人类型", "申请人", "证件号码", "联系电话", "申请内容", "申请日期",
	"收到申请日期", "状态", "答复期限", "是否超期", "告知补正日期", "收到补正日期", "征求意见日期", "延期日期", "延长工作日",
	"保密审查", "信息处理费（元）", "答复类型", "具体情形", "答复书文号", "答复或终止日期", "是否按期"}

// Export writes the filtered register as .xlsx into memory (tests).
func (s *Service) Export(ctx context.Context, flt Filter) ([]byte, error) {
	l, err := s.listSQL(ctx, flt)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = s.ExportTo(ctx, &buf, l)
	return buf.Bytes(), err
}

// ExportSQL checks the actor may read the register and returns the query
// an export of flt runs (before any byte is sent).
func (s *Service) ExportSQL(ctx context.Context, flt Filter) (db.ListSQL, error) {
	return s.listSQL(ctx, flt)
}

// ExportTo streams the rows of l into the workbook through one cursor;
// personal data is masked for an actor who may not handle the request.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, l db.ListSQL) error {
	cols := make([]xl.Column, len(exportHeaders))
	for i, h := range exportHeaders {
		cols[i] = xl.Column{Title: h}
		if strings.HasSuffix(h, "日期") || h == "答复期限" {
			cols[i].Kind = xl.Date
		}
	}
	cols[7].Width = 36
	return xl.Stream(w, xl.Sheet{Name: SheetName, Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			r, err := s.scanListed(ctx, sc)
			if err != nil {
				return err
			}
			return add(exportRow(&r)...)
		})
	}))
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func exportRow(r *Request) []any {
	onTime := ""
	if r.Status == StatusReplied {
		onTime = yesNo(r.OnTime)
	}
	fee := ""
	if r.FeeFen > 0 {
		fee = yuanText(r.FeeFen)
	}
	ext := ""
	if r.ExtensionDays > 0 {
		ext = strconv.Itoa(r.ExtensionDays)
	}
	return []any{r.Code, r.UnitName, r.ChannelLabel, r.ApplicantLabel, r.ApplicantName, r.IDNumber, r.Phone, r.Content, r.SubmittedOn,
		r.ReceivedOn, r.StatusLabel, r.ReplyDue, yesNo(r.Overdue), r.CorrectionOn, r.CorrectedOn, r.ConsultOn, r.ExtendedOn, ext,
		option.Label(SecrecyResults, r.SecrecyResult), fee, r.ReplyTypeLabel, r.ReplyReasonLabel, r.ReplyNo, r.DoneOn, onTime}
}

// ImportProblem is one bad cell (or row) of an import.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Rows     int             `json:"rows"`
	Valid    int             `json:"valid"`
	Created  int             `json:"created"`
	Problems []ImportProblem `json:"problems"`
}

var importColumns = []struct {
	header, field string
	required      bool
}{
	{"办理机关", "unit_id", true},
	{"申请渠道", "channel", true},
	{"申请人类型", "applicant_type", true},
	{"申请人", "applicant_name", true},
	{"证件号码", "id_number", false},
	{"联系电话", "phone", false},
	{"通信地址", "address", false},
	{"申请内容", "content", true},
	{"申请日期", "submitted_on", true},
	{"签收日期", "signed_on", false},
	{"确认日期", "confirmed_on", false},
}

// Template is an empty import workbook with drop-down lists and an
// instructions sheet.
func Template() ([]byte, error) {
	cols := make([]xl.Column, len(importColumns))
	for i, c := range importColumns {
		cols[i] = xl.Column{Title: c.header, Width: 14}
		if c.required {
			cols[i].Title += "*"
		}
		switch c.field {
		case "channel":
			cols[i].Choices = option.Labels(Channels)
		case "applicant_type":
			cols[i].Choices = option.Labels(ApplicantTypes)
		case "submitted_on", "signed_on", "confirmed_on":
			cols[i].Kind = xl.Date
		}
	}
	cols[7].Width = 40
	sheet := xl.Sheet{Name: SheetName, Title: "依申请公开登记导入模板", Columns: cols, Instructions: []string{
		"依申请公开登记导入说明",
		"1. 第1行为表头，请勿修改；第2行为示例，导入前请删除或替换。带 * 的列必填。",
		"2. 办理机关填写系统中的单位名称或单位编码。",
		"3. 申请渠道可选：" + strings.Join(option.Labels(Channels), "、") + "。收到申请之日按渠道确定：当面提交为申请日期，邮寄为签收日期，平常信函、网络平台、传真为确认日期（《政府信息公开条例》第三十一条），相应日期必填。",
		"4. 申请人类型可选：" + strings.Join(option.Labels(ApplicantTypes), "、") + "（年度报告统计表的列）。",
		"5. 日期格式为 YYYY-MM-DD，也可使用 Excel 日期单元格。答复期限由系统按工作日历计算。",
		"6. 有错误的行会逐行列出（工作表、行号、列、原因）；默认全部无误才导入，也可选择只导入无误的行。",
	}}
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	return xl.StreamBytes(sheet, xl.Slice([][]any{{"区市场监管局", "当面提交", "自然人", "张三", nil, "13800000000", nil,
		"示例：2026年本区食品经营许可发放情况", today, nil, nil}}))
}

// Import registers one request per data row. Every bad row is reported
// with sheet, row, column and reason; nothing is written when any row is
// bad, unless validOnly is set.
func (s *Service) Import(ctx context.Context, data []byte, validOnly bool) (*ImportReport, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: SheetName,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的依申请公开登记表", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	fields := make([]xl.Field, len(importColumns))
	for i, c := range importColumns {
		fields[i] = xl.Field{Key: c.field, Header: c.header, Required: c.required}
	}
	b, err := xl.Bind(tb, fields...)
	if err != nil {
		return nil, err
	}
	const maxRows = 5000
	records := b.Records()
	if len(records) > maxRows {
		return nil, apperr.Field("file", "一次最多导入 %d 行，请分批导入", maxRows)
	}
	rep := &ImportReport{Problems: []ImportProblem{}}
	var valid []*checked
	for _, r := range records {
		rep.Rows++
		in := CreateInput{Channel: r.Cell("channel"), ApplicantType: r.Cell("applicant_type"), ApplicantName: r.Cell("applicant_name"),
			IDNumber: r.Cell("id_number"), Phone: r.Cell("phone"), Address: r.Cell("address"), Content: r.Cell("content"),
			SubmittedOn: excelDate(r.Cell("submitted_on")), SignedOn: excelDate(r.Cell("signed_on")), ConfirmedOn: excelDate(r.Cell("confirmed_on"))}
		if unitText := r.Cell("unit_id"); unitText == "" {
			r.Add("unit_id", "办理机关不能为空")
		} else if u, err := s.dir.UnitByNameOrCode(ctx, unitText); err != nil {
			if apperr.CodeOf(err) == apperr.Internal {
				return nil, err
			}
			r.Add("unit_id", apperr.As(err).Message)
		} else {
			in.UnitID = u.ID
		}
		c, bad, err := s.check(ctx, actor, in)
		if err != nil {
			return nil, err
		}
		// Each refusal on its field's column (the unit's reported once);
		// a field without a column of its own on 申请内容.
		r.Report(bad.Err(), nil, "content")
		if !r.Bad() {
			valid = append(valid, c)
		}
	}
	for _, p := range b.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	rep.Valid = len(valid)
	if len(rep.Problems) > 0 && !validOnly {
		return rep, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, c := range valid {
			if _, err := s.insert(ctx, tx, actor.UserID, c, "import"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.Created = len(valid)
	return rep, nil
}

// excelDate normalizes a date cell to YYYY-MM-DD; a cell it cannot read
// is left as is for the row check to report.
func excelDate(s string) string {
	if d, ok := xl.ParseDate(s); ok && !d.IsZero() {
		return d.String()
	}
	return s
}
