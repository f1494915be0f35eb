package decision

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// IndexName is the archive's table of contents.
const IndexName = "目录.txt"

// ManifestName lists the SHA-256 of every other file in the archive, in the
// format `sha256sum -c` checks.
const ManifestName = "SHA256SUMS.txt"

// LawName is the regulation the procedure's articles belong to.
const LawName = "《重大行政决策程序暂行条例》"

// ReviewLetter is a legality review's opinion letter for the archive.
type ReviewLetter struct {
	Number  string // 意见书文号, e.g. 清河司审〔2026〕3号
	Name    string // file name of the .docx
	DOCX    []byte
	PDFName string
	PDF     []byte // nil when no PDF could be made
}

// LetterSource is implemented by a LegalReviewer that can hand out the
// opinion letter of a concluded review.
type LetterSource interface {
	Letter(ctx context.Context, reviewID int64) (ReviewLetter, error)
}

// fieldLabels names step-data fields in the generated summaries, in order.
var fieldLabels = []struct{ key, label string }{
	{"proposer", "建议提出方"}, {"reason", "启动理由"}, {"approver", "决定启动"},
	{"summary", "内容摘要"}, {"options", "决策方案"}, {"cost_benefit", "成本效益分析"}, {"consulted_bodies", "征求意见单位"},
	{"channels", "途径"}, {"comment_start", "征求意见开始"}, {"comment_end", "征求意见截止"}, {"minimum_end", "法定最早截止日"},
	{"explanation", "期限计算"}, {"short_reason", "期限少于30日的理由"}, {"comment_count", "收到意见条数"}, {"feedback", "意见采纳情况"},
	{"assessor", "评估机构"}, {"level", "风险等级"}, {"report", "评估报告"}, {"risk_points", "风险点"}, {"measures", "防范化解措施"},
	{"contingency_plan", "处置预案"},
	{"review_id", "法律审查意见书文号"}, {"submitted_on", "送审日期"}, {"status", "审查结论"}, {"finished_on", "审查完成日期"},
	{"meeting_type", "会议类型"}, {"meeting_name", "会议名称"}, {"meeting_on", "会议日期"}, {"attendees", "出席人员"}, {"votes", "与会人员意见（按发言顺序）"},
	{"head_name", "行政首长"}, {"head_decision", "行政首长决定"}, {"departure_reason", "与多数意见不一致的理由"}, {"dissent", "不同意见"},
	{"review_status", "讨论时合法性审查结论"},
	{"committee", "党委"}, {"reported_on", "请示报告日期"}, {"doc_no", "文号"}, {"reply", "党委意见"},
	{"published_on", "公布日期"}, {"adoption_note", "意见采纳情况说明"}, {"text", "公布内容"},
	{"execution_unit", "执行单位"}, {"supervisor", "督促检查单位"}, {"plan", "执行方案"},
	{"evaluator", "评估机构"}, {"trigger", "评估原因"}, {"conclusion", "评估结论"}, {"suggestion", "评估建议"},
	{"archive_no", "档号"}, {"keeper", "立卷人"}, {"skip_reason", "无需进行的理由"},
}

var opinionLabels = map[string]string{"agree": "同意", "disagree": "不同意", "abstain": "保留"}

func formatValue(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		switch key {
		case "status", "review_status":
			return ReviewLabel(x)
		case "head_decision":
			return HeadDecisionLabel(x)
		}
		return x
	case float64:
		if x == 0 {
			return ""
		}
		return fmt.Sprintf("%.0f", x)
	case []any:
		var parts []string
		for i, e := range x {
			if m, ok := e.(map[string]any); ok {
				s := fmt.Sprintf("%v：%s", m["name"], opinionLabels[fmt.Sprint(m["opinion"])])
				if n := fmt.Sprint(m["note"]); n != "" && n != "<nil>" {
					s += "（" + n + "）"
				}
				parts = append(parts, fmt.Sprintf("\n    %d. %s", i+1, s))
				continue
			}
			parts = append(parts, fmt.Sprintf("\n    %d. %v", i+1, e))
		}
		return strings.Join(parts, "")
	}
	return fmt.Sprint(v)
}

func summarize(raw json.RawMessage) string {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return ""
	}
	var b strings.Builder
	for _, f := range fieldLabels {
		if v, ok := m[f.key]; ok {
			if s := formatValue(f.key, v); s != "" {
				fmt.Fprintf(&b, "%s：%s\n", f.label, s)
			}
		}
	}
	return b.String()
}

type zipper struct {
	w       *zip.Writer
	index   strings.Builder
	modTime time.Time
	sums    strings.Builder // the manifest, one line per file added
}

func (z *zipper) add(name string, body []byte) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.modTime}
	h.Flags |= 0x800 // names are UTF-8 (Chinese)
	w, err := z.w.CreateHeader(h)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	fmt.Fprintf(&z.sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	_, err = w.Write(body)
	return err
}

// addText adds a record as text older Windows tools read: UTF-8 with a
// byte-order mark and CRLF line endings.
func (z *zipper) addText(name, text string) error {
	return z.add(name, WindowsText(text))
}

// WindowsText is text as UTF-8 with a BOM and CRLF line endings.
func WindowsText(s string) []byte {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	return append([]byte("\ufeff"), s...)
}

// beijing shows a stored UTC timestamp (RFC 3339) in Beijing time.
func beijing(ts string) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return t.In(calendar.Shanghai).Format("2006-01-02 15:04:05")
}

// safeName keeps a file name usable inside the ZIP.
func safeName(s string) string {
	s = path.Base(strings.ReplaceAll(s, "\\", "/"))
	r := strings.NewReplacer("/", "_", ":", "_", "*", "_", "?", "_", "\"", "_", "<", "_", ">", "_", "|", "_")
	s = r.Replace(s)
	if s == "" || s == "." || s == ".." {
		return "file"
	}
	return s
}

// ArchivePackage builds the decision's archive: a ZIP with 目录.txt listing
// every step with its date, recorder and documents, a generated summary per
// step, the expert opinions, the public comments, the progress reports, the
// corrections, and every evidence file.
func (s *Service) ArchivePackage(ctx context.Context, id int64) ([]byte, string, error) {
	det, err := s.Detail(ctx, id)
	if err != nil {
		return nil, "", err
	}
	comments, _, err := s.st.ListComments(ctx, s.db, id, db.Page{}, true)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	z := &zipper{w: zip.NewWriter(&buf), modTime: s.now(ctx)}
	ix := &z.index
	fmt.Fprintf(ix, "重大行政决策档案目录\n\n决策编号：%s\n决策名称：%s\n决策机关：%s\n承办单位：%s\n目录事项：%s\n当前状态：%s\n生成时间：%s（北京时间，本档案中的时间均为北京时间）\n程序依据：%s\n文件校验：%s 列出本档案每个文件的 SHA-256 值\n\n",
		det.Code, det.Title, det.DecisionBody, det.UnitName, orDash(det.CatalogueItem), det.StatusLabel, s.now(ctx).In(calendar.Shanghai).Format("2006-01-02 15:04"), LawName, ManifestName)
	fmt.Fprintf(ix, "序号\t程序步骤\t状态\t日期\t记录人\t文件\n")
	for i, t := range det.Timeline {
		dir := fmt.Sprintf("%02d_%s", i+1, t.Label)
		var docs []string
		data := t.Data
		var letter []string
		if t.Step == StepLegalReview && t.State != StatePending {
			if data, letter, err = s.addLetter(ctx, z, dir, data); err != nil {
				return nil, "", err
			}
		}
		if t.State != StatePending {
			body := fmt.Sprintf("%s\n\n决策：%s %s\n依据：%s%s\n状态：%s\n日期：%s\n记录人：%s\n记录时间：%s\n\n%s",
				t.Label, det.Code, det.Title, LawName, t.Basis, t.StateLabel, orDash(t.DoneOn), t.RecordedBy, beijing(t.RecordedAt), summarize(data))
			name := dir + "/" + t.Label + "记录.txt"
			if err := z.addText(name, body); err != nil {
				return nil, "", err
			}
			docs = append(docs, name)
		}
		docs = append(docs, letter...)
		switch t.Step {
		case StepConsultation:
			if len(comments) > 0 {
				var b strings.Builder
				fmt.Fprintf(&b, "公众意见汇总（共 %d 条）\n\n", len(comments))
				for j, c := range comments {
					fmt.Fprintf(&b, "%d. [%s] %s\n   %s\n", j+1, beijing(c.CreatedAt), orDash(c.Author), c.Content)
					if c.Adopted != "" {
						fmt.Fprintf(&b, "   处理：%s %s\n", adoptedLabel(c.Adopted), c.Reply)
					}
				}
				name := dir + "/公众意见汇总.txt"
				if err := z.addText(name, b.String()); err != nil {
					return nil, "", err
				}
				docs = append(docs, name)
			}
		case StepExpert:
			for _, o := range det.Opinions {
				body := fmt.Sprintf("专家书面论证意见\n\n专家：%s（%s，%s）\n利害关系：%s\n署名日期：%s\n\n%s\n\n专家签名：%s\n",
					o.ExpertName, o.ExpertTitle, o.Employer, conflictText(o), o.SignedOn, o.Opinion, o.ExpertName)
				name := dir + "/专家意见_" + safeName(o.ExpertName) + ".txt"
				if err := z.addText(name, body); err != nil {
					return nil, "", err
				}
				docs = append(docs, name)
				for _, fid := range o.FileIDs {
					if n, err := s.addFile(ctx, z, dir, fid); err != nil {
						return nil, "", err
					} else {
						docs = append(docs, n)
					}
				}
			}
		case StepImplementation:
			if len(det.Progress) > 0 {
				var b strings.Builder
				b.WriteString("决策执行情况报告\n\n")
				for _, p := range det.Progress {
					fmt.Fprintf(&b, "%s（完成 %d%%）：%s\n", p.ReportedOn, p.Percent, p.Content)
				}
				name := dir + "/执行情况报告.txt"
				if err := z.addText(name, b.String()); err != nil {
					return nil, "", err
				}
				docs = append(docs, name)
			}
		}
		for _, fid := range t.FileIDs {
			n, err := s.addFile(ctx, z, dir, fid)
			if err != nil {
				return nil, "", err
			}
			docs = append(docs, n)
		}
		fmt.Fprintf(ix, "%d\t%s\t%s\t%s\t%s\t%s\n", i+1, t.Label, t.StateLabel, orDash(t.DoneOn), orDash(t.RecordedBy), orDash(strings.Join(docs, "；")))
	}
	if len(det.Corrections) > 0 {
		var b strings.Builder
		b.WriteString("上级机关纠错记录\n\n")
		for _, c := range det.Corrections {
			fmt.Fprintf(&b, "%s %s %s：%s\n", c.CorrectedOn, c.Authority, c.Kind, c.Description)
		}
		if err := z.addText("纠错记录.txt", b.String()); err != nil {
			return nil, "", err
		}
		fmt.Fprintf(ix, "\n纠错记录：纠错记录.txt（%d 条）\n", len(det.Corrections))
	}
	if err := z.addText(IndexName, ix.String()); err != nil {
		return nil, "", err
	}
	// The manifest covers every file above, the index included.
	if err := z.add(ManifestName, []byte(z.sums.String())); err != nil {
		return nil, "", err
	}
	if err := z.w.Close(); err != nil {
		return nil, "", err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		return audit.Record(ctx, tx, audit.Event{Action: "decision.archive.download", ObjectType: SubjectType, ObjectID: itoa(int(id)), UnitID: det.UnitID,
			Summary: det.Code + " 下载决策档案"})
	})
	if err != nil {
		return nil, "", err
	}
	return buf.Bytes(), det.Code + "_" + safeName(det.Title) + "_档案.zip", nil
}

// addLetter puts the legality review's opinion letter (.docx and .pdf) in
// dir and returns the step data with the letter's number in place of the
// review's database id (dropped when the letter cannot be had).
func (s *Service) addLetter(ctx context.Context, z *zipper, dir string, raw json.RawMessage) (json.RawMessage, []string, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return raw, nil, nil
	}
	id, _ := m["review_id"].(float64)
	delete(m, "review_id")
	var names []string
	if src, ok := s.review.(LetterSource); ok && id > 0 {
		l, err := src.Letter(ctx, int64(id))
		switch {
		case err == nil:
			m["review_id"] = l.Number
			for _, f := range []struct {
				name string
				body []byte
			}{{l.Name, l.DOCX}, {l.PDFName, l.PDF}} {
				if len(f.body) == 0 {
					continue
				}
				name := dir + "/" + safeName(f.name)
				if err := z.add(name, f.body); err != nil {
					return nil, nil, err
				}
				names = append(names, name)
			}
			if len(l.PDF) == 0 {
				names = append(names, "法律审查意见书 PDF（未能生成）")
			}
		case apperr.CodeOf(err) == apperr.Internal:
			return nil, nil, err
		default:
			names = append(names, "法律审查意见书（"+apperr.As(err).Message+"）")
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	return out, names, nil
}

// addFile copies one evidence file into dir; a file the store cannot read
// is listed with a note instead of failing the whole package.
func (s *Service) addFile(ctx context.Context, z *zipper, dir string, id int64) (string, error) {
	if s.files == nil {
		return fmt.Sprintf("文件 #%d（文件服务未启用）", id), nil
	}
	name, rc, err := s.files.Open(ctx, id)
	if err != nil {
		return fmt.Sprintf("文件 #%d（无法读取）", id), nil
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil {
		return "", err
	}
	entry := fmt.Sprintf("%s/附件%d_%s", dir, id, safeName(name))
	return entry, z.add(entry, body)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func adoptedLabel(s string) string {
	switch s {
	case "adopted":
		return "采纳"
	case "partly":
		return "部分采纳"
	case "not_adopted":
		return "未采纳"
	}
	return "未处理"
}

func conflictText(o ExpertOpinion) string {
	if o.ConflictNote != "" {
		return "无（" + o.ConflictNote + "）"
	}
	return "已声明无利害关系"
}
