package reconsideration

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

const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// Meta lists the register's code tables for forms and filters.
type Meta struct {
	Statuses       []Option `json:"statuses"`
	Categories     []Option `json:"categories"`
	Channels       []Option `json:"channels"`
	ApplicantTypes []Option `json:"applicant_types"`
	Outcomes       []Option `json:"outcomes"`
	Terminations   []Option `json:"terminations"`
	OpinionKinds   []Option `json:"opinion_kinds"`
	Actions        []Option `json:"actions"`
}

type listInput struct {
	Filter
	db.ListReq
}

type detailOut struct{ Body *Detail }

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// RegisterRoutes declares the register's routes and the public decisions.
func (s *Service) RegisterRoutes(api huma.API) {
	tags := []string{"行政复议"}
	huma.Register(api, huma.Operation{OperationID: "listReconsiderations", Method: http.MethodGet, Path: "/api/reconsiderations", Summary: "行政复议案件列表", Tags: tags},
		func(ctx context.Context, in *listInput) (*struct{ Body db.Paged[Case] }, error) {
			p, err := s.List(ctx, in.Filter, in.ListReq)
			return &struct{ Body db.Paged[Case] }{Body: p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "reconsiderationMeta", Method: http.MethodGet, Path: "/api/reconsiderations/meta", Summary: "行政复议代码表", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body Meta }, error) {
			if _, err := auth.Require(ctx, PermRead); err != nil {
				return nil, err
			}
			return &struct{ Body Meta }{Body: Meta{Statuses: append([]Option{{Value: StatusOpen, Label: "办理中"}}, Statuses...), Categories: Categories,
				Channels: Channels, ApplicantTypes: ApplicantTypes, Outcomes: Outcomes, Terminations: Terminations, OpinionKinds: OpinionKinds, Actions: Actions}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "reconsiderationFigures", Method: http.MethodGet, Path: "/api/reconsiderations/figures", Summary: "行政复议指标", Tags: tags},
		func(ctx context.Context, in *struct {
			From   string `query:"from"`
			To     string `query:"to"`
			UnitID int64  `query:"unit_id"`
		}) (*struct{ Body []metric.Figure }, error) {
			f, err := s.Figures(ctx, metric.Query{From: in.From, To: in.To, UnitID: in.UnitID})
			return &struct{ Body []metric.Figure }{Body: f}, err
		})
	huma.Register(api, huma.Operation{OperationID: "exportReconsiderations", Method: http.MethodGet, Path: "/api/reconsiderations/export.xlsx", Summary: "导出行政复议案件台账（Excel）", Tags: tags},
		func(ctx context.Context, in *listInput) (*huma.StreamResponse, error) {
			l, err := s.ExportSQL(ctx, in.Filter)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				httpx.Download(hc, xlsxType, files.ContentDisposition("行政复议案件台账.xlsx", "reconsideration-ledger.xlsx"), func(w io.Writer) error {
					return s.ExportTo(hc.Context(), w, l)
				})
			}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "reconsiderationImportTemplate", Method: http.MethodGet, Path: "/api/reconsiderations/template.xlsx", Summary: "行政复议案件台账导入模板", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*fileOut, error) {
			b, err := s.ImportTemplate(ctx)
			if err != nil {
				return nil, err
			}
			return &fileOut{ContentType: xlsxType, ContentDisposition: files.ContentDisposition("行政复议案件台账导入模板.xlsx", "reconsideration-template.xlsx"), Body: b}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "importReconsiderations", Method: http.MethodPost, Path: "/api/reconsiderations/import", Summary: "导入行政复议案件台账（Excel）", Tags: tags,
		MaxBodyBytes: xl.MaxFile},
		func(ctx context.Context, in *struct{ RawBody []byte }) (*struct{ Body *ImportReport }, error) {
			rep, err := s.Import(ctx, in.RawBody)
			return &struct{ Body *ImportReport }{Body: rep}, err
		})
	huma.Register(api, huma.Operation{OperationID: "createReconsideration", Method: http.MethodPost, Path: "/api/reconsiderations", Summary: "登记行政复议申请", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body ApplicationInput }) (*detailOut, error) {
			d, err := s.Create(ctx, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "getReconsideration", Method: http.MethodGet, Path: "/api/reconsiderations/{id}", Summary: "行政复议案件详情", Tags: tags},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*detailOut, error) {
			d, err := s.Get(ctx, in.ID)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "updateReconsideration", Method: http.MethodPut, Path: "/api/reconsiderations/{id}", Summary: "修改行政复议申请事项", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body UpdateInput
		}) (*detailOut, error) {
			d, err := s.Update(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "stepReconsideration", Method: http.MethodPost, Path: "/api/reconsiderations/{id}/steps/{action}", Summary: "办理行政复议程序步骤", Tags: tags},
		func(ctx context.Context, in *struct {
			ID     int64  `path:"id"`
			Action string `path:"action" enum:"request_correction,corrected,lapse,accept,not_accept,deem,send_copy,reply,no_reply,hearing,suspend,resume,extend,terminate,decide,publish,opinion,followup,sued"`
			Body   StepInput
		}) (*detailOut, error) {
			d, err := s.Step(ctx, in.ID, in.Action, in.Body)
			return &detailOut{Body: d}, err
		})
	letter := func(id, path, summary string, render func(context.Context, int64) ([]byte, string, error), ascii string) {
		huma.Register(api, huma.Operation{OperationID: id, Method: http.MethodGet, Path: path, Summary: summary, Tags: tags},
			func(ctx context.Context, in *struct {
				ID int64 `path:"id"`
			}) (*fileOut, error) {
				b, name, err := render(ctx, in.ID)
				if err != nil {
					return nil, err
				}
				return &fileOut{ContentType: docxType, ContentDisposition: files.ContentDisposition(name, ascii), Body: b}, nil
			})
	}
	letter("reconsiderationDecisionLetter", "/api/reconsiderations/{id}/decision.docx", "行政复议决定书（Word）", s.DecisionLetter, "reconsideration-decision.docx")
	letter("reconsiderationOpinionLetter", "/api/reconsiderations/{id}/opinion.docx", "行政复议意见书或建议书（Word）", s.OpinionLetter, "reconsideration-opinion.docx")

	pub := []string{"公开：行政复议决定书"}
	huma.Register(api, huma.Operation{OperationID: "publicReconsiderationDecisions", Method: http.MethodGet, Path: "/api/public/reconsideration-decisions", Summary: "已公开的行政复议决定书（已去除个人信息）", Tags: pub},
		func(ctx context.Context, in *PublicListInput) (*struct{ Body db.Paged[PublicDecision] }, error) {
			p, err := s.PublicList(ctx, *in)
			return &struct{ Body db.Paged[PublicDecision] }{Body: p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "publicReconsiderationDecision", Method: http.MethodGet, Path: "/api/public/reconsideration-decisions/{id}", Summary: "已公开的行政复议决定书", Tags: pub},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*struct{ Body *PublicDecision }, error) {
			p, err := s.PublicGet(ctx, in.ID)
			return &struct{ Body *PublicDecision }{Body: p}, err
		})
}
