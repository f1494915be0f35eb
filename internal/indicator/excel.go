package indicator

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	xl "fazhi/internal/platform/xlsx"
)

// FrameworkSheet is the worksheet of framework exports and imports.
const FrameworkSheet = "指标体系"

// frameworkColumns are the framework table's columns (export and import).
var frameworkColumns = []xl.Field{
	{Key: "code", Header: "编号", Required: true, Max: 20},
	{Key: "level", Header: "层级", Required: true, Kind: xl.IntCell},
	{Key: "parent", Header: "上级编号", Max: 20},
	{Key: "title", Header: "指标名称", Required: true, Max: maxText},
	{Key: "description", Header: "指标说明", Max: maxText},
	{Key: "kind", Header: "类型", Kind: xl.EnumCell, Options: Kinds},
	{Key: "points", Header: "分值"},
	{Key: "method", Header: "评分方法", Kind: xl.EnumCell, Options: methodShort},
	{Key: "per_occurrence", Header: "每次扣分"},
	{Key: "cap", Header: "扣分上限"},
	{Key: "figure_code", Header: "绑定数据指标代码", Max: 100},
	{Key: "full_at", Header: "满分阈值"},
	{Key: "zero_at", Header: "零分阈值"},
	{Key: "evidence", Header: "佐证材料清单", Max: maxText},
}

// methodShort are the methods' short labels in the workbook.
var methodShort = []Option{{Value: MethodChecklist, Label: "对照清单"}, {Value: MethodDeduction, Label: "按次扣分"},
	{Value: MethodThreshold, Label: "数据阈值"}, {Value: MethodManual, Label: "人工评分"}}

func headerOf(key string) string {
	for _, f := range frameworkColumns {
		if f.Key == key {
			return f.Header
		}
	}
	return key
}

func num(v float64) any {
	if v == 0 {
		return ""
	}
	return v
}

// ExportFramework streams a framework revision as the import workbook
// (so an edited export loads back as a new framework).
func (s *Service) ExportFramework(ctx context.Context, w io.Writer, id int64) error {
	d, err := s.Framework(ctx, id)
	if err != nil {
		return err
	}
	codes := map[int64]string{}
	for _, it := range d.Items {
		codes[it.ID] = it.Code
	}
	return xl.Stream(w, frameworkSheet(d.Name+"（第"+strconv.Itoa(d.Revision)+"版）"), xl.Rows(func(add func(...any) error) error {
		for _, it := range d.Items {
			kind, method := label(Kinds, it.Kind), label(methodShort, it.Method)
			if it.Level < 3 {
				kind, method = "", ""
			}
			if err := add(it.Code, it.Level, codes[it.ParentID], it.Title, it.Description, kind, num(it.Points), method, num(it.PerOccurrence),
				num(it.Cap), it.FigureCode, num(it.FullAt), num(it.ZeroAt), strings.ReplaceAll(it.Evidence, "\n", "；")); err != nil {
				return err
			}
		}
		return nil
	}))
}

func frameworkSheet(title string) xl.Sheet {
	cols := make([]xl.Column, len(frameworkColumns))
	for i, f := range frameworkColumns {
		cols[i] = xl.Column{Title: f.Header, Width: 12, Choices: option.Labels(f.Options)}
		if f.Required {
			cols[i].Title += "*"
		}
	}
	cols[3].Width, cols[4].Width, cols[13].Width = 40, 30, 40
	return xl.Sheet{Name: FrameworkSheet, Title: title, Columns: cols, Instructions: []string{
		"指标体系导入说明",
		"1. 每行一个指标，按树的顺序排列：一级指标在前，其下的二级指标、三级指标紧随其后。上级编号填写上级指标的编号，须在本行之前出现。",
		"2. 编号在体系内不能重复：建议一级用“一”“二”，二级用“1.1”，三级全文连续编号“1”“2”“3”。",
		"3. 类型：计分项、一票否决项、加分项、扣分项（只对三级指标有效）。评分方法：对照清单、按次扣分、数据阈值、人工评分。",
		"4. 数据阈值：填写绑定数据指标代码（如 litigation.head_in_court_rate）与满分阈值、零分阈值；满分阈值大于零分阈值时越大越好，小于时越小越好，之间按比例计分。",
		"5. 佐证材料清单用“；”分隔多项；对照清单评分按达成的项数计分。",
		"6. 有错误的行会逐行列出（工作表、行号、列、原因）；任何一行有误时整批不导入。同一体系代码再次导入生成新版本，已用于测评的旧版本不变。",
	}}
}

// FrameworkTemplate is an empty framework workbook with one example row
// per level.
func (s *Service) FrameworkTemplate(ctx context.Context) ([]byte, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	return xl.StreamBytes(frameworkSheet("指标体系导入模板"), xl.Slice([][]any{
		{"一", 1, "", "政府职能依法全面履行", "", "", "", "", "", "", "", "", "", ""},
		{"1.1", 2, "一", "深化简政放权", "", "", "", "", "", "", "", "", "", ""},
		{"1", 3, "1.1", "审批在法定时限内办结", "", "计分项", 3, "对照清单", "", "", "", "", "", "审批时限统计；超时办结核查"},
		{"2", 3, "1.1", "负责人出庭应诉", "", "计分项", 4, "数据阈值", "", "", "litigation.head_in_court_rate", 90, 60, "庭审记录"},
	}))
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Rows        int           `json:"rows"`
	Valid       int           `json:"valid"`
	FrameworkID int64         `json:"framework_id,omitempty" doc:"导入生成的指标体系版本"`
	Revision    int           `json:"revision,omitempty"`
	Problems    []xl.RowError `json:"problems"`
}

// ImportInput names the framework an import creates (a new revision when
// the code exists).
type ImportInput struct {
	Code string `query:"code" doc:"体系代码（字母、数字、-；已存在时生成新版本）"`
	Name string `query:"name" doc:"体系名称"`
}

// maxImportRows bounds a framework (the national one has ~150 rows).
const maxImportRows = 2000

// ImportFramework reads a framework workbook. Every bad row is reported
// and nothing is written when any row is bad.
func (s *Service) ImportFramework(ctx context.Context, in ImportInput, data []byte) (*ImportReport, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	if in.Code == "" || len(in.Code) > 40 || strings.Trim(in.Code, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
		v.Add("code", "体系代码只能包含字母、数字和 -_.，不超过 40 个字符")
	}
	if in.Name == "" || len([]rune(in.Name)) > 100 || strings.ContainsRune(in.Name, 0) {
		v.Add("name", "体系名称不能为空，且不超过 100 字")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: FrameworkSheet, MaxBytes: xl.MaxFile, MaxRows: maxImportRows,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的指标体系", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	bind, err := xl.Bind(tb, frameworkColumns...)
	if err != nil {
		return nil, err
	}
	recs := bind.Records()
	rep := &ImportReport{Problems: []xl.RowError{}}
	rows := make([]row, 0, len(recs))
	nums := map[string]float64{}
	for _, r := range recs {
		rep.Rows++
		for _, k := range []string{"points", "per_occurrence", "cap", "full_at", "zero_at"} {
			nums[k] = 0
			if c := r.Cell(k); c != "" {
				f, err := strconv.ParseFloat(c, 64)
				if err != nil {
					r.Add(k, headerOf(k)+"应为数字")
				}
				nums[k] = f
			}
		}
		rw := row{Code: r.Text("code"), Level: int(r.Int("level")), Parent: r.Text("parent"), Title: r.Text("title"), Desc: r.Text("description"),
			Kind: r.Enum("kind"), Points: nums["points"], Method: r.Enum("method"), PerOccurrence: nums["per_occurrence"], Cap: nums["cap"],
			Figure: r.Text("figure_code"), FullAt: nums["full_at"], ZeroAt: nums["zero_at"], Evidence: r.Text("evidence")}
		if rw.Kind == "" && r.Cell("kind") != "" {
			rw.Kind = "?"
		}
		if rw.Method == "" && r.Cell("method") != "" {
			rw.Method = "?"
		}
		rows = append(rows, rw)
	}
	items, probs := itemsFromRows(rows)
	for _, p := range probs {
		r := recs[p.Row]
		if (p.Field == "kind" || p.Field == "method") && r.Reported(p.Field) {
			continue
		}
		r.Add(p.Field, p.Reason)
	}
	rep.Problems = bind.List()
	bad := map[int]bool{}
	for _, p := range rep.Problems {
		bad[p.Row] = true
	}
	rep.Valid = rep.Rows - len(bad)
	if len(rep.Problems) > 0 {
		return rep, nil
	}
	if len(items) == 0 {
		return nil, apperr.Field("file", "工作表「%s」没有指标", tb.Sheet)
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		prev, rev, err := s.st.latestRevision(ctx, tx, in.Code)
		if err != nil {
			return err
		}
		f := &Framework{Code: in.Code, Name: in.Name, Revision: rev + 1, BasedOn: prev}
		if err := s.st.insertFramework(ctx, tx, f, a.UserID, s.clock(ctx)); err != nil {
			return err
		}
		if _, err := s.st.insertItems(ctx, tx, f.ID, items); err != nil {
			return err
		}
		if prev != 0 {
			if _, err := tx.Exec(ctx, "UPDATE indicator_frameworks SET superseded = 1, version = version + 1 WHERE code = ? AND id <> ?", in.Code, f.ID); err != nil {
				return err
			}
		}
		rep.FrameworkID, rep.Revision = f.ID, f.Revision
		return s.audit(ctx, tx, "framework.import", "indicator_framework", f.ID, 0, fmt.Sprintf("导入指标体系 %s 第 %d 版（%d 行）", in.Name, f.Revision, len(items)), nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// ExportScoreSheet streams the campaign's score sheet (评分表): every item
// with its lead unit, self-score, live value, final score, override and
// veto result, and the totals.
func (s *Service) ExportScoreSheet(ctx context.Context, w io.Writer, id int64) error {
	d, err := s.Campaign(ctx, id)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "编号"}, {Title: "层级"}, {Title: "指标", Width: 40}, {Title: "类型"}, {Title: "评分方法"}, {Title: "分值"},
		{Title: "牵头单位"}, {Title: "配合单位"}, {Title: "完成时限", Kind: xl.Date}, {Title: "状态"}, {Title: "自评分"}, {Title: "自评说明", Width: 30},
		{Title: "实时数据", Width: 30}, {Title: "得分"}, {Title: "人工调整"}, {Title: "调整理由", Width: 24}, {Title: "一票否决结果"}, {Title: "复核意见", Width: 24}}
	result := "通过"
	if d.Totals.Vetoed {
		result = "一票否决：" + strings.Join(d.Totals.VetoItems, "；")
	}
	title := fmt.Sprintf("%s 评分表（总分 %.2f：计分项 %.2f/%.2f，加分 %.2f，扣分 %.2f；%s）", d.Name, d.Totals.Total, d.Totals.Base, d.Totals.BaseMax,
		d.Totals.Bonus, d.Totals.Deduction, result)
	return xl.Stream(w, xl.Sheet{Name: "评分表", Title: title, Columns: cols}, xl.Rows(func(add func(...any) error) error {
		for _, r := range d.Rows {
			if r.Level < 3 {
				if err := add(r.Code, r.Level, r.Title, "", "", r.Max, "", "", "", "", "", "", "", r.Score, "", "", "", ""); err != nil {
					return err
				}
				continue
			}
			vals := []any{r.Code, r.Level, r.Title, r.KindLabel, label(methodShort, r.Method), r.Points}
			as := r.Assignment
			if as == nil {
				vals = append(vals, "（未分解）", "", "", "", "", "", "", "", "", "", "", "")
			} else {
				self, score := "", ""
				if as.SelfScore != nil {
					self = fmt.Sprintf("%.2f", *as.SelfScore)
				}
				if as.Score != nil {
					score = fmt.Sprintf("%.2f", *as.Score)
				}
				live := as.AutoNote
				veto := ""
				if r.Kind == KindVeto {
					veto = map[bool]string{true: "未达标（否决）", false: "达标"}[as.VetoFailed]
				}
				vals = append(vals, as.UnitName, as.SupportingNames, as.DueOn, as.StatusLabel, self, as.SelfNote, live, score,
					map[bool]string{true: "是", false: ""}[as.Overridden], as.OverrideReason, veto, as.ReviewNote)
			}
			if err := add(vals...); err != nil {
				return err
			}
		}
		return add("", "", "合计", "", "", d.Totals.BaseMax, "", "", "", "", "", "", "", d.Totals.Total, "", "", result, "")
	}))
}

// bundleName is a file name safe inside the ZIP (no separators).
func bundleName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == 0 || r < 32 {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	return strings.TrimSpace(s)
}

// evidenceRows are the campaign's evidence with their items (the evidence
// index and the bundle), for assignments the actor sees.
func (s *Service) evidenceRows(ctx context.Context, id int64) (*CampaignDetail, map[int64]Row, []Evidence, error) {
	d, err := s.Campaign(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	byAssignment := map[int64]Row{}
	for _, r := range d.Rows {
		if r.Assignment != nil {
			byAssignment[r.Assignment.ID] = r
		}
	}
	all, err := s.st.campaignEvidence(ctx, s.db, id)
	if err != nil {
		return nil, nil, nil, err
	}
	var out []Evidence
	for _, e := range all {
		if _, ok := byAssignment[e.AssignmentID]; ok {
			out = append(out, e)
		}
	}
	return d, byAssignment, out, nil
}

// bundlePath is where a piece of evidence sits in the ZIP: one folder per
// indicator.
func bundlePath(r Row, e Evidence) string {
	return path.Join(bundleName(r.Code+" "+r.Title), bundleName(fmt.Sprintf("%d-%s", e.FileID, e.Name)))
}

// ExportEvidenceIndex streams the evidence index (佐证材料目录): every
// piece by indicator with its period, staleness and its path in the ZIP.
func (s *Service) ExportEvidenceIndex(ctx context.Context, w io.Writer, id int64) error {
	d, rows, ev, err := s.evidenceRows(ctx, id)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "指标编号"}, {Title: "指标", Width: 36}, {Title: "牵头单位"}, {Title: "材料名称", Width: 30},
		{Title: "有效期起", Kind: xl.Date}, {Title: "有效期止", Kind: xl.Date}, {Title: "来源"}, {Title: "提示", Width: 30}, {Title: "压缩包内路径", Width: 50}}
	return xl.Stream(w, xl.Sheet{Name: "佐证材料目录", Title: d.Name + " 佐证材料目录", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		for _, e := range ev {
			r := rows[e.AssignmentID]
			src, warn := "本年上传", ""
			if e.ReusedFrom != 0 {
				src, warn = "沿用往年", "沿用往年材料，请确认仍然有效"
			}
			if e.ValidTo != "" && e.ValidTo < d.PeriodFrom {
				warn = "有效期未覆盖本次测评期间"
			}
			if err := add(r.Code, r.Title, r.Assignment.UnitName, e.Name, e.ValidFrom, e.ValidTo, src, warn, bundlePath(r, e)); err != nil {
				return err
			}
		}
		return nil
	}))
}

// WriteBundle streams the evidence bundle: a ZIP with one folder per
// indicator holding its files (read through the files engine, so each
// read is authorized), one file at a time.
func (s *Service) WriteBundle(ctx context.Context, w io.Writer, id int64) error {
	_, rows, ev, err := s.evidenceRows(ctx, id)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, e := range ev {
		if s.deps.Files == nil {
			break
		}
		_, rc, err := s.deps.Files.Open(ctx, e.FileID)
		if err != nil {
			return err
		}
		fw, err := zw.Create(bundlePath(rows[e.AssignmentID], e))
		if err == nil {
			_, err = io.Copy(fw, rc)
		}
		rc.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// checkCampaignReadable refuses early (before a stream starts) when the
// campaign is unknown.
func (s *Service) checkCampaignReadable(ctx context.Context, id int64) error {
	_, _, err := s.loadCampaign(ctx, s.db, id)
	return err
}
