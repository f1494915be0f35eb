package enforcement

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

type reportListIn struct {
	ReportFilter
	db.ListReq
}
type reportOut struct{ Body *PenaltyReport }
type reportSubmitIn struct {
	ID   int64 `path:"id"`
	Body ReportInput
}
type reportReviewIn struct {
	ID   int64 `path:"id"`
	Body ReviewInput
}
type inclusiveOut struct{ Body *CaseInclusive }

type leniencyListIn struct {
	LeniencyFilter
	db.ListReq
}
type leniencyOut struct{ Body *LeniencyList }
type leniencyImportIn struct {
	LeniencyImport
	RawBody []byte
}
type leniencyImportOut struct{ Body *LeniencyImportReport }
type leniencyIn struct{ Body LeniencyInput }
type leniencyUpdateIn struct {
	ID   int64 `path:"id"`
	Body LeniencyInput
}
type caseLeniencyIn struct {
	ID   int64 `path:"id"`
	Body CaseLeniencyInput
}

// registerInclusiveRoutes declares the routes of 包容审慎监管 (reg makes an
// operation under /api/enforcement).
func (s *Service) registerInclusiveRoutes(api huma.API, reg func(id, method, path, summary string, status int) huma.Operation) {
	// ---- 涉企处罚报备 ----
	huma.Register(api, reg("case-inclusive", http.MethodGet, "/cases/{id}/inclusive", "案件的涉企处罚报备与不罚轻罚清单适用情况", 0), func(ctx context.Context, in *idPath) (*inclusiveOut, error) {
		x, err := s.GetCaseInclusive(ctx, in.ID)
		return &inclusiveOut{Body: x}, err
	})
	huma.Register(api, reg("case-report", http.MethodPost, "/cases/{id}/report", "向司法局报备涉企处罚（决定前）", 0), func(ctx context.Context, in *reportSubmitIn) (*reportOut, error) {
		r, err := s.SubmitReport(ctx, in.ID, in.Body)
		return &reportOut{Body: r}, err
	})
	huma.Register(api, reg("reports", http.MethodGet, "/penalty-reports", "涉企处罚报备台账", 0), func(ctx context.Context, in *reportListIn) (*pagedOut[PenaltyReport], error) {
		p, err := s.ListReports(ctx, in.ReportFilter, in.ListReq)
		return &pagedOut[PenaltyReport]{Body: p}, err
	})
	huma.Register(api, reg("report-get", http.MethodGet, "/penalty-reports/{id}", "涉企处罚报备详情", 0), func(ctx context.Context, in *idPath) (*reportOut, error) {
		r, err := s.GetReport(ctx, in.ID)
		return &reportOut{Body: r}, err
	})
	huma.Register(api, reg("report-acknowledge", http.MethodPost, "/penalty-reports/{id}/acknowledge", "司法局确认涉企处罚报备", 0), func(ctx context.Context, in *reportReviewIn) (*reportOut, error) {
		r, err := s.AcknowledgeReport(ctx, in.ID, in.Body)
		return &reportOut{Body: r}, err
	})
	huma.Register(api, reg("report-return", http.MethodPost, "/penalty-reports/{id}/return", "司法局退回涉企处罚报备", 0), func(ctx context.Context, in *reportReviewIn) (*reportOut, error) {
		r, err := s.ReturnReport(ctx, in.ID, in.Body)
		return &reportOut{Body: r}, err
	})

	// ---- 不罚 / 免罚 / 轻罚 清单 ----
	huma.Register(api, reg("leniency-lists", http.MethodGet, "/leniency-lists", "不罚、免罚、轻罚清单（各版本）", 0), func(ctx context.Context, in *leniencyListIn) (*pagedOut[LeniencyList], error) {
		p, err := s.ListLeniencyLists(ctx, in.LeniencyFilter, in.ListReq)
		return &pagedOut[LeniencyList]{Body: p}, err
	})
	huma.Register(api, reg("leniency-create", http.MethodPost, "/leniency-lists", "登记不罚、免罚、轻罚清单", http.StatusCreated), func(ctx context.Context, in *leniencyIn) (*leniencyOut, error) {
		l, err := s.CreateLeniencyList(ctx, in.Body)
		return &leniencyOut{Body: l}, err
	})
	huma.Register(api, reg("leniency-template", http.MethodGet, "/leniency-lists/import-template.xlsx", "下载清单事项导入模板", 0), func(ctx context.Context, _ *struct{}) (*xlsxOut, error) {
		if _, err := auth.Require(ctx, PermRead); err != nil {
			return nil, err
		}
		b, err := LeniencyTemplate()
		return &xlsxOut{ContentType: httpx.XLSX, ContentDisposition: files.ContentDisposition("不罚免罚轻罚清单导入模板.xlsx", "enforcement-leniency-template.xlsx"), Body: b}, err
	})
	huma.Register(api, huma.Operation{OperationID: "enforcement-leniency-import", Method: http.MethodPost, Path: "/api/enforcement/leniency-lists/import",
		Summary: "从 Excel 导入清单事项（新清单或修订）", Tags: []string{"行政执法监督"}, MaxBodyBytes: xl.MaxFile,
		RequestBody: &huma.RequestBody{Content: map[string]*huma.MediaType{httpx.XLSX: {}}}},
		func(ctx context.Context, in *leniencyImportIn) (*leniencyImportOut, error) {
			rep, err := s.ImportLeniencyList(ctx, in.RawBody, in.LeniencyImport)
			return &leniencyImportOut{Body: rep}, err
		})
	huma.Register(api, reg("leniency-export", http.MethodGet, "/leniency-lists/{id}/export.xlsx", "导出清单某一版本的事项（Excel）", 0), func(ctx context.Context, in *idPath) (*huma.StreamResponse, error) {
		if _, err := s.GetLeniencyList(ctx, in.ID); err != nil { // refused before the download starts
			return nil, err
		}
		return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("不罚免罚轻罚清单.xlsx", "enforcement-leniency.xlsx"), func(w io.Writer) error {
			return s.ExportLeniencyList(ctx, w, in.ID)
		}), nil
	})
	huma.Register(api, reg("leniency-get", http.MethodGet, "/leniency-lists/{id}", "清单某一版本及其事项", 0), func(ctx context.Context, in *idPath) (*leniencyOut, error) {
		l, err := s.GetLeniencyList(ctx, in.ID)
		return &leniencyOut{Body: l}, err
	})
	huma.Register(api, reg("leniency-revise", http.MethodPut, "/leniency-lists/{id}", "修订清单（现行版本生成新版本，未施行版本直接修改）", 0), func(ctx context.Context, in *leniencyUpdateIn) (*leniencyOut, error) {
		l, err := s.ReviseLeniencyList(ctx, in.ID, in.Body)
		return &leniencyOut{Body: l}, err
	})
	huma.Register(api, reg("case-leniency", http.MethodPut, "/cases/{id}/leniency", "案件适用的不罚、免罚、轻罚清单事项", 0), func(ctx context.Context, in *caseLeniencyIn) (*inclusiveOut, error) {
		x, err := s.SetCaseLeniency(ctx, in.ID, in.Body)
		return &inclusiveOut{Body: x}, err
	})
}

type planListIn struct {
	PlanFilter
	db.ListReq
}
type planOut struct{ Body *InspectionPlan }
type planIn struct{ Body PlanInput }
type planUpdateIn struct {
	ID   int64 `path:"id"`
	Body PlanInput
}
type versionIn struct {
	ID   int64 `path:"id"`
	Body struct {
		Version int64 `json:"version"`
	}
}
type inspectionListIn struct {
	InspectionFilter
	db.ListReq
}
type inspectionOut struct{ Body *Inspection }
type inspectionIn struct{ Body InspectionInput }
type inspectionUpdateIn struct {
	ID   int64 `path:"id"`
	Body InspectionInput
}

// registerInspectionRoutes declares the routes of 涉企行政检查.
func (s *Service) registerInspectionRoutes(api huma.API, reg func(id, method, path, summary string, status int) huma.Operation) {
	huma.Register(api, reg("plans", http.MethodGet, "/inspection-plans", "涉企行政检查年度计划", 0), func(ctx context.Context, in *planListIn) (*pagedOut[InspectionPlan], error) {
		p, err := s.ListPlans(ctx, in.PlanFilter, in.ListReq)
		return &pagedOut[InspectionPlan]{Body: p}, err
	})
	huma.Register(api, reg("plan-create", http.MethodPost, "/inspection-plans", "登记涉企行政检查年度计划（草稿）", http.StatusCreated), func(ctx context.Context, in *planIn) (*planOut, error) {
		p, err := s.CreatePlan(ctx, in.Body)
		return &planOut{Body: p}, err
	})
	huma.Register(api, reg("plan-update", http.MethodPut, "/inspection-plans/{id}", "修改检查计划（公布前）", 0), func(ctx context.Context, in *planUpdateIn) (*planOut, error) {
		p, err := s.UpdatePlan(ctx, in.ID, in.Body)
		return &planOut{Body: p}, err
	})
	huma.Register(api, reg("plan-publish", http.MethodPost, "/inspection-plans/{id}/publish", "公布检查计划", 0), func(ctx context.Context, in *versionIn) (*planOut, error) {
		p, err := s.PublishPlan(ctx, in.ID, in.Body.Version)
		return &planOut{Body: p}, err
	})
	huma.Register(api, reg("inspections", http.MethodGet, "/inspections", "涉企行政检查台账", 0), func(ctx context.Context, in *inspectionListIn) (*pagedOut[Inspection], error) {
		p, err := s.ListInspections(ctx, in.InspectionFilter, in.ListReq)
		return &pagedOut[Inspection]{Body: p}, err
	})
	huma.Register(api, reg("inspections-export", http.MethodGet, "/inspections/export.xlsx", "导出涉企行政检查台账（Excel）", 0), func(ctx context.Context, in *inspectionListIn) (*huma.StreamResponse, error) {
		return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("涉企行政检查台账.xlsx", "enforcement-inspections.xlsx"), func(w io.Writer) error {
			return s.ExportInspections(ctx, w, in.InspectionFilter)
		}), nil
	})
	huma.Register(api, reg("inspection-create", http.MethodPost, "/inspections", "登记涉企行政检查", http.StatusCreated), func(ctx context.Context, in *inspectionIn) (*inspectionOut, error) {
		x, err := s.CreateInspection(ctx, in.Body)
		return &inspectionOut{Body: x}, err
	})
	huma.Register(api, reg("inspection-get", http.MethodGet, "/inspections/{id}", "涉企行政检查详情", 0), func(ctx context.Context, in *idPath) (*inspectionOut, error) {
		x, err := s.GetInspection(ctx, in.ID)
		return &inspectionOut{Body: x}, err
	})
	huma.Register(api, reg("inspection-update", http.MethodPut, "/inspections/{id}", "修改涉企行政检查", 0), func(ctx context.Context, in *inspectionUpdateIn) (*inspectionOut, error) {
		x, err := s.UpdateInspection(ctx, in.ID, in.Body)
		return &inspectionOut{Body: x}, err
	})
}
