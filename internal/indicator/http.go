package indicator

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"
	xl "fazhi/internal/platform/xlsx"

	"github.com/danielgtaylor/huma/v2"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Meta lists the module's code tables.
type Meta struct {
	Kinds            []Option `json:"kinds"`
	Methods          []Option `json:"methods"`
	Statuses         []Option `json:"statuses"`
	CampaignStatuses []Option `json:"campaign_statuses"`
	Actions          []Option `json:"actions"`
}

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type listInput struct {
	AssignmentFilter
	db.ListReq
}

type idIn struct {
	ID int64 `path:"id"`
}

type versionIn struct {
	ID   int64 `path:"id"`
	Body struct {
		Version int64 `json:"version"`
	}
}

type assignmentOut struct{ Body *AssignmentDetail }
type campaignOut struct{ Body *CampaignDetail }
type frameworkOut struct{ Body *FrameworkDetail }

func stream(name, ascii, ctype string, check func() error, write func(ctx context.Context, w io.Writer) error) (*huma.StreamResponse, error) {
	if err := check(); err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		httpx.Download(hc, ctype, files.ContentDisposition(name, ascii), func(w io.Writer) error { return write(hc.Context(), w) })
	}}, nil
}

// RegisterRoutes declares the module's routes.
func (s *Service) RegisterRoutes(api huma.API) {
	tags := []string{"示范创建指标"}
	reg := func(op huma.Operation) huma.Operation { op.Tags = tags; return op }
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorMeta", Method: http.MethodGet, Path: "/api/indicator/meta", Summary: "示范创建代码表"}),
		func(ctx context.Context, _ *struct{}) (*struct{ Body Meta }, error) {
			if _, err := auth.Require(ctx, PermRead); err != nil {
				return nil, err
			}
			return &struct{ Body Meta }{Body: Meta{Kinds: Kinds, Methods: Methods, Statuses: Statuses, CampaignStatuses: CampaignStatuses, Actions: Actions}}, nil
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorFigureCatalogue", Method: http.MethodGet, Path: "/api/indicator/figures", Summary: "可绑定的数据指标"}),
		func(ctx context.Context, _ *struct{}) (*struct{ Body []FigureRef }, error) {
			f, err := s.FigureCatalogue(ctx)
			return &struct{ Body []FigureRef }{Body: f}, err
		})
	// Frameworks.
	huma.Register(api, reg(huma.Operation{OperationID: "listIndicatorFrameworks", Method: http.MethodGet, Path: "/api/indicator/frameworks", Summary: "指标体系列表"}),
		func(ctx context.Context, _ *struct{}) (*struct{ Body []Framework }, error) {
			f, err := s.Frameworks(ctx)
			return &struct{ Body []Framework }{Body: f}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "getIndicatorFramework", Method: http.MethodGet, Path: "/api/indicator/frameworks/{id}", Summary: "指标体系详情"}),
		func(ctx context.Context, in *idIn) (*frameworkOut, error) {
			f, err := s.Framework(ctx, in.ID)
			return &frameworkOut{Body: f}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "updateIndicatorItem", Method: http.MethodPut, Path: "/api/indicator/frameworks/{id}/items/{item}", Summary: "修改指标（已用于测评的体系生成新版本）"}),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Item int64 `path:"item"`
			Body ItemInput
		}) (*frameworkOut, error) {
			f, err := s.UpdateItem(ctx, in.ID, in.Item, in.Body)
			return &frameworkOut{Body: f}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "exportIndicatorFramework", Method: http.MethodGet, Path: "/api/indicator/frameworks/{id}/export.xlsx", Summary: "导出指标体系（Excel）"}),
		func(ctx context.Context, in *idIn) (*huma.StreamResponse, error) {
			return stream("指标体系.xlsx", fmt.Sprintf("indicator-framework-%d.xlsx", in.ID), xlsxType,
				func() error { _, err := s.Framework(ctx, in.ID); return err },
				func(ctx context.Context, w io.Writer) error { return s.ExportFramework(ctx, w, in.ID) })
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorFrameworkTemplate", Method: http.MethodGet, Path: "/api/indicator/frameworks/template.xlsx", Summary: "指标体系导入模板"}),
		func(ctx context.Context, _ *struct{}) (*fileOut, error) {
			b, err := s.FrameworkTemplate(ctx)
			if err != nil {
				return nil, err
			}
			return &fileOut{ContentType: xlsxType, ContentDisposition: files.ContentDisposition("指标体系导入模板.xlsx", "indicator-template.xlsx"), Body: b}, nil
		})
	huma.Register(api, reg(huma.Operation{OperationID: "importIndicatorFramework", Method: http.MethodPost, Path: "/api/indicator/frameworks/import", Summary: "导入指标体系（Excel）",
		MaxBodyBytes: xl.MaxFile}),
		func(ctx context.Context, in *struct {
			ImportInput
			RawBody []byte
		}) (*struct{ Body *ImportReport }, error) {
			rep, err := s.ImportFramework(ctx, in.ImportInput, in.RawBody)
			return &struct{ Body *ImportReport }{Body: rep}, err
		})
	// Campaigns.
	huma.Register(api, reg(huma.Operation{OperationID: "listIndicatorCampaigns", Method: http.MethodGet, Path: "/api/indicator/campaigns", Summary: "测评列表"}),
		func(ctx context.Context, _ *struct{}) (*struct{ Body []Campaign }, error) {
			c, err := s.Campaigns(ctx)
			return &struct{ Body []Campaign }{Body: c}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "createIndicatorCampaign", Method: http.MethodPost, Path: "/api/indicator/campaigns", Summary: "创建测评", DefaultStatus: http.StatusCreated}),
		func(ctx context.Context, in *struct{ Body CampaignInput }) (*campaignOut, error) {
			c, err := s.CreateCampaign(ctx, in.Body)
			return &campaignOut{Body: c}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "getIndicatorCampaign", Method: http.MethodGet, Path: "/api/indicator/campaigns/{id}", Summary: "测评详情（指标树与得分）"}),
		func(ctx context.Context, in *idIn) (*campaignOut, error) {
			c, err := s.Campaign(ctx, in.ID)
			return &campaignOut{Body: c}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorBreakdown", Method: http.MethodPost, Path: "/api/indicator/campaigns/{id}/breakdown", Summary: "任务分解"}),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body BreakdownInput
		}) (*campaignOut, error) {
			if _, err := s.Breakdown(ctx, in.ID, in.Body); err != nil {
				return nil, err
			}
			c, err := s.Campaign(ctx, in.ID)
			return &campaignOut{Body: c}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorRefreshFigures", Method: http.MethodPost, Path: "/api/indicator/campaigns/{id}/figures", Summary: "按实时数据计算绑定指标得分"}),
		func(ctx context.Context, in *idIn) (*campaignOut, error) {
			if err := s.RefreshFigures(ctx, in.ID); err != nil {
				return nil, err
			}
			c, err := s.Campaign(ctx, in.ID)
			return &campaignOut{Body: c}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "closeIndicatorCampaign", Method: http.MethodPost, Path: "/api/indicator/campaigns/{id}/close", Summary: "结束测评"}),
		func(ctx context.Context, in *versionIn) (*campaignOut, error) {
			c, err := s.CloseCampaign(ctx, in.ID, in.Body.Version)
			return &campaignOut{Body: c}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorBoard", Method: http.MethodGet, Path: "/api/indicator/campaigns/{id}/board", Summary: "进度看板与单位排名"}),
		func(ctx context.Context, in *idIn) (*struct{ Body *Board }, error) {
			b, err := s.Board(ctx, in.ID)
			return &struct{ Body *Board }{Body: b}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "exportIndicatorScoreSheet", Method: http.MethodGet, Path: "/api/indicator/campaigns/{id}/scores.xlsx", Summary: "导出评分表（Excel）"}),
		func(ctx context.Context, in *idIn) (*huma.StreamResponse, error) {
			return stream("评分表.xlsx", fmt.Sprintf("indicator-scores-%d.xlsx", in.ID), xlsxType, func() error { return s.checkCampaignReadable(ctx, in.ID) },
				func(ctx context.Context, w io.Writer) error { return s.ExportScoreSheet(ctx, w, in.ID) })
		})
	huma.Register(api, reg(huma.Operation{OperationID: "exportIndicatorEvidenceIndex", Method: http.MethodGet, Path: "/api/indicator/campaigns/{id}/evidence.xlsx", Summary: "导出佐证材料目录（Excel）"}),
		func(ctx context.Context, in *idIn) (*huma.StreamResponse, error) {
			return stream("佐证材料目录.xlsx", fmt.Sprintf("indicator-evidence-%d.xlsx", in.ID), xlsxType, func() error { return s.checkCampaignReadable(ctx, in.ID) },
				func(ctx context.Context, w io.Writer) error { return s.ExportEvidenceIndex(ctx, w, in.ID) })
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorEvidenceBundle", Method: http.MethodGet, Path: "/api/indicator/campaigns/{id}/bundle.zip", Summary: "佐证材料压缩包（按指标分目录）"}),
		func(ctx context.Context, in *idIn) (*huma.StreamResponse, error) {
			return stream("佐证材料.zip", fmt.Sprintf("indicator-evidence-%d.zip", in.ID), "application/zip", func() error { return s.checkCampaignReadable(ctx, in.ID) },
				func(ctx context.Context, w io.Writer) error { return s.WriteBundle(ctx, w, in.ID) })
		})
	// Assignments.
	huma.Register(api, reg(huma.Operation{OperationID: "listIndicatorAssignments", Method: http.MethodGet, Path: "/api/indicator/assignments", Summary: "指标任务列表（单位待办）"}),
		func(ctx context.Context, in *listInput) (*struct{ Body db.Paged[Assignment] }, error) {
			p, err := s.Assignments(ctx, in.AssignmentFilter, in.ListReq)
			return &struct{ Body db.Paged[Assignment] }{Body: p}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "getIndicatorAssignment", Method: http.MethodGet, Path: "/api/indicator/assignments/{id}", Summary: "指标任务详情"}),
		func(ctx context.Context, in *idIn) (*assignmentOut, error) {
			d, err := s.Assignment(ctx, in.ID)
			return &assignmentOut{Body: d}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorSelfAssess", Method: http.MethodPut, Path: "/api/indicator/assignments/{id}/self", Summary: "自评"}),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body SelfInput
		}) (*assignmentOut, error) {
			d, err := s.SelfAssess(ctx, in.ID, in.Body)
			return &assignmentOut{Body: d}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorAddEvidence", Method: http.MethodPost, Path: "/api/indicator/assignments/{id}/evidence", Summary: "上传佐证材料（请求体为文件内容）",
		MaxBodyBytes: files.DefaultMaxSize}),
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
			EvidenceInput
			RawBody []byte
		}) (*assignmentOut, error) {
			d, err := s.AddEvidence(ctx, in.ID, in.EvidenceInput, in.RawBody)
			return &assignmentOut{Body: d}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorReuseEvidence", Method: http.MethodPost, Path: "/api/indicator/assignments/{id}/reuse", Summary: "沿用往年佐证材料"}),
		func(ctx context.Context, in *versionIn) (*assignmentOut, error) {
			d, err := s.ReuseEvidence(ctx, in.ID, in.Body.Version)
			return &assignmentOut{Body: d}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorSubmit", Method: http.MethodPost, Path: "/api/indicator/assignments/{id}/submit", Summary: "提交复核"}),
		func(ctx context.Context, in *versionIn) (*assignmentOut, error) {
			d, err := s.Submit(ctx, in.ID, in.Body.Version)
			return &assignmentOut{Body: d}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorReview", Method: http.MethodPost, Path: "/api/indicator/assignments/{id}/review", Summary: "复核（通过定分或退回修改）"}),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body ReviewInput
		}) (*assignmentOut, error) {
			d, err := s.Review(ctx, in.ID, in.Body)
			return &assignmentOut{Body: d}, err
		})
	huma.Register(api, reg(huma.Operation{OperationID: "indicatorOverride", Method: http.MethodPost, Path: "/api/indicator/assignments/{id}/override", Summary: "人工调整得分（须填写理由）"}),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body OverrideInput
		}) (*assignmentOut, error) {
			d, err := s.Override(ctx, in.ID, in.Body)
			return &assignmentOut{Body: d}, err
		})
}
