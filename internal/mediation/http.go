package mediation

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
	CommitteeKinds []Option `json:"committee_kinds"`
	DisputeTypes   []Option `json:"dispute_types"`
	Sources        []Option `json:"sources"`
	Statuses       []Option `json:"statuses"`
	AgreementForms []Option `json:"agreement_forms"`
	ConfirmResults []Option `json:"confirm_results"`
	Fulfilments    []Option `json:"fulfilments"`
}

type listInput struct {
	Filter
	db.ListReq
}

type detailOut struct{ Body *Detail }

type figuresInput struct {
	From   string `query:"from" doc:"期间起 YYYY-MM-DD（默认本年1月1日）"`
	To     string `query:"to" doc:"期间止 YYYY-MM-DD（默认今天）"`
	UnitID int64  `query:"unit_id"`
}

// stepRoute declares one step of a case: POST /api/mediation/cases/{id}/<path>.
func stepRoute[In any](api huma.API, id, path, summary string, fn func(ctx context.Context, id int64, in In) (*Detail, error)) {
	huma.Register(api, huma.Operation{OperationID: id, Method: http.MethodPost, Path: "/api/mediation/cases/{id}/" + path, Summary: summary, Tags: []string{"人民调解"}},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body In
		}) (*detailOut, error) {
			d, err := fn(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
}

// Register declares the register's routes.
func (s *Service) Register(api huma.API) {
	tags := []string{"人民调解"}
	huma.Register(api, huma.Operation{OperationID: "mediationMeta", Method: http.MethodGet, Path: "/api/mediation/meta", Summary: "人民调解代码表", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body Meta }, error) {
			if _, err := auth.Require(ctx, PermRead); err != nil {
				return nil, err
			}
			return &struct{ Body Meta }{Body: Meta{CommitteeKinds: CommitteeKinds, DisputeTypes: DisputeTypes, Sources: Sources, Statuses: StatusFilters,
				AgreementForms: AgreementForms, ConfirmResults: ConfirmResults, Fulfilments: Fulfilments}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "mediationFigures", Method: http.MethodGet, Path: "/api/mediation/figures", Summary: "人民调解统计指标", Tags: tags},
		func(ctx context.Context, in *figuresInput) (*struct{ Body []metric.Figure }, error) {
			f, err := s.Figures(ctx, metric.Query{From: in.From, To: in.To, UnitID: in.UnitID})
			return &struct{ Body []metric.Figure }{Body: f}, err
		})
	huma.Register(api, huma.Operation{OperationID: "listMediationCommittees", Method: http.MethodGet, Path: "/api/mediation/committees", Summary: "人民调解委员会列表", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []Committee }, error) {
			cs, err := s.Committees(ctx)
			return &struct{ Body []Committee }{Body: cs}, err
		})
	huma.Register(api, huma.Operation{OperationID: "createMediationCommittee", Method: http.MethodPost, Path: "/api/mediation/committees", Summary: "登记人民调解委员会", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body CommitteeInput }) (*struct{ Body *Committee }, error) {
			c, err := s.CreateCommittee(ctx, in.Body)
			return &struct{ Body *Committee }{Body: c}, err
		})
	huma.Register(api, huma.Operation{OperationID: "updateMediationCommittee", Method: http.MethodPut, Path: "/api/mediation/committees/{id}", Summary: "修改人民调解委员会", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body CommitteeInput
		}) (*struct{ Body *Committee }, error) {
			c, err := s.UpdateCommittee(ctx, in.ID, in.Body)
			return &struct{ Body *Committee }{Body: c}, err
		})
	huma.Register(api, huma.Operation{OperationID: "listMediators", Method: http.MethodGet, Path: "/api/mediation/committees/{id}/mediators", Summary: "调解员名册", Tags: tags},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*struct{ Body []Mediator }, error) {
			ms, err := s.MediatorsOf(ctx, in.ID)
			return &struct{ Body []Mediator }{Body: ms}, err
		})
	huma.Register(api, huma.Operation{OperationID: "addMediator", Method: http.MethodPost, Path: "/api/mediation/committees/{id}/mediators", Summary: "增加调解员", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body MediatorInput
		}) (*struct{ Body *Mediator }, error) {
			m, err := s.AddMediator(ctx, in.ID, in.Body)
			return &struct{ Body *Mediator }{Body: m}, err
		})
	huma.Register(api, huma.Operation{OperationID: "updateMediator", Method: http.MethodPut, Path: "/api/mediation/mediators/{id}", Summary: "修改调解员", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body MediatorInput
		}) (*struct{ Body *Mediator }, error) {
			m, err := s.UpdateMediator(ctx, in.ID, in.Body)
			return &struct{ Body *Mediator }{Body: m}, err
		})
	huma.Register(api, huma.Operation{OperationID: "listMediationCases", Method: http.MethodGet, Path: "/api/mediation/cases", Summary: "人民调解案件列表", Tags: tags},
		func(ctx context.Context, in *listInput) (*struct{ Body db.Paged[Case] }, error) {
			p, err := s.List(ctx, in.Filter, in.ListReq)
			return &struct{ Body db.Paged[Case] }{Body: p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "exportMediationCases", Method: http.MethodGet, Path: "/api/mediation/cases/export.xlsx", Summary: "导出人民调解案件（Excel）", Tags: tags},
		func(ctx context.Context, in *listInput) (*huma.StreamResponse, error) {
			a, l, err := s.ExportSQL(ctx, in.Filter)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				httpx.Download(hc, xlsxType, files.ContentDisposition("人民调解案件.xlsx", "mediation-cases.xlsx"), func(w io.Writer) error {
					return s.ExportTo(hc.Context(), w, a, l)
				})
			}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "mediationImportTemplate", Method: http.MethodGet, Path: "/api/mediation/cases/template.xlsx", Summary: "人民调解案件导入模板", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct {
			ContentType        string `header:"Content-Type"`
			ContentDisposition string `header:"Content-Disposition"`
			Body               []byte
		}, error) {
			if _, err := auth.Require(ctx, PermWrite); err != nil {
				return nil, err
			}
			b, err := Template()
			if err != nil {
				return nil, err
			}
			return &struct {
				ContentType        string `header:"Content-Type"`
				ContentDisposition string `header:"Content-Disposition"`
				Body               []byte
			}{xlsxType, files.ContentDisposition("人民调解案件导入模板.xlsx", "mediation-import-template.xlsx"), b}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "importMediationCases", Method: http.MethodPost, Path: "/api/mediation/cases/import", Summary: "导入人民调解案件（Excel）", Tags: tags,
		MaxBodyBytes: xl.MaxFile},
		func(ctx context.Context, in *struct{ RawBody []byte }) (*struct{ Body *ImportReport }, error) {
			rep, err := s.Import(ctx, in.RawBody)
			return &struct{ Body *ImportReport }{Body: rep}, err
		})
	huma.Register(api, huma.Operation{OperationID: "createMediationCase", Method: http.MethodPost, Path: "/api/mediation/cases", Summary: "受理登记人民调解案件", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body CaseInput }) (*detailOut, error) {
			d, err := s.Create(ctx, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "getMediationCase", Method: http.MethodGet, Path: "/api/mediation/cases/{id}", Summary: "人民调解案件详情", Tags: tags},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*detailOut, error) {
			d, err := s.Get(ctx, in.ID)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "updateMediationCase", Method: http.MethodPut, Path: "/api/mediation/cases/{id}", Summary: "修改受理信息", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body CaseInput
		}) (*detailOut, error) {
			d, err := s.Update(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	stepRoute(api, "mediationSession", "session", "记录调解", s.Session)
	stepRoute(api, "mediationAgree", "agreement", "登记调解协议", s.Agree)
	stepRoute(api, "mediationFail", "fail", "调解不成", s.Fail)
	stepRoute(api, "mediationConfirmApply", "confirm-apply", "申请司法确认", s.ApplyConfirm)
	stepRoute(api, "mediationConfirmResult", "confirm-result", "登记司法确认结果", s.ConfirmResult)
	stepRoute(api, "mediationFollowup", "followup", "回访及履行情况", s.Followup)
	stepRoute(api, "mediationLitigation", "litigation", "引导诉讼", s.Litigation)
}
