package disclosure

import (
	"context"
	"fmt"
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

type listInput struct {
	Filter
	db.ListReq
}

// Meta lists the register's code tables for forms and filters.
type Meta struct {
	Channels       []Option            `json:"channels"`
	ApplicantTypes []Option            `json:"applicant_types"`
	Statuses       []Option            `json:"statuses"`
	ReplyTypes     []Option            `json:"reply_types"`
	Reasons        map[string][]Option `json:"reasons"`
	StatGroups     []Option            `json:"stat_groups"`
	SecrecyResults []Option            `json:"secrecy_results"`
	ConsultResults []Option            `json:"consult_results"`
	FeeMethods     []Option            `json:"fee_methods"`
	ReceiptRules   []ReceiptRule       `json:"receipt_rules"`
}

type detailOut struct{ Body *Detail }

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// step registers one procedure step: POST /api/disclosure/requests/{id}/<path>.
func step[In any](api huma.API, id, path, summary string, fn func(context.Context, int64, In) (*Detail, error)) {
	huma.Register(api, huma.Operation{OperationID: id, Method: http.MethodPost, Path: "/api/disclosure/requests/{id}/" + path, Summary: summary, Tags: []string{"依申请公开"}},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body In
		}) (*detailOut, error) {
			d, err := fn(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
}

// Register declares the register's routes. The public portal's online
// intake is the service method PublicIntake; its route arrives with the
// portal.
func (s *Service) Register(api huma.API) {
	tags := []string{"依申请公开"}
	huma.Register(api, huma.Operation{OperationID: "listDisclosureRequests", Method: http.MethodGet, Path: "/api/disclosure/requests", Summary: "依申请公开登记列表", Tags: tags},
		func(ctx context.Context, in *listInput) (*struct{ Body db.Paged[Request] }, error) {
			p, err := s.List(ctx, in.Filter, in.ListReq)
			return &struct{ Body db.Paged[Request] }{Body: p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "disclosureMeta", Method: http.MethodGet, Path: "/api/disclosure/meta", Summary: "依申请公开代码表", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body Meta }, error) {
			if _, err := auth.Require(ctx, PermRead); err != nil {
				return nil, err
			}
			return &struct{ Body Meta }{Body: Meta{Channels: Channels, ApplicantTypes: ApplicantTypes, Statuses: StatusFilters, ReplyTypes: ReplyTypes,
				Reasons: Reasons, StatGroups: StatGroups, SecrecyResults: SecrecyResults, ConsultResults: ConsultResults, FeeMethods: FeeMethods,
				ReceiptRules: ReceiptRules}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "exportDisclosureRequests", Method: http.MethodGet, Path: "/api/disclosure/requests/export.xlsx", Summary: "导出依申请公开登记（Excel）", Tags: tags},
		func(ctx context.Context, in *listInput) (*huma.StreamResponse, error) {
			l, err := s.ExportSQL(ctx, in.Filter)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				httpx.Download(hc, xlsxType, files.ContentDisposition("依申请公开登记.xlsx", "disclosure-requests.xlsx"), func(w io.Writer) error {
					return s.ExportTo(hc.Context(), w, l)
				})
			}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "disclosureImportTemplate", Method: http.MethodGet, Path: "/api/disclosure/requests/template.xlsx", Summary: "依申请公开登记导入模板", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*fileOut, error) {
			if _, err := auth.Require(ctx, PermWrite); err != nil {
				return nil, err
			}
			b, err := Template()
			if err != nil {
				return nil, err
			}
			return &fileOut{xlsxType, files.ContentDisposition("依申请公开登记导入模板.xlsx", "disclosure-import-template.xlsx"), b}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "importDisclosureRequests", Method: http.MethodPost, Path: "/api/disclosure/requests/import", Summary: "导入依申请公开登记（Excel）", Tags: tags,
		MaxBodyBytes: xl.MaxFile},
		func(ctx context.Context, in *struct {
			ValidOnly bool `query:"valid_only" doc:"只导入无误的行"`
			RawBody   []byte
		}) (*struct{ Body *ImportReport }, error) {
			rep, err := s.Import(ctx, in.RawBody, in.ValidOnly)
			return &struct{ Body *ImportReport }{Body: rep}, err
		})
	huma.Register(api, huma.Operation{OperationID: "disclosureFigures", Method: http.MethodGet, Path: "/api/disclosure/figures", Summary: "依申请公开统计指标", Tags: tags},
		func(ctx context.Context, in *struct {
			From   string `query:"from"`
			To     string `query:"to"`
			UnitID int64  `query:"unit_id"`
		}) (*struct{ Body []metric.Figure }, error) {
			f, err := s.Figures(ctx, metric.Query{From: in.From, To: in.To, UnitID: in.UnitID})
			return &struct{ Body []metric.Figure }{Body: f}, err
		})
	type annualIn struct {
		Year   int   `query:"year" doc:"年度（不填为本年）"`
		UnitID int64 `query:"unit_id" doc:"单位（含下级）"`
	}
	huma.Register(api, huma.Operation{OperationID: "disclosureAnnual", Method: http.MethodGet, Path: "/api/disclosure/annual", Summary: "政府信息公开年度报告：收到和处理政府信息公开申请情况", Tags: tags},
		func(ctx context.Context, in *annualIn) (*struct{ Body *AnnualTable }, error) {
			t, err := s.Annual(ctx, in.Year, in.UnitID)
			return &struct{ Body *AnnualTable }{Body: t}, err
		})
	huma.Register(api, huma.Operation{OperationID: "disclosureAnnualXLSX", Method: http.MethodGet, Path: "/api/disclosure/annual.xlsx", Summary: "导出年度报告统计表（Excel）", Tags: tags},
		func(ctx context.Context, in *annualIn) (*fileOut, error) {
			if in.Year == 0 {
				in.Year = s.today(ctx).Year
			}
			b, err := s.AnnualXLSX(ctx, in.Year, in.UnitID)
			if err != nil {
				return nil, err
			}
			name := fmt.Sprintf("%d年度政府信息公开申请情况.xlsx", in.Year)
			return &fileOut{xlsxType, files.ContentDisposition(name, fmt.Sprintf("disclosure-annual-%d.xlsx", in.Year)), b}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "createDisclosureRequest", Method: http.MethodPost, Path: "/api/disclosure/requests", Summary: "登记依申请公开申请", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body CreateInput }) (*detailOut, error) {
			d, err := s.Create(ctx, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "getDisclosureRequest", Method: http.MethodGet, Path: "/api/disclosure/requests/{id}", Summary: "依申请公开详情（含期限计算和办理过程）", Tags: tags},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*detailOut, error) {
			d, err := s.Get(ctx, in.ID)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "disclosureLetter", Method: http.MethodGet, Path: "/api/disclosure/requests/{id}/letter.docx", Summary: "政府信息公开申请答复书（Word）", Tags: tags},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*fileOut, error) {
			b, name, err := s.Letter(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &fileOut{docxType, files.ContentDisposition(name, fmt.Sprintf("disclosure-reply-%d.docx", in.ID)), b}, nil
		})
	step(api, "disclosureCorrection", "correction", "告知补正", s.Correction)
	step(api, "disclosureCorrected", "corrected", "收到补正后的申请", s.Corrected)
	step(api, "disclosureConsult", "consult", "征求第三方意见", s.Consult)
	step(api, "disclosureConsultClosed", "consult-closed", "第三方意见办结", s.ConsultClosed)
	step(api, "disclosureExtend", "extend", "延长答复期限", s.Extend)
	step(api, "disclosureSecrecy", "secrecy", "保密审查", s.Secrecy)
	step(api, "disclosureFeeNotice", "fee-notice", "发出收费通知", s.FeeNotice)
	step(api, "disclosureFeePaid", "fee-paid", "登记缴费", s.FeePaid)
	step(api, "disclosureReply", "reply", "作出答复", s.Reply)
	step(api, "disclosureClose", "close", "终止办理", s.Close)
}
