package litigation

import (
	"context"
	"io"
	"net/http"

	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"
	xl "fazhi/internal/platform/xlsx"

	"github.com/danielgtaylor/huma/v2"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Meta lists the register's code tables for forms and filters.
type Meta struct {
	Statuses       []Option `json:"statuses"`
	Instances      []Option `json:"instances"`
	PlaintiffTypes []Option `json:"plaintiff_types"`
	Outcomes       []Option `json:"outcomes"`
	Appearances    []Option `json:"appearances"`
	RiskRules      []Option `json:"risk_rules"`
	Actions        []Option `json:"actions"`
}

type listInput struct {
	Filter
	db.ListReq
}

type hearingListInput struct {
	HearingFilter
	db.ListReq
}

type detailOut struct{ Body *Detail }

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// RegisterRoutes declares the register's routes.
func (s *Service) RegisterRoutes(api huma.API) {
	tags := []string{"行政应诉"}
	huma.Register(api, huma.Operation{OperationID: "listLitigation", Method: http.MethodGet, Path: "/api/litigation", Summary: "行政应诉案件列表", Tags: tags},
		func(ctx context.Context, in *listInput) (*struct{ Body db.Paged[Case] }, error) {
			p, err := s.List(ctx, in.Filter, in.ListReq)
			return &struct{ Body db.Paged[Case] }{Body: p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "litigationMeta", Method: http.MethodGet, Path: "/api/litigation/meta", Summary: "行政应诉代码表", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body Meta }, error) {
			if _, err := auth.Require(ctx, PermRead); err != nil {
				return nil, err
			}
			return &struct{ Body Meta }{Body: Meta{Statuses: Statuses, Instances: Instances, PlaintiffTypes: PlaintiffTypes, Outcomes: Outcomes,
				Appearances: Appearances, RiskRules: RiskRules, Actions: Actions}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "litigationFigures", Method: http.MethodGet, Path: "/api/litigation/figures", Summary: "行政应诉指标", Tags: tags},
		func(ctx context.Context, in *struct {
			From   string `query:"from"`
			To     string `query:"to"`
			UnitID int64  `query:"unit_id"`
		}) (*struct{ Body []metric.Figure }, error) {
			f, err := s.Figures(ctx, metric.Query{From: in.From, To: in.To, UnitID: in.UnitID})
			return &struct{ Body []metric.Figure }{Body: f}, err
		})
	huma.Register(api, huma.Operation{OperationID: "listLitigationHearings", Method: http.MethodGet, Path: "/api/litigation/hearings", Summary: "庭审及负责人出庭情况列表", Tags: tags},
		func(ctx context.Context, in *hearingListInput) (*struct{ Body db.Paged[Hearing] }, error) {
			p, err := s.ListHearings(ctx, in.HearingFilter, in.ListReq)
			return &struct{ Body db.Paged[Hearing] }{Body: p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "exportLitigation", Method: http.MethodGet, Path: "/api/litigation/export.xlsx", Summary: "导出行政应诉案件台账（Excel）", Tags: tags},
		func(ctx context.Context, in *listInput) (*huma.StreamResponse, error) {
			l, err := s.listSQL(ctx, in.Filter)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				httpx.Download(hc, xlsxType, files.ContentDisposition("行政应诉案件台账.xlsx", "litigation-ledger.xlsx"), func(w io.Writer) error {
					return s.ExportTo(hc.Context(), w, l)
				})
			}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "litigationImportTemplate", Method: http.MethodGet, Path: "/api/litigation/template.xlsx", Summary: "行政应诉案件台账导入模板", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*fileOut, error) {
			b, err := s.ImportTemplate(ctx)
			if err != nil {
				return nil, err
			}
			return &fileOut{ContentType: xlsxType, ContentDisposition: files.ContentDisposition("行政应诉案件台账导入模板.xlsx", "litigation-template.xlsx"), Body: b}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "importLitigation", Method: http.MethodPost, Path: "/api/litigation/import", Summary: "导入行政应诉案件台账（Excel）", Tags: tags,
		MaxBodyBytes: xl.MaxFile},
		func(ctx context.Context, in *struct{ RawBody []byte }) (*struct{ Body *ImportReport }, error) {
			rep, err := s.Import(ctx, in.RawBody)
			return &struct{ Body *ImportReport }{Body: rep}, err
		})
	huma.Register(api, huma.Operation{OperationID: "createLitigation", Method: http.MethodPost, Path: "/api/litigation", Summary: "登记行政应诉案件", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body CaseInput }) (*detailOut, error) {
			d, err := s.Create(ctx, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "getLitigation", Method: http.MethodGet, Path: "/api/litigation/{id}", Summary: "行政应诉案件详情", Tags: tags},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*detailOut, error) {
			d, err := s.Get(ctx, in.ID)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "updateLitigation", Method: http.MethodPut, Path: "/api/litigation/{id}", Summary: "修改行政应诉案件信息", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body UpdateInput
		}) (*detailOut, error) {
			d, err := s.Update(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "stepLitigation", Method: http.MethodPost, Path: "/api/litigation/{id}/steps/{action}", Summary: "办理行政应诉步骤", Tags: tags},
		func(ctx context.Context, in *struct {
			ID     int64  `path:"id"`
			Action string `path:"action" enum:"defence,evidence,outcome,suggestion,suggestion_reply,review,recheck"`
			Body   StepInput
		}) (*detailOut, error) {
			d, err := s.Step(ctx, in.ID, in.Action, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "addLitigationHearing", Method: http.MethodPost, Path: "/api/litigation/{id}/hearings", Summary: "登记庭审（排期或出庭情况）", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body HearingInput
		}) (*detailOut, error) {
			d, err := s.AddHearing(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "recordLitigationHearing", Method: http.MethodPut, Path: "/api/litigation/{id}/hearings/{hearing}", Summary: "登记庭审出庭情况", Tags: tags},
		func(ctx context.Context, in *struct {
			ID      int64 `path:"id"`
			Hearing int64 `path:"hearing"`
			Body    HearingInput
		}) (*detailOut, error) {
			d, err := s.RecordHearing(ctx, in.ID, in.Hearing, in.Body)
			return &detailOut{Body: d}, err
		})
}
