package enforcement

import (
	"context"
	"io"
	"net/http"

	"fazhi/internal/metric"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"
	xl "fazhi/internal/platform/xlsx"

	"github.com/danielgtaylor/huma/v2"
)

type idPath struct {
	ID int64 `path:"id"`
}

type listOut[T any] struct {
	Body struct {
		Items []T `json:"items"`
	}
}

type pagedOut[T any] struct{ Body db.Paged[T] }

type bodyOut struct{ Body *Body }
type bodyIn struct{ Body BodyInput }
type bodyUpdateIn struct {
	ID   int64 `path:"id"`
	Body BodyInput
}

type grantListIn struct {
	UnitID int64 `query:"unit_id" doc:"乡镇（街道）"`
}
type grantOut struct{ Body *Grant }
type grantIn struct{ Body GrantInput }
type grantUpdateIn struct {
	ID   int64 `path:"id"`
	Body GrantInput
}

type officerListIn struct {
	OfficerFilter
	db.ListReq
}
type officerOut struct{ Body *Officer }
type officerIn struct{ Body OfficerInput }
type officerUpdateIn struct {
	ID   int64 `path:"id"`
	Body OfficerInput
}

type caseListIn struct {
	CaseFilter
	db.ListReq
}
type caseOut struct{ Body *Case }
type caseIn struct{ Body CaseInput }
type caseUpdateIn struct {
	ID   int64 `path:"id"`
	Body CaseInput
}

type reviewOut struct{ Body *ReviewOutcome }
type reviewOpenIn struct {
	ID   int64 `path:"id"`
	Body LegalReviewInput
}

type importIn struct {
	Mode    string `query:"mode" enum:"check,all," doc:"check 只检查；all（默认）全部无误才导入"`
	RawBody []byte
}
type importOut struct{ Body *ImportReport }

type xlsxOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type hitListIn struct {
	HitFilter
	db.ListReq
}

type tokenIn struct{ Body TokenInput }
type tokenOut struct{ Body *NewToken }
type emptyOut struct{}

type pushIn struct {
	Authorization string `header:"Authorization" doc:"Bearer 接入令牌"`
	Body          struct {
		Cases []CaseInput `json:"cases"`
	}
}
type pushOut struct{ Body *PushReport }

// RegisterRoutes declares the module's routes under /api/enforcement.
func (s *Service) RegisterRoutes(api huma.API) {
	tag := []string{"行政执法监督"}
	reg := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: "enforcement-" + id, Method: method, Path: "/api/enforcement" + path, Summary: summary, Tags: tag, DefaultStatus: status}
	}

	// ---- bodies and towns' item lists ----
	huma.Register(api, reg("bodies", http.MethodGet, "/bodies", "执法主体清单", 0), func(ctx context.Context, _ *struct{}) (*listOut[Body], error) {
		out := &listOut[Body]{}
		var err error
		out.Body.Items, err = s.ListBodies(ctx)
		return out, err
	})
	huma.Register(api, reg("body-create", http.MethodPost, "/bodies", "登记执法主体", http.StatusCreated), func(ctx context.Context, in *bodyIn) (*bodyOut, error) {
		b, err := s.CreateBody(ctx, in.Body)
		return &bodyOut{Body: b}, err
	})
	huma.Register(api, reg("body-update", http.MethodPut, "/bodies/{id}", "修改执法主体", 0), func(ctx context.Context, in *bodyUpdateIn) (*bodyOut, error) {
		b, err := s.UpdateBody(ctx, in.ID, in.Body)
		return &bodyOut{Body: b}, err
	})
	huma.Register(api, reg("grants", http.MethodGet, "/grants", "乡镇（街道）委托、赋权执法事项清单", 0), func(ctx context.Context, in *grantListIn) (*listOut[Grant], error) {
		out := &listOut[Grant]{}
		var err error
		out.Body.Items, err = s.ListGrants(ctx, in.UnitID)
		return out, err
	})
	huma.Register(api, reg("grant-create", http.MethodPost, "/grants", "登记委托、赋权执法事项", http.StatusCreated), func(ctx context.Context, in *grantIn) (*grantOut, error) {
		g, err := s.CreateGrant(ctx, in.Body)
		return &grantOut{Body: g}, err
	})
	huma.Register(api, reg("grant-update", http.MethodPut, "/grants/{id}", "修改委托、赋权执法事项", 0), func(ctx context.Context, in *grantUpdateIn) (*grantOut, error) {
		g, err := s.UpdateGrant(ctx, in.ID, in.Body)
		return &grantOut{Body: g}, err
	})

	// ---- officers ----
	huma.Register(api, reg("officers", http.MethodGet, "/officers", "执法人员名册", 0), func(ctx context.Context, in *officerListIn) (*pagedOut[Officer], error) {
		p, err := s.ListOfficers(ctx, in.OfficerFilter, in.ListReq)
		return &pagedOut[Officer]{Body: p}, err
	})
	huma.Register(api, reg("officers-export", http.MethodGet, "/officers/export.xlsx", "导出执法人员名册（Excel）", 0), func(ctx context.Context, in *officerListIn) (*huma.StreamResponse, error) {
		return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("执法人员名册.xlsx", "enforcement-officers.xlsx"), func(w io.Writer) error {
			return s.ExportOfficers(ctx, w, in.OfficerFilter)
		}), nil
	})
	huma.Register(api, reg("officer-create", http.MethodPost, "/officers", "登记执法人员", http.StatusCreated), func(ctx context.Context, in *officerIn) (*officerOut, error) {
		o, err := s.CreateOfficer(ctx, in.Body)
		return &officerOut{Body: o}, err
	})
	huma.Register(api, reg("officer-get", http.MethodGet, "/officers/{id}", "执法人员详情", 0), func(ctx context.Context, in *idPath) (*officerOut, error) {
		o, err := s.GetOfficer(ctx, in.ID)
		return &officerOut{Body: o}, err
	})
	huma.Register(api, reg("officer-update", http.MethodPut, "/officers/{id}", "修改执法人员（换证、暂扣、注销、培训学时）", 0), func(ctx context.Context, in *officerUpdateIn) (*officerOut, error) {
		o, err := s.UpdateOfficer(ctx, in.ID, in.Body)
		return &officerOut{Body: o}, err
	})

	// ---- cases ----
	huma.Register(api, reg("cases", http.MethodGet, "/cases", "行政执法案件台账", 0), func(ctx context.Context, in *caseListIn) (*pagedOut[Case], error) {
		p, err := s.ListCases(ctx, in.CaseFilter, in.ListReq)
		return &pagedOut[Case]{Body: p}, err
	})
	huma.Register(api, reg("cases-export", http.MethodGet, "/cases/export.xlsx", "导出行政执法案件台账（Excel）", 0), func(ctx context.Context, in *caseListIn) (*huma.StreamResponse, error) {
		return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("行政执法案件台账.xlsx", "enforcement-cases.xlsx"), func(w io.Writer) error {
			return s.ExportCases(ctx, w, in.CaseFilter)
		}), nil
	})
	huma.Register(api, reg("cases-template", http.MethodGet, "/cases/import-template.xlsx", "下载案件导入模板", 0), func(ctx context.Context, _ *struct{}) (*xlsxOut, error) {
		if _, err := s.ListRules(ctx); err != nil { // the read permission
			return nil, err
		}
		b, err := ImportTemplate()
		return &xlsxOut{ContentType: httpx.XLSX, ContentDisposition: files.ContentDisposition("行政执法案件导入模板.xlsx", "enforcement-cases-template.xlsx"), Body: b}, err
	})
	huma.Register(api, huma.Operation{OperationID: "enforcement-cases-import", Method: http.MethodPost, Path: "/api/enforcement/cases/import", Summary: "导入行政执法案件（Excel）", Tags: tag,
		MaxBodyBytes: xl.MaxFile,
		RequestBody:  &huma.RequestBody{Content: map[string]*huma.MediaType{httpx.XLSX: {}}}},
		func(ctx context.Context, in *importIn) (*importOut, error) {
			rep, err := s.ImportCases(ctx, in.RawBody, in.Mode == "check")
			return &importOut{Body: rep}, err
		})
	huma.Register(api, reg("case-create", http.MethodPost, "/cases", "登记行政执法案件", http.StatusCreated), func(ctx context.Context, in *caseIn) (*caseOut, error) {
		c, err := s.CreateCase(ctx, in.Body)
		return &caseOut{Body: c}, err
	})
	huma.Register(api, reg("case-get", http.MethodGet, "/cases/{id}", "行政执法案件详情", 0), func(ctx context.Context, in *idPath) (*caseOut, error) {
		c, err := s.GetCase(ctx, in.ID)
		return &caseOut{Body: c}, err
	})
	huma.Register(api, reg("case-update", http.MethodPut, "/cases/{id}", "修改行政执法案件", 0), func(ctx context.Context, in *caseUpdateIn) (*caseOut, error) {
		c, err := s.UpdateCase(ctx, in.ID, in.Body)
		return &caseOut{Body: c}, err
	})

	huma.Register(api, reg("case-legal-review", http.MethodGet, "/cases/{id}/legal-review", "案件的重大执法决定法制审核情况", 0), func(ctx context.Context, in *idPath) (*reviewOut, error) {
		o, err := s.CaseReview(ctx, in.ID)
		return &reviewOut{Body: o}, err
	})
	huma.Register(api, reg("case-legal-review-open", http.MethodPost, "/cases/{id}/legal-review", "送重大执法决定法制审核（合法性审查模块）", http.StatusCreated), func(ctx context.Context, in *reviewOpenIn) (*reviewOut, error) {
		o, err := s.OpenLegalReview(ctx, in.ID, in.Body)
		return &reviewOut{Body: o}, err
	})

	// ---- rules ----
	huma.Register(api, reg("rules", http.MethodGet, "/rules", "自动检查规则及命中情况", 0), func(ctx context.Context, _ *struct{}) (*listOut[RuleView], error) {
		out := &listOut[RuleView]{}
		var err error
		out.Body.Items, err = s.ListRules(ctx)
		return out, err
	})
	huma.Register(api, reg("rule-hits", http.MethodGet, "/rule-hits", "规则命中的案件", 0), func(ctx context.Context, in *hitListIn) (*pagedOut[Hit], error) {
		p, err := s.ListHits(ctx, in.HitFilter, in.ListReq)
		return &pagedOut[Hit]{Body: p}, err
	})

	huma.Register(api, reg("figures", http.MethodGet, "/figures", "行政执法指标（持证人员、案件、按期公示率、法制审核率、规则预警）", 0), func(ctx context.Context, in *metric.Query) (*listOut[metric.Figure], error) {
		out := &listOut[metric.Figure]{}
		var err error
		out.Body.Items, err = s.Figures(ctx, *in)
		return out, err
	})

	s.registerInclusiveRoutes(api, reg)
	s.registerInspectionRoutes(api, reg)

	// ---- provincial platform ----
	huma.Register(api, reg("tokens", http.MethodGet, "/platform-tokens", "省级执法平台接入令牌", 0), func(ctx context.Context, _ *struct{}) (*listOut[PlatformToken], error) {
		out := &listOut[PlatformToken]{}
		var err error
		out.Body.Items, err = s.ListTokens(ctx)
		return out, err
	})
	huma.Register(api, reg("token-create", http.MethodPost, "/platform-tokens", "创建接入令牌（只显示一次）", http.StatusCreated), func(ctx context.Context, in *tokenIn) (*tokenOut, error) {
		t, err := s.CreateToken(ctx, in.Body)
		return &tokenOut{Body: t}, err
	})
	huma.Register(api, reg("token-revoke", http.MethodPost, "/platform-tokens/{id}/revoke", "停用接入令牌", http.StatusNoContent), func(ctx context.Context, in *idPath) (*emptyOut, error) {
		return &emptyOut{}, s.RevokeToken(ctx, in.ID)
	})
	huma.Register(api, reg("platform-push", http.MethodPost, "/platform/cases", "省级执法平台推送案件（按平台案件编号幂等）", 0), func(ctx context.Context, in *pushIn) (*pushOut, error) {
		rep, err := s.Push(ctx, in.Authorization, in.Body.Cases)
		return &pushOut{Body: rep}, err
	})
}
