package finding

import (
	"context"
	"io"
	"net/http"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"
	xl "fazhi/internal/platform/xlsx"

	"github.com/danielgtaylor/huma/v2"
)

type listInput struct {
	Filter
	db.ListReq
}

// Meta lists the ledger's code tables for forms and filters.
type Meta struct {
	Sources    []Option `json:"sources"`
	Severities []Option `json:"severities"`
	Statuses   []Option `json:"statuses"`
}

type idInput struct {
	ID int64 `path:"id"`
}

type detailOut struct{ Body *Detail }

type xlsxOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func xlsx(name, ascii string, b []byte) *xlsxOut {
	return &xlsxOut{
		ContentType:        xlsxType,
		ContentDisposition: files.ContentDisposition(name, ascii),
		Body:               b,
	}
}

// Register declares the ledger's routes.
func (s *Service) Register(api huma.API) {
	s.registerChains(api)
	tags := []string{"问题台账"}
	huma.Register(api, huma.Operation{OperationID: "listFindings", Method: http.MethodGet, Path: "/api/findings", Summary: "问题台账列表", Tags: tags},
		func(ctx context.Context, in *listInput) (*struct{ Body db.Paged[Finding] }, error) {
			p, err := s.List(ctx, in.Filter, in.ListReq)
			if err != nil {
				return nil, err
			}
			return &struct{ Body db.Paged[Finding] }{Body: p}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "findingMeta", Method: http.MethodGet, Path: "/api/findings/meta", Summary: "问题来源、严重程度、状态代码表", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body Meta }, error) {
			if _, err := auth.Require(ctx, PermRead); err != nil {
				return nil, err
			}
			return &struct{ Body Meta }{Body: Meta{Sources: Sources, Severities: Severities, Statuses: StatusFilters}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "exportFindings", Method: http.MethodGet, Path: "/api/findings/export.xlsx", Summary: "导出问题台账（Excel）", Tags: tags},
		func(ctx context.Context, in *listInput) (*huma.StreamResponse, error) {
			l, err := s.ExportSQL(ctx, in.Filter)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				httpx.Download(hc, xlsxType, files.ContentDisposition("问题台账.xlsx", "findings-ledger.xlsx"), func(w io.Writer) error {
					return s.ExportTo(hc.Context(), w, l)
				})
			}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "findingImportTemplate", Method: http.MethodGet, Path: "/api/findings/template.xlsx", Summary: "问题台账导入模板", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*xlsxOut, error) {
			if _, err := auth.Require(ctx, PermWrite); err != nil {
				return nil, err
			}
			b, err := Template()
			if err != nil {
				return nil, err
			}
			return xlsx("问题台账导入模板.xlsx", "findings-import-template.xlsx", b), nil
		})
	huma.Register(api, huma.Operation{OperationID: "importFindings", Method: http.MethodPost, Path: "/api/findings/import", Summary: "导入问题台账（Excel）", Tags: tags,
		MaxBodyBytes: xl.MaxFile},
		func(ctx context.Context, in *struct {
			ValidOnly bool `query:"valid_only" doc:"只导入无误的行"`
			RawBody   []byte
		}) (*struct{ Body *ImportReport }, error) {
			rep, err := s.Import(ctx, in.RawBody, in.ValidOnly)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *ImportReport }{Body: rep}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "createFinding", Method: http.MethodPost, Path: "/api/findings", Summary: "登记问题", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body CreateInput }) (*detailOut, error) {
			d, err := s.Create(ctx, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "getFinding", Method: http.MethodGet, Path: "/api/findings/{id}", Summary: "问题详情（含时间线）", Tags: tags},
		func(ctx context.Context, in *idInput) (*detailOut, error) {
			d, err := s.Get(ctx, in.ID)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "updateFinding", Method: http.MethodPut, Path: "/api/findings/{id}", Summary: "修改问题", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body UpdateInput
		}) (*detailOut, error) {
			d, err := s.Update(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "rectifyFinding", Method: http.MethodPost, Path: "/api/findings/{id}/rectify", Summary: "报送整改情况并申请销号", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body RectifyInput
		}) (*detailOut, error) {
			d, err := s.Rectify(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "actFindingCloseout", Method: http.MethodPost, Path: "/api/findings/{id}/closeout/{action}", Summary: "销号审核（同意/不同意/退回）", Tags: tags},
		func(ctx context.Context, in *struct {
			ID     int64  `path:"id"`
			Action string `path:"action" enum:"approve,reject,return"`
			Body   ActInput
		}) (*detailOut, error) {
			d, err := s.Act(ctx, in.ID, in.Action, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "recheckFinding", Method: http.MethodPost, Path: "/api/findings/{id}/recheck", Summary: "回头看", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body RecheckInput
		}) (*detailOut, error) {
			d, err := s.Recheck(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
}
