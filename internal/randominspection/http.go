package randominspection

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

type idPath struct {
	ID int64 `path:"id"`
}

type listOut[T any] struct {
	Body struct {
		Items []T `json:"items"`
	}
}

type pagedOut[T any] struct{ Body db.Paged[T] }
type emptyOut struct{}

type matterListIn struct {
	BodyID int64 `query:"body_id" doc:"执法主体"`
}
type matterOut struct{ Body *Matter }
type matterIn struct{ Body MatterInput }
type matterUpdateIn struct {
	ID   int64 `path:"id"`
	Body MatterInput
}

type planListIn struct {
	PlanFilter
	db.ListReq
}
type planOut struct{ Body *Plan }
type planIn struct{ Body PlanInput }
type planUpdateIn struct {
	ID   int64 `path:"id"`
	Body PlanInput
}
type planStepIn struct {
	ID   int64 `path:"id"`
	Body VersionInput
}
type poolOut struct{ Body *Pool }
type inspectorsIn struct {
	ID   int64 `path:"id"`
	Body InspectorsInput
}
type inspectorPath struct {
	ID        int64 `path:"id"`
	OfficerID int64 `path:"officer_id"`
}
type relationIn struct {
	ID   int64 `path:"id"`
	Body RelationInput
}
type importIn struct {
	ID      int64  `path:"id"`
	Mode    string `query:"mode" enum:"check,all," doc:"check 只检查；all（默认）全部无误才导入"`
	RawBody []byte
}
type importOut struct{ Body *ImportReport }

type checkListIn struct {
	CheckFilter
	db.ListReq
}
type checkOut struct{ Body *Check }
type resultIn struct {
	ID   int64 `path:"id"`
	Body ResultInput
}
type publishIn struct {
	ID   int64 `path:"id"`
	Body PublishInput
}

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type publicFileIn struct {
	ID   int64  `path:"id"`
	Name string `path:"name" enum:"snapshot.json,commitment.json,reveal.json,result.json"`
}

// RegisterRoutes declares the module's routes under /api/random-inspections
// and the public ones under /api/public/random-inspections.
func (s *Service) RegisterRoutes(api huma.API) {
	tag := []string{"双随机抽查"}
	reg := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: "randominspection-" + id, Method: method, Path: "/api/random-inspections" + path, Summary: summary, Tags: tag, DefaultStatus: status}
	}

	// ---- matters ----
	huma.Register(api, reg("matters", http.MethodGet, "/matters", "随机抽查事项清单", 0), func(ctx context.Context, in *matterListIn) (*listOut[Matter], error) {
		out := &listOut[Matter]{}
		var err error
		out.Body.Items, err = s.ListMatters(ctx, in.BodyID)
		return out, err
	})
	huma.Register(api, reg("matter-create", http.MethodPost, "/matters", "新增随机抽查事项", http.StatusCreated), func(ctx context.Context, in *matterIn) (*matterOut, error) {
		m, err := s.CreateMatter(ctx, in.Body)
		return &matterOut{Body: m}, err
	})
	huma.Register(api, reg("matter-update", http.MethodPut, "/matters/{id}", "修改随机抽查事项", 0), func(ctx context.Context, in *matterUpdateIn) (*matterOut, error) {
		m, err := s.UpdateMatter(ctx, in.ID, in.Body)
		return &matterOut{Body: m}, err
	})

	// ---- plans ----
	huma.Register(api, reg("plans", http.MethodGet, "/plans", "双随机抽查计划", 0), func(ctx context.Context, in *planListIn) (*pagedOut[Plan], error) {
		p, err := s.ListPlans(ctx, in.PlanFilter, in.ListReq)
		return &pagedOut[Plan]{Body: p}, err
	})
	huma.Register(api, reg("plans-export", http.MethodGet, "/plans/export.xlsx", "导出抽查计划台账（Excel）", 0), func(ctx context.Context, in *planListIn) (*huma.StreamResponse, error) {
		if _, err := auth.Require(ctx, PermRead); err != nil {
			return nil, err
		}
		return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("双随机抽查计划台账.xlsx", "random-inspection-plans.xlsx"), func(w io.Writer) error {
			return s.ExportPlans(ctx, w, in.PlanFilter)
		}), nil
	})
	huma.Register(api, reg("plan-create", http.MethodPost, "/plans", "新建抽查计划", http.StatusCreated), func(ctx context.Context, in *planIn) (*planOut, error) {
		p, err := s.CreatePlan(ctx, in.Body)
		return &planOut{Body: p}, err
	})
	huma.Register(api, reg("plan-get", http.MethodGet, "/plans/{id}", "抽查计划详情", 0), func(ctx context.Context, in *idPath) (*planOut, error) {
		p, err := s.GetPlan(ctx, in.ID)
		return &planOut{Body: p}, err
	})
	huma.Register(api, reg("plan-update", http.MethodPut, "/plans/{id}", "修改抽查计划（公布名录承诺前）", 0), func(ctx context.Context, in *planUpdateIn) (*planOut, error) {
		p, err := s.UpdatePlan(ctx, in.ID, in.Body)
		return &planOut{Body: p}, err
	})
	huma.Register(api, reg("plan-pool", http.MethodGet, "/plans/{id}/pool", "检查对象名录、检查人员名录与回避关系", 0), func(ctx context.Context, in *idPath) (*poolOut, error) {
		p, err := s.GetPool(ctx, in.ID)
		return &poolOut{Body: p}, err
	})
	huma.Register(api, reg("entity-template", http.MethodGet, "/entity-template.xlsx", "下载检查对象名录导入模板", 0), func(ctx context.Context, _ *struct{}) (*fileOut, error) {
		if _, err := auth.Require(ctx, PermRead); err != nil {
			return nil, err
		}
		b, err := EntityTemplate()
		return &fileOut{ContentType: httpx.XLSX, ContentDisposition: files.ContentDisposition("检查对象名录导入模板.xlsx", "random-inspection-entities.xlsx"), Body: b}, err
	})
	huma.Register(api, huma.Operation{OperationID: "randominspection-entities-import", Method: http.MethodPost, Path: "/api/random-inspections/plans/{id}/entities/import",
		Summary: "导入检查对象名录（Excel）", Tags: tag, MaxBodyBytes: xl.MaxFile,
		RequestBody: &huma.RequestBody{Content: map[string]*huma.MediaType{httpx.XLSX: {}}}},
		func(ctx context.Context, in *importIn) (*importOut, error) {
			rep, err := s.ImportEntities(ctx, in.ID, in.RawBody, in.Mode == "check")
			return &importOut{Body: rep}, err
		})
	huma.Register(api, reg("entities-clear", http.MethodDelete, "/plans/{id}/entities", "清空检查对象名录", http.StatusNoContent), func(ctx context.Context, in *idPath) (*emptyOut, error) {
		return &emptyOut{}, s.ClearEntities(ctx, in.ID)
	})
	huma.Register(api, reg("inspectors-add", http.MethodPost, "/plans/{id}/inspectors", "加入检查人员（持有效执法证）", 0), func(ctx context.Context, in *inspectorsIn) (*poolOut, error) {
		p, err := s.AddInspectors(ctx, in.ID, in.Body)
		return &poolOut{Body: p}, err
	})
	huma.Register(api, reg("inspector-remove", http.MethodDelete, "/plans/{id}/inspectors/{officer_id}", "移出检查人员", http.StatusNoContent), func(ctx context.Context, in *inspectorPath) (*emptyOut, error) {
		return &emptyOut{}, s.RemoveInspector(ctx, in.ID, in.OfficerID)
	})
	huma.Register(api, reg("relation-add", http.MethodPost, "/plans/{id}/relations", "登记回避关系", 0), func(ctx context.Context, in *relationIn) (*poolOut, error) {
		p, err := s.AddRelation(ctx, in.ID, in.Body)
		return &poolOut{Body: p}, err
	})
	huma.Register(api, reg("plan-commit", http.MethodPost, "/plans/{id}/commit", "冻结名录并公布快照哈希与种子承诺值", 0), func(ctx context.Context, in *planStepIn) (*planOut, error) {
		p, err := s.Commit(ctx, in.ID, in.Body)
		return &planOut{Body: p}, err
	})
	huma.Register(api, reg("plan-draw", http.MethodPost, "/plans/{id}/draw", "公开种子并抽取", 0), func(ctx context.Context, in *planStepIn) (*planOut, error) {
		p, err := s.Draw(ctx, in.ID, in.Body)
		return &planOut{Body: p}, err
	})

	// ---- checks ----
	huma.Register(api, reg("checks", http.MethodGet, "/checks", "抽查结果台账", 0), func(ctx context.Context, in *checkListIn) (*pagedOut[Check], error) {
		p, err := s.ListChecks(ctx, in.CheckFilter, in.ListReq)
		return &pagedOut[Check]{Body: p}, err
	})
	huma.Register(api, reg("checks-export", http.MethodGet, "/checks/export.xlsx", "导出抽查结果台账（Excel）", 0), func(ctx context.Context, in *checkListIn) (*huma.StreamResponse, error) {
		if _, _, err := s.checkSQL(ctx, in.CheckFilter); err != nil {
			return nil, err
		}
		return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("双随机抽查结果台账.xlsx", "random-inspection-checks.xlsx"), func(w io.Writer) error {
			return s.ExportChecks(ctx, w, in.CheckFilter)
		}), nil
	})
	huma.Register(api, reg("check-get", http.MethodGet, "/checks/{id}", "抽查记录详情", 0), func(ctx context.Context, in *idPath) (*checkOut, error) {
		c, err := s.GetCheck(ctx, in.ID)
		return &checkOut{Body: c}, err
	})
	huma.Register(api, reg("check-result", http.MethodPut, "/checks/{id}/result", "录入检查结果", 0), func(ctx context.Context, in *resultIn) (*checkOut, error) {
		c, err := s.RecordResult(ctx, in.ID, in.Body)
		return &checkOut{Body: c}, err
	})
	huma.Register(api, reg("check-publish", http.MethodPost, "/checks/{id}/publish", "登记结果公示", 0), func(ctx context.Context, in *publishIn) (*checkOut, error) {
		c, err := s.Publish(ctx, in.ID, in.Body)
		return &checkOut{Body: c}, err
	})
	huma.Register(api, reg("figures", http.MethodGet, "/figures", "双随机抽查指标（完成户数、按期公示率、问题发现率）", 0), func(ctx context.Context, in *metric.Query) (*listOut[metric.Figure], error) {
		out := &listOut[metric.Figure]{}
		var err error
		out.Body.Items, err = s.Figures(ctx, *in)
		return out, err
	})

	// ---- public (no sign-in) ----
	ptag := []string{"公开：双随机抽查"}
	pub := func(id, path, summary string) huma.Operation {
		return huma.Operation{OperationID: "public-randominspection-" + id, Method: http.MethodGet, Path: "/api/public/random-inspections" + path, Summary: summary, Tags: ptag}
	}
	huma.Register(api, pub("plans", "", "已公布的双随机抽查计划（名录承诺、种子与结果）"), func(ctx context.Context, in *db.ListReq) (*pagedOut[PublicPlan], error) {
		p, err := s.PublicPlans(ctx, *in)
		return &pagedOut[PublicPlan]{Body: p}, err
	})
	huma.Register(api, pub("plan", "/{id}", "已公布的抽查计划及抽取结果"), func(ctx context.Context, in *idPath) (*struct{ Body *PublicPlan }, error) {
		p, err := s.PublicPlan(ctx, in.ID)
		return &struct{ Body *PublicPlan }{Body: p}, err
	})
	huma.Register(api, pub("file", "/{id}/files/{name}", "下载公开文件（快照、承诺、种子、结果），供离线复核"), func(ctx context.Context, in *publicFileIn) (*fileOut, error) {
		b, err := s.PublicFile(ctx, in.ID, in.Name)
		if err != nil {
			return nil, err
		}
		return &fileOut{ContentType: "application/json", ContentDisposition: files.ContentDisposition(in.Name, in.Name), Body: b}, nil
	})
}
