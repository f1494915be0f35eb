package reconsideration

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/docx"
)

// organName is the 行政复议机关 the letters are signed by: the district
// government at the root of the respondent's org path (its 行政复议机构,
// the 司法局, handles the case in its name).
func (s *Service) organName(ctx context.Context, c *Case) string {
	root, _, _ := strings.Cut(strings.Trim(c.unitPath, "/"), "/")
	if id, err := strconv.ParseInt(root, 10, 64); err == nil {
		if name, _, err := s.units.UnitNamePath(ctx, id); err == nil && name != "" {
			return name
		}
	}
	return "区人民政府"
}

func dateTime(d string) time.Time {
	x, _ := calendar.ParseDate(d)
	return time.Date(x.Year, x.Month, x.Day, 0, 0, 0, 0, time.UTC)
}

// outcomeText is the operative part (决定如下) for each outcome.
var outcomeText = map[string]string{
	"uphold":          "维持被申请人作出的%s。",
	"dismiss":         "驳回申请人的行政复议请求。",
	"change":          "变更被申请人作出的%s。",
	"revoke":          "撤销被申请人作出的%s，责令被申请人在法定期限内重新作出行政行为。",
	"confirm_illegal": "确认被申请人作出的%s违法。",
	"order_perform":   "责令被申请人在法定期限内履行法定职责。",
	"confirm_void":    "确认被申请人作出的%s无效。",
	"mediation":       "经本机关主持调解，双方当事人自愿达成调解协议，本机关制作行政复议调解书，调解书经双方当事人签字即具有法律效力。",
}

// outcomeBasis names the article of each outcome.
var outcomeBasis = map[string]string{
	"uphold": "第六十八条", "dismiss": "第六十九条", "change": "第六十三条", "revoke": "第六十四条",
	"confirm_illegal": "第六十五条", "order_perform": "第六十六条", "confirm_void": "第六十七条", "mediation": "第七十三条",
}

// DecisionLetter renders the 行政复议决定书 (or 调解书) of a decided case.
func (s *Service) DecisionLetter(ctx context.Context, id int64) ([]byte, string, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, "", err
	}
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	c := &d.Case
	if c.Outcome == "" {
		return nil, "", apperr.New(apperr.Precondition, "行政复议决定书：本案尚未作出复议决定")
	}
	doc, err := docx.New()
	if err != nil {
		return nil, "", err
	}
	title := "行政复议决定书"
	if c.Outcome == "mediation" {
		title = "行政复议调解书"
	}
	doc.Title(title)
	doc.DocNumber(c.DecisionNo)
	doc.Blank()
	doc.Para("申请人：" + partyLine(c))
	doc.Para("被申请人：" + c.UnitName)
	doc.Para(fmt.Sprintf("申请人不服被申请人作出的%s（%s），于%s向本机关申请行政复议，本机关于%s依法%s。%s现已审理终结。",
		c.Act, orNone(c.ActRef), docx.ChineseDate(dateTime(c.ReceivedOn)), docx.ChineseDate(dateTime(c.AcceptedOn)),
		map[string]string{"deemed": "视为受理", "accepted": "受理"}[c.AcceptKind], procedureText(c)))
	if c.Request != "" {
		doc.Heading(1, "申请人请求")
		doc.Para(c.Request)
	}
	doc.Heading(1, "本机关认为")
	doc.Para(c.DecisionReason)
	doc.Heading(1, "决定如下")
	text := outcomeText[c.Outcome]
	if strings.Contains(text, "%s") {
		text = fmt.Sprintf(text, c.Act)
	}
	doc.Para(fmt.Sprintf("根据《中华人民共和国行政复议法》%s的规定，%s", outcomeBasis[c.Outcome], text))
	if c.Outcome != "mediation" {
		doc.Para("申请人如不服本决定，可以自收到本决定书之日起十五日内，依法向人民法院提起行政诉讼。")
	}
	doc.Signature(s.organName(ctx, c), dateTime(c.ConcludedOn))
	b, err := doc.Bytes()
	return b, fmt.Sprintf("%s-%s.docx", title, c.Code), err
}

// OpinionLetter renders the 行政复议意见书 or 建议书 with its 60-day
// follow-up (art. 76).
func (s *Service) OpinionLetter(ctx context.Context, id int64) ([]byte, string, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, "", err
	}
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	c := &d.Case
	if c.OpinionOn == "" {
		return nil, "", apperr.New(apperr.Precondition, "行政复议意见书：本案尚未制发意见书或建议书")
	}
	title := option.Label(OpinionKinds, c.OpinionKind)
	doc, err := docx.New()
	if err != nil {
		return nil, "", err
	}
	doc.Title(title)
	doc.DocNumber(c.DecisionNo + "-意")
	doc.Blank()
	doc.Addressee(c.UnitName)
	doc.Para(fmt.Sprintf("本机关在办理申请人%s不服你单位%s（%s）一案（%s）中，发现你单位在行政执法中存在以下问题，根据《中华人民共和国行政复议法》第七十六条的规定，提出如下%s：",
		c.ApplicantName, c.Act, orNone(c.ActRef), c.DecisionNo, map[string]string{"opinion": "意见", "suggestion": "建议"}[c.OpinionKind]))
	doc.Para(c.OpinionText)
	doc.Para(fmt.Sprintf("请你单位自收到本%s之日起六十日内（%s 前）将纠正相关违法或者不当行政行为的情况报送本机关。", title, c.FollowupDue))
	doc.Signature(s.organName(ctx, c), dateTime(c.OpinionOn))
	b, err := doc.Bytes()
	return b, fmt.Sprintf("%s-%s.docx", title, c.Code), err
}

func orNone(s string) string {
	if s == "" {
		return "无文号"
	}
	return s
}

func procedureText(c *Case) string {
	if c.Simple {
		return "本案适用简易程序审理，"
	}
	if c.HearingOn != "" {
		return fmt.Sprintf("本案适用普通程序，于%s举行听证，", docx.ChineseDate(dateTime(c.HearingOn)))
	}
	return "本案适用普通程序审理，"
}

// partyLine is the applicant as a letter names it (to the parties, in full).
func partyLine(c *Case) string {
	parts := []string{c.ApplicantName}
	if c.ApplicantIDNumber != "" {
		parts = append(parts, map[string]string{"person": "身份证号码：", "org": "统一社会信用代码："}[c.ApplicantType]+c.ApplicantIDNumber)
	}
	if c.ApplicantAddress != "" {
		parts = append(parts, "住所："+c.ApplicantAddress)
	}
	return strings.Join(parts, "，")
}
