package normdoc

import (
	"context"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// PublicListInput filters the public library.
type PublicListInput struct {
	Q        string `query:"q" doc:"全文检索，如 养老、信访"`
	IssuerID int64  `query:"issuer_id"`
	Year     int    `query:"year"`
	Validity string `query:"validity" enum:"in_force,pending,ended," doc:"in_force 现行有效；pending 已公布尚未施行；ended 已失效/废止/撤销"`
	db.ListReq
}

func (s *Service) public(ctx context.Context, d *Document, withBody bool) PublicDocument {
	p := PublicDocument{ID: d.ID, IssuerName: d.IssuerName, Title: d.Title, DocNo: d.DocNo, Summary: d.Summary,
		PublishedOn: d.PublishedOn, EffectiveOn: d.EffectiveOn, ExpiresOn: d.ExpiresOn}
	p.Validity, p.EndedOn = d.Validity(s.today(ctx).String())
	if withBody {
		p.Body = d.Body
	}
	return p
}

// PublicList searches published documents; no login is needed and nothing
// internal is returned.
func (s *Service) PublicList(ctx context.Context, in PublicListInput) (db.Paged[PublicDocument], error) {
	li := ListInput{Q: in.Q, IssuerID: in.IssuerID, Year: in.Year, ListReq: in.ListReq, publicOnly: true, skipScopeCheck: true}
	w, err := s.where(ctx, nil, li)
	if err != nil {
		return db.Paged[PublicDocument]{Items: []PublicDocument{}}, err
	}
	today := s.today(ctx).String()
	// Nothing is public before its publication date.
	w.Add("d.published_on <> '' AND d.published_on <= ?", today)
	switch in.Validity {
	case "in_force":
		w.Add("d.status = ? AND d.effective_on <= ? AND (d.expires_on = '' OR d.expires_on >= ?)", string(StatusPublished), today, today)
	case "pending":
		w.Add("d.status = ? AND d.effective_on > ?", string(StatusPublished), today)
	case "ended":
		w.Add("(d.status <> ? OR (d.expires_on <> '' AND d.expires_on < ?))", string(StatusPublished), today)
	}
	docs, err := s.store.ListDocuments(ctx, s.db, w, in.ListReq)
	if err != nil {
		return db.Paged[PublicDocument]{Items: []PublicDocument{}}, err
	}
	return db.Map(docs, func(d Document) PublicDocument { return s.public(ctx, &d, false) }), nil
}

// PublicGet returns one published document.
func (s *Service) PublicGet(ctx context.Context, id int64) (*PublicDocument, error) {
	d, err := s.store.GetDocument(ctx, s.db, id)
	if err != nil || !d.Status.IsPublic() || d.PublishedOn == "" || d.PublishedOn > s.today(ctx).String() {
		return nil, apperr.New(apperr.NotFound, "文件不存在或尚未公布")
	}
	p := s.public(ctx, d, true)
	return &p, nil
}

// PublicIssuers lists the active issuing bodies for the library's filter.
func (s *Service) PublicIssuers(ctx context.Context) ([]Issuer, error) {
	list, err := s.store.ListIssuers(ctx, s.db, "1=1", nil, false)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].UnitID, list[i].UnitName, list[i].Version = 0, "", 0
	}
	return list, nil
}
