package legalreview

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/docx"
)

// PDFMaker turns a generated .docx into PDF (platform/pdf.Converter).
type PDFMaker interface {
	FromDOCX(ctx context.Context, docx []byte) ([]byte, error)
}

// SetPDF wires the PDF converter used by LetterPDF.
func (s *Service) SetPDF(p PDFMaker) { s.pdf = p }

// LetterPDF is Letter printed to PDF, with its file name.
func (s *Service) LetterPDF(ctx context.Context, id int64) ([]byte, string, error) {
	b, name, err := s.Letter(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if s.pdf == nil {
		return nil, "", apperr.New(apperr.Precondition, "未配置 PDF 转换，暂不能生成 PDF 版意见书")
	}
	out, err := s.pdf.FromDOCX(ctx, b)
	if err != nil {
		return nil, "", fmt.Errorf("legalreview: letter %d to PDF: %w", id, err)
	}
	return out, strings.TrimSuffix(name, ".docx") + ".pdf", nil
}

// Letter renders the opinion letter (法律审查意见书) of a concluded review in
// 公文 layout and returns it with a file name.
func (s *Service) Letter(ctx context.Context, id int64) ([]byte, string, error) {
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if r.Status != StatusConcluded {
		return nil, "", apperr.New(apperr.Precondition, "审查尚未办结，还没有法律审查意见书")
	}
	issuer := "司法局"
	if u, err := s.dir.Unit(ctx, r.ReviewerUnitID); err == nil {
		issuer = u.Name
	}
	b, err := renderLetter(r, issuer, s.letterCC(ctx, r))
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("法律审查意见书-%s.docx", r.OpinionNo), nil
}

// letterCC is the 抄送 of the opinion letter: the requesting unit's parent
// body (for a district bureau the district government, which decides or
// deliberates on what was reviewed), unless that is the reviewing body
// itself or there is none.
func (s *Service) letterCC(ctx context.Context, r *Review) []string {
	u, err := s.dir.Unit(ctx, r.UnitID)
	if err != nil {
		return nil
	}
	ids := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(ids) < 2 {
		return nil
	}
	parent, err := strconv.ParseInt(ids[len(ids)-2], 10, 64)
	if err != nil || parent == r.ReviewerUnitID {
		return nil
	}
	p, err := s.dir.Unit(ctx, parent)
	if err != nil {
		return nil
	}
	return []string{p.Name}
}

// letterBasis is, per review kind, what the letter says was reviewed and
// on which legal basis, and what follows a failed review.
var letterBasis = map[Kind]struct {
	subject, basis, scope, failed string
}{
	KindDecision: {"重大行政决策事项",
		"根据《重大行政决策程序暂行条例》第二十五条至第二十八条的规定",
		"从决策权限、决策程序和决策内容是否符合法律、法规、规章和国家政策等方面进行了合法性审查",
		"依照《重大行政决策程序暂行条例》第二十五条，经审查不合法的决策草案不得提交决策机关讨论。请修改完善后重新送审。"},
	KindNormdoc: {"行政规范性文件送审稿",
		"根据《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）和《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》（国办发〔2018〕115号）",
		"从制定主体、制定权限、制定程序和文件内容等方面进行了合法性审核",
		"依照国办发〔2018〕37号的规定，未经合法性审核或者经审核不合法的文件不得提交集体审议，不得印发。请修改完善后重新送审。"},
	KindContract: {"合同文本",
		"根据《中华人民共和国民法典》等法律法规的规定",
		"从合同主体资格、签订依据和程序、合同条款和权利义务约定等方面进行了合法性审查",
		"合同文本未通过合法性审查，不得签订。请修改完善后重新送审。"},
	KindPolicy: {"涉及经营主体经济活动的政策措施",
		"根据《公平竞争审查条例》等规定",
		"从制定权限、制定程序、政策内容以及是否排除、限制竞争等方面进行了合法性审查",
		"政策措施未通过合法性审查，不得出台。请修改完善后重新送审。"},
	KindEnforcement: {"重大执法决定",
		"根据《中华人民共和国行政处罚法》第五十八条的规定",
		"从执法主体、管辖权限、执法程序、事实证据、适用依据、裁量基准和决定内容等方面进行了法制审核",
		"依照《中华人民共和国行政处罚法》第五十八条，未经法制审核或者审核未通过的，不得作出决定。请补正后重新送审。"},
}

// renderLetter writes the 法律审查意见书 on the shared 公文 builder. Its text
// is chosen by the review kind; no internal configuration (chain names)
// appears in it.
func renderLetter(r *Review, issuer string, cc []string) ([]byte, error) {
	d, err := docx.New()
	if err != nil {
		return nil, err
	}
	basis, ok := letterBasis[r.Kind]
	if !ok {
		basis = letterBasis[KindDecision]
	}
	d.Title("法律审查意见书")
	d.DocNumber(r.OpinionNo)
	d.Blank()
	d.Addressee(r.UnitName)
	submitted, _ := calendar.ParseDate(r.SubmittedOn)
	d.Para(fmt.Sprintf("你单位于%s报送的《%s》（%s）收悉。%s，我局%s。现提出意见如下：",
		docx.ChineseDate(dateTime(submitted)), strings.Trim(r.Title, "《》"), basis.subject, basis.basis, basis.scope))
	d.Heading(1, "审查结论")
	d.Para(conclusionText(r))
	if r.EarlyReason != "" {
		// Concluded before the minimum review time: said in the letter,
		// with the recorded urgent matter and who approved it.
		d.Para(fmt.Sprintf("本件审查未满最少审查时间（%s 届满）即办结，系提前办结。紧急事由：%s；批准人：%s。",
			r.MinOn, strings.TrimRight(r.EarlyReason, "。"), strings.TrimRight(r.EarlyApprover, "。")))
	}
	if len(r.Opinions) > 0 {
		d.Heading(1, "具体意见")
		for _, o := range r.Opinions {
			d.Para(fmt.Sprintf("%d．%s", o.Seq, o.Text))
		}
	}
	if len(r.Checks) > 0 {
		n := 0
		for _, c := range r.Checks {
			if c.Answer == AnswerViolate {
				n++
			}
		}
		d.Heading(1, "公平竞争审查")
		if n == 0 {
			d.Para(fmt.Sprintf("经对照公平竞争审查标准逐项审查（共 %d 项），未发现排除、限制竞争的内容。", len(r.Checks)))
		} else {
			d.Para(fmt.Sprintf("经对照公平竞争审查标准逐项审查（共 %d 项），有 %d 项涉及限制竞争内容，送审单位已说明适用例外情形的理由，请严格按照例外规定实施并定期评估。", len(r.Checks), n))
		}
	}
	switch r.Conclusion {
	case ConclusionPassedWithChanges:
		d.Para("请根据上述意见修改完善后按程序办理，并在系统中反馈审查意见采纳情况。")
	case ConclusionFailed:
		d.Para(basis.failed)
	default:
		d.Para("请按程序办理。")
	}
	finished, _ := calendar.ParseDate(r.FinishedOn)
	d.Signature(issuer, dateTime(finished))
	// 版记 at the foot of the last page: 抄送, and the reviewing body as
	// 印发机关 on the conclusion date.
	d.Colophon(cc, issuer, dateTime(finished))
	return d.Bytes()
}

// conclusionText states the conclusion once: a reviewer's note that already
// names it (e.g. "审查通过，…") is not prefixed with it again.
func conclusionText(r *Review) string {
	label := r.Conclusion.Label()
	note := strings.TrimSpace(r.ConclusionText)
	if note == "" {
		return "经审查，结论为" + label + "。"
	}
	if strings.Contains(note, label) {
		if !strings.HasSuffix(note, "。") {
			note += "。"
		}
		return "经审查，" + strings.TrimPrefix(note, "经审查，")
	}
	return "经审查，结论为" + label + "。" + note
}

func dateTime(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}
