package exam

import (
	"context"
	"fmt"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/docx"
)

// Certificate renders the signed-in candidate's certificate of completion
// (结业证明, Word) for an exam they passed.
func (s *Service) Certificate(ctx context.Context, examID int64) ([]byte, string, error) {
	_, e, c, err := s.candidateCtx(ctx, s.db, examID)
	if err != nil {
		return nil, "", err
	}
	if !c.Passed || c.PassedAt == nil {
		return nil, "", apperr.New(apperr.Precondition, "尚未通过本场考试，不能下载结业证明")
	}
	doc, err := docx.New()
	if err != nil {
		return nil, "", err
	}
	doc.Title("培训考试结业证明")
	doc.DocNumber(fmt.Sprintf("证明编号：KS%d-%05d", e.ID, c.ID))
	doc.Blank()
	doc.Para(certificateText(c, e))
	doc.Para(fmt.Sprintf("考试类别：%s；通过时间：%s。", s.purposeLabel(e.Purpose), beijing(*c.PassedAt)))
	doc.Signature(e.UnitName, *c.PassedAt)
	b, err := doc.Bytes()
	return b, fmt.Sprintf("结业证明-%s-%s.docx", e.Title, c.Name), err
}
