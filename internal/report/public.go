package report

import (
	"context"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// PublicReport is a published report as the public sees it: the published
// version's text and figures (value and definition, no internal links), no
// internal note, no review opinions.
type PublicReport struct {
	ID          int64          `json:"id"`
	Year        int            `json:"year"`
	UnitName    string         `json:"unit_name"`
	Kind        string         `json:"kind"`
	KindLabel   string         `json:"kind_label"`
	Title       string         `json:"title"`
	PublishedAt time.Time      `json:"published_at"`
	Sections    []PublicPart   `json:"sections,omitempty"`
	Figures     []PublicFigure `json:"figures,omitempty"`
}

// PublicPart is a section of a published report.
type PublicPart struct {
	Heading    string       `json:"heading"`
	Paragraphs []string     `json:"paragraphs"`
	Sub        []PublicPart `json:"sub,omitempty"`
}

// PublicFigure is a figure of a published report.
type PublicFigure struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Text        string `json:"text"`
	Numerator   int    `json:"numerator"`
	Denominator int    `json:"denominator"`
	From        string `json:"from"`
	To          string `json:"to"`
	Definition  string `json:"definition"`
}

func publicHead(r Report) PublicReport {
	p := PublicReport{ID: r.ID, Year: r.Year, UnitName: r.UnitName, Kind: r.Kind, KindLabel: KindLabel(r.Kind), Title: r.Title}
	if r.PublishedAt != nil {
		p.PublishedAt = *r.PublishedAt
	}
	return p
}

// PublicList pages the published reports (no sign-in).
func (s *Service) PublicList(ctx context.Context, req db.ListReq) (db.Paged[PublicReport], error) {
	page, err := db.Fetch(ctx, s.db, publicSQL(), req, scanReport, func(r Report) []any { return []any{r.Year, r.ID} })
	if err != nil {
		return db.Paged[PublicReport]{Items: []PublicReport{}}, err
	}
	return db.Map(page, publicHead), nil
}

func (s *Service) published(ctx context.Context, id int64) (*Report, *FrozenVersion, error) {
	r, err := s.st.get(ctx, s.db, id)
	if err != nil || r.PublishedNo == 0 {
		if err == nil || apperr.Is(err, apperr.NotFound) {
			return nil, nil, apperr.New(apperr.NotFound, "年度报告不存在或尚未公布")
		}
		return nil, nil, err
	}
	v, err := s.st.version(ctx, s.db, r.ID, r.PublishedNo)
	if err != nil {
		return nil, nil, err
	}
	render(v.Sections, v.Figures)
	return r, v, nil
}

// Public returns a published report's published version (no sign-in).
func (s *Service) Public(ctx context.Context, id int64) (*PublicReport, error) {
	r, v, err := s.published(ctx, id)
	if err != nil {
		return nil, err
	}
	p := publicHead(*r)
	p.Title = v.Title
	var conv func(ss []Section) []PublicPart
	conv = func(ss []Section) []PublicPart {
		out := []PublicPart{}
		for _, s := range ss {
			pp := PublicPart{Heading: s.Heading, Paragraphs: []string{}}
			for _, para := range s.Paragraphs {
				pp.Paragraphs = append(pp.Paragraphs, para.Rendered)
			}
			pp.Sub = conv(s.Sub)
			out = append(out, pp)
		}
		return out
	}
	p.Sections = conv(v.Sections)
	p.Figures = []PublicFigure{}
	seen := map[string]bool{}
	walkParas(v.Sections, func(para *Paragraph) {
		for _, c := range Codes(para.Text) {
			f, ok := v.Figures[c]
			if !ok || seen[c] {
				continue
			}
			seen[c] = true
			p.Figures = append(p.Figures, PublicFigure{Code: c, Name: f.Name, Text: f.Text, Numerator: f.Numerator, Denominator: f.Denominator,
				From: f.From, To: f.To, Definition: f.Definition})
		}
	})
	return &p, nil
}

// PublicPDF is the published version as a PDF (no sign-in).
func (s *Service) PublicPDF(ctx context.Context, id int64) ([]byte, string, error) {
	r, v, err := s.published(ctx, id)
	if err != nil {
		return nil, "", err
	}
	date := time.Now()
	if r.PublishedAt != nil {
		date = *r.PublishedAt
	}
	b, err := wordDoc(v.Title, r.UnitName, v.Sections, v.Figures, date)
	if err != nil {
		return nil, "", err
	}
	out, err := s.toPDF(ctx, b)
	return out, strings.TrimSuffix(fileName(r, "pdf"), ".pdf") + ".pdf", err
}
