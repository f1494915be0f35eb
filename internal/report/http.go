package report

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"

	"github.com/danielgtaylor/huma/v2"
)

type idPath struct {
	ID int64 `path:"id"`
}

type listIn struct {
	Filter
	db.ListReq
}
type pagedOut[T any] struct{ Body db.Paged[T] }
type detailOut struct{ Body *Detail }
type createIn struct{ Body CreateInput }
type editIn struct {
	ID   int64 `path:"id"`
	Body EditInput
}
type versionIn struct {
	ID   int64 `path:"id"`
	Body VersionInput
}
type actIn struct {
	ID   int64 `path:"id"`
	Body ActInput
}
type seqIn struct {
	ID  int64 `path:"id"`
	Seq int   `path:"seq"`
}
type frozenOut struct{ Body *FrozenVersion }
type compareIn struct {
	ID   int64 `path:"id"`
	From int   `query:"from" doc:"较早的版本号"`
	To   int   `query:"to" doc:"较新的版本号；0 或不填为当前文稿"`
}
type compareOut struct{ Body *Comparison }
type sourcesOut struct {
	Body struct {
		Items []Source `json:"items"`
	}
}
type publicOut struct{ Body *PublicReport }

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func attachment(name, ascii, contentType string, b []byte) *fileOut {
	return &fileOut{ContentType: contentType, ContentDisposition: files.ContentDisposition(name, ascii), Body: b}
}

// RegisterRoutes declares the module's routes under /api/reports and the
// public ones under /api/public/reports.
func (s *Service) RegisterRoutes(api huma.API) {
	tag := []string{"年度报告"}
	reg := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: "report-" + id, Method: method, Path: "/api/reports" + path, Summary: summary, Tags: tag, DefaultStatus: status}
	}
	huma.Register(api, reg("list", http.MethodGet, "", "法治政府建设年度报告", 0), func(ctx context.Context, in *listIn) (*pagedOut[Report], error) {
		p, err := s.List(ctx, in.Filter, in.ListReq)
		return &pagedOut[Report]{Body: p}, err
	})
	huma.Register(api, reg("export", http.MethodGet, "/export.xlsx", "导出年度报告清单（Excel）", 0), func(ctx context.Context, in *listIn) (*huma.StreamResponse, error) {
		l, err := s.listSQL(ctx, in.Filter)
		if err != nil {
			return nil, err
		}
		return &huma.StreamResponse{Body: func(hc huma.Context) {
			httpx.Download(hc, httpx.XLSX, files.ContentDisposition("法治政府建设年度报告清单.xlsx", "reports.xlsx"), func(w io.Writer) error {
				return s.ExportTo(hc.Context(), w, l)
			})
		}}, nil
	})
	huma.Register(api, reg("create", http.MethodPost, "", "生成年度报告（按模板填入指标）", http.StatusCreated), func(ctx context.Context, in *createIn) (*detailOut, error) {
		d, err := s.Create(ctx, in.Body)
		return &detailOut{Body: d}, err
	})
	huma.Register(api, reg("get", http.MethodGet, "/{id}", "年度报告详情（正文、指标来源、审核流程、版本）", 0), func(ctx context.Context, in *idPath) (*detailOut, error) {
		d, err := s.Get(ctx, in.ID)
		return &detailOut{Body: d}, err
	})
	huma.Register(api, reg("edit", http.MethodPut, "/{id}", "修改年度报告文字", 0), func(ctx context.Context, in *editIn) (*detailOut, error) {
		d, err := s.Edit(ctx, in.ID, in.Body)
		return &detailOut{Body: d}, err
	})
	huma.Register(api, reg("regenerate", http.MethodPost, "/{id}/regenerate", "重新生成指标（保留已修改的文字）", 0), func(ctx context.Context, in *versionIn) (*detailOut, error) {
		d, err := s.Regenerate(ctx, in.ID, in.Body)
		return &detailOut{Body: d}, err
	})
	huma.Register(api, reg("submit", http.MethodPost, "/{id}/submit", "提交审核（冻结为新版本）", 0), func(ctx context.Context, in *versionIn) (*detailOut, error) {
		d, err := s.Submit(ctx, in.ID, in.Body)
		return &detailOut{Body: d}, err
	})
	huma.Register(api, reg("act", http.MethodPost, "/{id}/act", "审核（同意、退回修改）", 0), func(ctx context.Context, in *actIn) (*detailOut, error) {
		d, err := s.Act(ctx, in.ID, in.Body)
		return &detailOut{Body: d}, err
	})
	huma.Register(api, reg("publish", http.MethodPost, "/{id}/publish", "公布已审定的报告", 0), func(ctx context.Context, in *versionIn) (*detailOut, error) {
		d, err := s.Publish(ctx, in.ID, in.Body)
		return &detailOut{Body: d}, err
	})
	huma.Register(api, reg("figures", http.MethodGet, "/{id}/figures", "报告的全部指标及来源", 0), func(ctx context.Context, in *idPath) (*sourcesOut, error) {
		fs, err := s.Sources(ctx, in.ID)
		out := &sourcesOut{}
		out.Body.Items = fs
		return out, err
	})
	huma.Register(api, reg("version", http.MethodGet, "/{id}/versions/{seq}", "已提交的版本", 0), func(ctx context.Context, in *seqIn) (*frozenOut, error) {
		v, err := s.Version(ctx, in.ID, in.Seq)
		return &frozenOut{Body: v}, err
	})
	huma.Register(api, reg("compare", http.MethodGet, "/{id}/compare", "比较两个版本", 0), func(ctx context.Context, in *compareIn) (*compareOut, error) {
		c, err := s.Compare(ctx, in.ID, in.From, in.To)
		return &compareOut{Body: c}, err
	})
	huma.Register(api, reg("docx", http.MethodGet, "/{id}/report.docx", "下载 Word（公文格式）", 0), func(ctx context.Context, in *idPath) (*fileOut, error) {
		b, name, err := s.Word(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return attachment(name, fmt.Sprintf("report-%d.docx", in.ID), docxType, b), nil
	})
	huma.Register(api, reg("pdf", http.MethodGet, "/{id}/report.pdf", "下载 PDF", 0), func(ctx context.Context, in *idPath) (*fileOut, error) {
		b, name, err := s.PDF(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return attachment(name, fmt.Sprintf("report-%d.pdf", in.ID), "application/pdf", b), nil
	})

	// ---- public (no sign-in) ----
	ptag := []string{"公开：年度报告"}
	pub := func(id, path, summary string) huma.Operation {
		return huma.Operation{OperationID: "public-report-" + id, Method: http.MethodGet, Path: "/api/public/reports" + path, Summary: summary, Tags: ptag}
	}
	huma.Register(api, pub("list", "", "已公布的法治政府建设年度报告"), func(ctx context.Context, in *db.ListReq) (*pagedOut[PublicReport], error) {
		p, err := s.PublicList(ctx, *in)
		return &pagedOut[PublicReport]{Body: p}, err
	})
	huma.Register(api, pub("get", "/{id}", "已公布的年度报告全文"), func(ctx context.Context, in *idPath) (*publicOut, error) {
		p, err := s.Public(ctx, in.ID)
		return &publicOut{Body: p}, err
	})
	huma.Register(api, pub("pdf", "/{id}/report.pdf", "下载已公布的年度报告（PDF）"), func(ctx context.Context, in *idPath) (*fileOut, error) {
		b, name, err := s.PublicPDF(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return attachment(name, fmt.Sprintf("report-%d.pdf", in.ID), "application/pdf", b), nil
	})
}
