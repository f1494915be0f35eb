package disclosure

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/docx"
)

// art is the regulation's provision each reply type rests on.
var art = map[string]string{
	ReplyAlreadyPublic: "第三十六条第（一）项",
	ReplyDisclose:      "第三十六条第（二）项",
	ReplyWithhold:      "第三十六条第（三）项",
	ReplyNotExist:      "第三十六条第（四）项",
	ReplyNotOurs:       "第三十六条第（五）项",
	ReplyDuplicate:     "第三十六条第（六）项",
	ReplyOtherLaw:      "第三十六条第（七）项",
	ReplyPartial:       "第三十七条",
}

// notProcessedArt is the provision of each ground for not processing.
var notProcessedArt = map[string]string{
	"petition": "第三十九条第一款", "publication": "第三十九条第二款", "excessive": "第三十五条", "confirm": "第三十九条",
}

const reg = "《中华人民共和国政府信息公开条例》"

// Letter renders the reply letter (政府信息公开申请答复书) of an answered
// request in 公文 layout and returns it with a file name.
func (s *Service) Letter(ctx context.Context, id int64) ([]byte, string, error) {
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if r.Status != StatusReplied {
		return nil, "", apperr.New(apperr.Precondition, "申请尚未答复，还没有答复书")
	}
	var attach []string
	if s.files != nil && releases(r.ReplyType) {
		owner := OwnerRelease
		if r.ReplyType == ReplyPartial {
			owner = OwnerRedacted
		}
		fs, err := s.files.ListFor(ctx, s.db, owner, r.ID)
		if err != nil {
			return nil, "", err
		}
		for _, f := range fs {
			attach = append(attach, f.Name)
		}
	}
	// The letter goes to the applicant: it carries the name as entered,
	// never the masked view.
	full, err := s.st.request(ctx, s.db, id)
	if err != nil {
		return nil, "", err
	}
	r.ApplicantName = full.ApplicantName
	b, err := renderLetter(&r.Request, attach)
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("政府信息公开申请答复书-%s.docx", r.Code), nil
}

func day(s string) time.Time {
	d, _ := calendar.ParseDate(s)
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, calendar.Shanghai)
}

// replyBody is the paragraph that answers, by reply type.
func replyBody(r *Request) string {
	basis := reg + art[r.ReplyType]
	reason := option.Label(Reasons[r.ReplyType], r.ReplyReason)
	switch r.ReplyType {
	case ReplyAlreadyPublic:
		return fmt.Sprintf("您申请获取的政府信息已经主动公开。根据%s的规定，您可以通过以下方式和途径获取：%s", basis, r.ReplyText)
	case ReplyDisclose:
		return fmt.Sprintf("您申请获取的政府信息属于公开范围。根据%s的规定，本机关现向您提供该政府信息（见附件）。%s", basis, r.ReplyText)
	case ReplyPartial:
		return fmt.Sprintf("您申请获取的政府信息中含有不应当公开的内容：%s。根据%s的规定，本机关对可以公开的部分作区分处理后向您提供（见附件）。", r.ReplyText, basis)
	case ReplyWithhold:
		return fmt.Sprintf("经审查，您申请获取的政府信息属于不予公开的情形（%s）。根据%s的规定，本机关决定不予公开。理由如下：%s", reason, basis, r.ReplyText)
	case ReplyNotExist:
		return fmt.Sprintf("经检索查找，%s。根据%s的规定，告知您该政府信息不存在。%s", reason, basis, r.ReplyText)
	case ReplyNotOurs:
		return fmt.Sprintf("您申请获取的政府信息不属于本机关负责公开的范围。根据%s的规定，告知如下：%s", basis, r.ReplyText)
	case ReplyDuplicate:
		return fmt.Sprintf("您的申请与此前已答复的申请内容重复。根据%s的规定，本机关不予重复处理。%s", basis, r.ReplyText)
	case ReplyOtherLaw:
		return fmt.Sprintf("您申请获取的信息，法律、行政法规对其获取另有规定。根据%s的规定，请依照有关规定办理：%s", basis, r.ReplyText)
	case ReplyNotProcessed:
		return fmt.Sprintf("经审查，您的申请属于%s的情形。根据%s%s的规定，本机关不作为政府信息公开申请处理。%s", reason, reg, notProcessedArt[r.ReplyReason], r.ReplyText)
	}
	return r.ReplyText
}

// renderLetter writes the 答复书 on the shared 公文 builder.
func renderLetter(r *Request, attach []string) ([]byte, error) {
	d, err := docx.New()
	if err != nil {
		return nil, err
	}
	d.Title("政府信息公开申请答复书")
	d.DocNumber(r.ReplyNo)
	d.Blank()
	d.Addressee(r.ApplicantName)
	received := docx.ChineseDate(day(r.ReceivedOn))
	intro := fmt.Sprintf("本机关于%s收到您提出的政府信息公开申请，申请获取“%s”。", received, r.Content)
	if r.CorrectedOn != "" {
		intro += fmt.Sprintf("经本机关告知补正，您于%s提交了补正后的申请。", docx.ChineseDate(day(r.CorrectedOn)))
	}
	if r.ConsultOn != "" {
		intro += fmt.Sprintf("因申请公开的信息涉及第三方合法权益，本机关于%s书面征求了第三方的意见，征求意见所需时间不计算在答复期限内。", docx.ChineseDate(day(r.ConsultOn)))
	}
	if r.ExtendedOn != "" {
		intro += fmt.Sprintf("经政府信息公开工作机构负责人同意，答复期限延长%d个工作日。", r.ExtensionDays)
	}
	d.Para(intro + "经审查，现答复如下：")
	d.Para(replyBody(r))
	if r.FeePaidOn != "" {
		d.Para(fmt.Sprintf("根据《政府信息公开信息处理费管理办法》，本机关已收取信息处理费%s元。", yuanText(r.FeeFen)))
	}
	// 行政复议法 (2023) art. 23: a refusal to disclose goes to
	// reconsideration first.
	if r.ReplyType == ReplyWithhold || r.ReplyType == ReplyPartial {
		d.Para("如对本答复不服，可以自收到本答复书之日起六十日内依法申请行政复议；对行政复议决定不服的，可以依法提起行政诉讼。")
	} else {
		d.Para("如对本答复不服，可以自收到本答复书之日起六十日内依法申请行政复议，或者自收到本答复书之日起六个月内依法提起行政诉讼。")
	}
	d.Attachments(attach...)
	d.Signature(r.UnitName, day(r.DoneOn))
	return d.Bytes()
}
