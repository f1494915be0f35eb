package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/docx"
)

// wordDoc sets a report's text in 公文 layout (platform/docx: GB/T 9704
// page, 方正小标宋简体 title, 仿宋_GB2312 三号 body, 黑体 / 楷体 headings,
// page numbers in 4号 宋体 with dashes), figures filled in, signed by the
// unit with the date.
func wordDoc(title, unitName string, sections []Section, figs map[string]Source, date time.Time) ([]byte, error) {
	render(sections, figs)
	d, err := docx.New()
	if err != nil {
		return nil, err
	}
	if i := strings.Index(title, "关于"); i > 0 && docx.Width(title) > 22 {
		title = title[:i] + "\n" + title[i:]
	}
	d.Title(title)
	d.Blank()
	var write func(ss []Section, level int)
	write = func(ss []Section, level int) {
		for _, s := range ss {
			if s.Heading != "" {
				d.Heading(level, s.Heading)
			}
			for _, p := range s.Paragraphs {
				d.Para(p.Rendered)
			}
			write(s.Sub, level+1)
		}
	}
	write(sections, 1)
	d.Signature(unitName, date.In(calendar.Shanghai))
	return d.Bytes()
}

// fileName is the download name of a report's file.
func fileName(r *Report, ext string) string {
	return fmt.Sprintf("%s.%s", r.Title, ext)
}

// Word returns the current text of a report as a .docx, with its name.
func (s *Service) Word(ctx context.Context, id int64) ([]byte, string, error) {
	_, r, err := s.load(ctx, s.db, id, PermRead)
	if err != nil {
		return nil, "", err
	}
	date := s.clock(ctx)
	if r.PublishedAt != nil {
		date = *r.PublishedAt
	}
	b, err := wordDoc(r.Title, r.UnitName, r.Sections, r.Figures, date)
	return b, fileName(r, "docx"), err
}

func (s *Service) toPDF(ctx context.Context, b []byte) ([]byte, error) {
	if s.deps.PDF == nil {
		return nil, apperr.New(apperr.Precondition, "未配置 PDF 转换，暂不能生成 PDF")
	}
	out, err := s.deps.PDF.FromDOCX(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("report: PDF: %w", err)
	}
	return out, nil
}

// PDF returns the current text of a report as a PDF (the Word file
// converted by platform/pdf, with an embedded CJK font), with its name.
func (s *Service) PDF(ctx context.Context, id int64) ([]byte, string, error) {
	b, name, err := s.Word(ctx, id)
	if err != nil {
		return nil, "", err
	}
	out, err := s.toPDF(ctx, b)
	return out, strings.TrimSuffix(name, ".docx") + ".pdf", err
}
