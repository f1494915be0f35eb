package decision

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"fazhi/internal/metric"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Handlers: decode → Service → encode. No rules here.

type IDPath struct {
	ID int64 `path:"id"`
}

type PageQuery struct {
	Page     int `query:"page"`
	PageSize int `query:"page_size"`
}

func (p PageQuery) page() db.Page { return db.Page{Page: p.Page, Size: p.PageSize} }

// PageOf is a list response.
type PageOf[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

type bodyOut[T any] struct{ Body T }

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func attachment(name, ascii string) string { return files.ContentDisposition(name, ascii) }

const tag = "重大行政决策"

func op(id, method, path, summary string) huma.Operation {
	return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Tags: []string{tag}}
}

func out[T any](v T, err error) (*bodyOut[T], error) {
	if err != nil {
		return nil, err
	}
	return &bodyOut[T]{Body: v}, nil
}

type addrKey struct{}

// clientAddress puts the client address into the context for the public
// comment rate limit.
func clientAddress(ctx huma.Context, next func(huma.Context)) {
	addr := ctx.RemoteAddr()
	if r, _ := humago.Unwrap(ctx); r != nil {
		addr = httpx.ClientIP(r)
	}
	next(huma.WithValue(ctx, addrKey{}, addr))
}

// Register declares the module's routes.
func (s *Service) Register(api huma.API) {
	// ---- categories ----
	huma.Register(api, op("decision-categories", http.MethodGet, "/api/decision-categories", "决策事项目录类别"),
		func(ctx context.Context, in *struct {
			Active bool `query:"active"`
		}) (*bodyOut[[]Category], error) {
			return out(s.ListCategories(ctx, in.Active))
		})
	huma.Register(api, op("decision-category-create", http.MethodPost, "/api/decision-categories", "新增目录类别"),
		func(ctx context.Context, in *struct{ Body CategoryInput }) (*bodyOut[*Category], error) {
			return out(s.SaveCategory(ctx, 0, in.Body))
		})
	huma.Register(api, op("decision-category-update", http.MethodPut, "/api/decision-categories/{id}", "修改目录类别"),
		func(ctx context.Context, in *struct {
			IDPath
			Body CategoryInput
		}) (*bodyOut[*Category], error) {
			return out(s.SaveCategory(ctx, in.ID, in.Body))
		})

	// ---- catalogues ----
	huma.Register(api, op("decision-catalogues", http.MethodGet, "/api/decision-catalogues", "决策事项目录列表"),
		func(ctx context.Context, in *struct {
			PageQuery
			Year   int    `query:"year"`
			Status string `query:"status"`
		}) (*bodyOut[PageOf[Catalogue]], error) {
			items, total, err := s.ListCatalogues(ctx, in.Year, in.Status, in.page())
			return out(PageOf[Catalogue]{Items: items, Total: total}, err)
		})
	huma.Register(api, op("decision-catalogue-create", http.MethodPost, "/api/decision-catalogues", "新建年度决策事项目录"),
		func(ctx context.Context, in *struct{ Body CatalogueInput }) (*bodyOut[*Catalogue], error) {
			return out(s.CreateCatalogue(ctx, in.Body))
		})
	huma.Register(api, op("decision-catalogue-get", http.MethodGet, "/api/decision-catalogues/{id}", "决策事项目录详情"),
		func(ctx context.Context, in *IDPath) (*bodyOut[*Catalogue], error) {
			return out(s.GetCatalogue(ctx, in.ID))
		})
	huma.Register(api, op("decision-catalogue-item-create", http.MethodPost, "/api/decision-catalogues/{id}/items", "目录增加事项"),
		func(ctx context.Context, in *struct {
			IDPath
			Body ItemInput
		}) (*bodyOut[*Catalogue], error) {
			return out(s.AddItem(ctx, in.ID, in.Body))
		})
	huma.Register(api, op("decision-catalogue-item-update", http.MethodPut, "/api/decision-catalogue-items/{id}", "修改目录事项"),
		func(ctx context.Context, in *struct {
			IDPath
			Body ItemInput
		}) (*bodyOut[*Catalogue], error) {
			return out(s.UpdateItem(ctx, in.ID, in.Body))
		})
	huma.Register(api, op("decision-catalogue-item-delete", http.MethodDelete, "/api/decision-catalogue-items/{id}", "删除目录事项"),
		func(ctx context.Context, in *struct {
			IDPath
			CatalogueVersion int `query:"catalogue_version"`
			Version          int `query:"version"`
		}) (*bodyOut[*Catalogue], error) {
			return out(s.DeleteItem(ctx, in.ID, in.CatalogueVersion, in.Version))
		})
	huma.Register(api, op("decision-catalogue-approve", http.MethodPost, "/api/decision-catalogues/{id}/approve", "审定目录（登记党委同意）"),
		func(ctx context.Context, in *struct {
			IDPath
			Body ApproveInput
		}) (*bodyOut[*Catalogue], error) {
			return out(s.ApproveCatalogue(ctx, in.ID, in.Body))
		})
	huma.Register(api, op("decision-catalogue-publish", http.MethodPost, "/api/decision-catalogues/{id}/publish", "公布目录"),
		func(ctx context.Context, in *struct {
			IDPath
			Body PublishInput
		}) (*bodyOut[*Catalogue], error) {
			return out(s.PublishCatalogue(ctx, in.ID, in.Body))
		})

	// ---- experts ----
	huma.Register(api, op("decision-experts", http.MethodGet, "/api/decision-experts", "决策咨询专家库"),
		func(ctx context.Context, in *struct {
			PageQuery
			Q    string `query:"q"`
			Kind string `query:"kind" enum:"expert,org," doc:"expert 专家；org 评估机构；空为全部"`
		}) (*bodyOut[PageOf[Expert]], error) {
			items, total, err := s.ListExperts(ctx, in.Q, in.Kind, in.page())
			return out(PageOf[Expert]{Items: items, Total: total}, err)
		})
	huma.Register(api, op("decision-expert-create", http.MethodPost, "/api/decision-experts", "新增专家"),
		func(ctx context.Context, in *struct{ Body ExpertInput }) (*bodyOut[*Expert], error) {
			return out(s.SaveExpert(ctx, 0, in.Body))
		})
	huma.Register(api, op("decision-expert-update", http.MethodPut, "/api/decision-experts/{id}", "修改专家"),
		func(ctx context.Context, in *struct {
			IDPath
			Body ExpertInput
		}) (*bodyOut[*Expert], error) {
			return out(s.SaveExpert(ctx, in.ID, in.Body))
		})

	// ---- decisions ----
	huma.Register(api, op("decision-procedure", http.MethodGet, "/api/decisions/procedure", "决策程序步骤表"),
		func(ctx context.Context, _ *struct{}) (*bodyOut[[]StepDef], error) {
			return out(s.Procedure(ctx))
		})
	huma.Register(api, op("decision-figures", http.MethodGet, "/api/decisions/figures", "重大行政决策指标"),
		func(ctx context.Context, in *metric.Query) (*bodyOut[[]metric.Figure], error) {
			return out(s.Figures(ctx, *in))
		})
	huma.Register(api, op("decisions", http.MethodGet, "/api/decisions", "重大行政决策列表"),
		func(ctx context.Context, in *struct {
			db.ListReq
			ListQuery
		}) (*bodyOut[db.Paged[Decision]], error) {
			return out(s.List(ctx, in.ListQuery, in.ListReq))
		})
	huma.Register(api, op("decisions-export", http.MethodGet, "/api/decisions/export.xlsx", "导出重大行政决策台账"),
		func(ctx context.Context, in *ListQuery) (*huma.StreamResponse, error) {
			return httpx.StreamDownload(httpx.XLSX, attachment("重大行政决策台账.xlsx", "major-decisions-ledger.xlsx"), func(w io.Writer) error {
				return s.ExportTo(ctx, w, *in)
			}), nil
		})
	huma.Register(api, op("decision-start", http.MethodPost, "/api/decisions", "决策启动"),
		func(ctx context.Context, in *struct{ Body StartInput }) (*bodyOut[*Detail], error) {
			return out(s.Start(ctx, in.Body))
		})
	huma.Register(api, op("decision-get", http.MethodGet, "/api/decisions/{id}", "决策详情（含程序时间轴）"),
		func(ctx context.Context, in *IDPath) (*bodyOut[*Detail], error) {
			return out(s.Detail(ctx, in.ID))
		})
	huma.Register(api, op("decision-archive-zip", http.MethodGet, "/api/decisions/{id}/archive.zip", "下载决策档案（ZIP）"),
		func(ctx context.Context, in *IDPath) (*fileOut, error) {
			b, name, err := s.ArchivePackage(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &fileOut{ContentType: "application/zip", ContentDisposition: attachment(name, fmt.Sprintf("decision-archive-%d.zip", in.ID)), Body: b}, nil
		})
	huma.Register(api, op("decision-comments", http.MethodGet, "/api/decisions/{id}/comments", "公众意见（内部）"),
		func(ctx context.Context, in *struct {
			IDPath
			PageQuery
		}) (*bodyOut[PageOf[Comment]], error) {
			items, total, err := s.ListComments(ctx, in.ID, in.page())
			return out(PageOf[Comment]{Items: items, Total: total}, err)
		})
	huma.Register(api, op("decision-comment-answer", http.MethodPut, "/api/decisions/{id}/comments/{comment_id}", "处理公众意见"),
		func(ctx context.Context, in *struct {
			IDPath
			CommentID int64 `path:"comment_id"`
			Body      AnswerInput
		}) (*struct{}, error) {
			return nil, s.AnswerComment(ctx, in.ID, in.CommentID, in.Body)
		})

	registerStep(api, "decision-draft", "/draft", "拟订决策草案", s.RecordDraft)
	registerStep(api, "decision-consultation-open", "/consultation", "公开征求意见", s.OpenConsultation)
	registerStep(api, "decision-consultation-close", "/consultation/close", "结束征求意见并反馈", s.CloseConsultation)
	registerStep(api, "decision-skip", "/skip", "标记步骤无需进行", s.Skip)
	registerStep(api, "decision-expert-opinion", "/expert-opinions", "登记专家论证意见", s.AddOpinion)
	registerStep(api, "decision-expert-complete", "/expert/complete", "完成专家论证", s.CompleteExpert)
	registerStep(api, "decision-risk", "/risk", "风险评估", s.RecordRisk)
	registerStep(api, "decision-legal-review", "/legal-review", "送请合法性审查", s.SubmitLegalReview)
	registerStep(api, "decision-legal-review-refresh", "/legal-review/refresh", "更新合法性审查结论", s.RefreshLegalReview)
	registerStep(api, "decision-collective", "/collective", "集体讨论决定", s.RecordCollective)
	registerStep(api, "decision-party-report", "/party-report", "党委请示报告", s.RecordPartyReport)
	registerStep(api, "decision-publish", "/publication", "决策公布", s.Publish)
	registerStep(api, "decision-implementation", "/implementation", "明确执行单位", s.RecordImplementation)
	registerStep(api, "decision-progress", "/progress", "执行情况报告", s.AddProgress)
	registerStep(api, "decision-evaluation", "/evaluation", "决策后评估", s.RecordEvaluation)
	registerStep(api, "decision-archive", "/archive", "立卷归档", s.Archive)
	registerStep(api, "decision-evidence", "/evidence", "归入佐证材料", s.AttachEvidence)
	registerStep(api, "decision-correction", "/corrections", "登记上级机关纠错", s.AddCorrection)

	// ---- public portal (no login) ----
	pub := func(id, method, path, summary string) huma.Operation {
		o := op(id, method, path, summary)
		o.Tags = []string{"公众参与"}
		return o
	}
	huma.Register(api, pub("public-decisions", http.MethodGet, "/api/public/decisions", "公开征求意见的重大行政决策"),
		func(ctx context.Context, in *struct {
			PageQuery
			Kind string `query:"kind" enum:"consultation,open,published," doc:"consultation 征求意见（默认）、open 正在征求、published 已公布"`
		}) (*bodyOut[PageOf[PublicDecision]], error) {
			items, total, err := s.PublicList(ctx, in.Kind, in.page())
			return out(PageOf[PublicDecision]{Items: items, Total: total}, err)
		})
	huma.Register(api, pub("public-decision-get", http.MethodGet, "/api/public/decisions/{id}", "公开征求意见详情"),
		func(ctx context.Context, in *IDPath) (*bodyOut[*PublicDecision], error) {
			return out(s.PublicGet(ctx, in.ID))
		})
	o := pub("public-decision-comment", http.MethodPost, "/api/public/decisions/{id}/comments", "提交意见建议")
	o.Middlewares = huma.Middlewares{clientAddress}
	o.DefaultStatus = http.StatusCreated
	huma.Register(api, o, func(ctx context.Context, in *struct {
		IDPath
		Body CommentInput
	}) (*struct{}, error) {
		addr, _ := ctx.Value(addrKey{}).(string)
		return nil, s.PublicComment(ctx, in.ID, in.Body, addr)
	})
}

// registerStep declares POST /api/decisions/{id}<suffix> for one step.
func registerStep[T any](api huma.API, id, suffix, summary string, fn func(ctx context.Context, id int64, in T) (*Detail, error)) {
	huma.Register(api, op(id, http.MethodPost, "/api/decisions/{id}"+suffix, summary),
		func(ctx context.Context, in *struct {
			IDPath
			Body T
		}) (*bodyOut[*Detail], error) {
			return out(fn(ctx, in.ID, in.Body))
		})
}
