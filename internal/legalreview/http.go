package legalreview

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
)

// List is a page of records.
type listInput struct {
	Filter
	db.ListReq
}

type listOutput struct{ Body db.Paged[Review] }
type reviewOutput struct{ Body *Review }
type idInput struct {
	ID int64 `path:"id"`
}

// CreateInput is a request made through the API.
type CreateInput struct {
	OpenInput
	Checks []CheckInput `json:"checks,omitempty" doc:"涉企政策措施的公平竞争审查自查表"`
}

type createInput struct{ Body CreateInput }
type actInput struct {
	ID   int64 `path:"id"`
	Body ActInput
}
type withdrawInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Reason  string `json:"reason"`
		Version int64  `json:"version"`
	}
}
type concludeInput struct {
	ID   int64 `path:"id"`
	Body ConcludeInput
}
type adoptInput struct {
	ID   int64 `path:"id"`
	Body AdoptInput
}
type timelineOutput struct{ Body []TimelineEntry }
type tasksOutput struct{ Body []Task }
type figuresOutput struct{ Body []metric.Figure }
type statsOutput struct{ Body *Stats }
type previewOutput struct{ Body *DeadlinePreview }
type outcomeInput struct {
	SubjectType string `query:"subject_type"`
	SubjectID   int64  `query:"subject_id"`
}
type outcomeOutput struct{ Body Outcome }
type standardsInput struct {
	Active bool `query:"active" doc:"只列出启用的标准"`
}
type standardsOutput struct{ Body []Standard }
type standardOutput struct{ Body *Standard }
type standardCreateInput struct{ Body StandardInput }
type standardUpdateInput struct {
	ID   int64 `path:"id"`
	Body StandardInput
}
type chainsOutput struct{ Body []Chain }
type chainOutput struct{ Body *Chain }
type chainCreateInput struct{ Body ChainInput }
type chainUpdateInput struct {
	ID   int64 `path:"id"`
	Body ChainInput
}

type fileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func attachment(name, ascii, contentType string, b []byte) *fileOutput {
	return &fileOutput{
		ContentType:        contentType,
		ContentDisposition: files.ContentDisposition(name, ascii),
		Body:               b,
	}
}

// Register declares the module's routes.
func (s *Service) Register(api huma.API) {
	tags := []string{"合法性审查"}
	huma.Register(api, huma.Operation{OperationID: "legalreviews-list", Method: http.MethodGet, Path: "/api/legalreviews", Summary: "合法性审查台账", Tags: tags},
		func(ctx context.Context, in *listInput) (*listOutput, error) {
			p, err := s.List(ctx, in.Filter, in.ListReq)
			if err != nil {
				return nil, err
			}
			return &listOutput{Body: p}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-export", Method: http.MethodGet, Path: "/api/legalreviews/export.xlsx", Summary: "导出合法性审查台账", Tags: tags},
		func(ctx context.Context, in *listInput) (*huma.StreamResponse, error) {
			return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("合法性审查台账.xlsx", "legal-reviews-ledger.xlsx"), func(w io.Writer) error {
				return s.ExportTo(ctx, w, in.Filter)
			}), nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-create", Method: http.MethodPost, Path: "/api/legalreviews", Summary: "提交合法性审查", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createInput) (*reviewOutput, error) {
			r, err := s.Submit(ctx, in.Body.OpenInput, in.Body.Checks)
			if err != nil {
				return nil, err
			}
			return &reviewOutput{Body: r}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-tasks", Method: http.MethodGet, Path: "/api/legalreviews/tasks", Summary: "我的审查待办", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*tasksOutput, error) {
			ts, err := s.Tasks(ctx)
			if err != nil {
				return nil, err
			}
			return &tasksOutput{Body: ts}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-figures", Method: http.MethodGet, Path: "/api/legalreviews/figures", Summary: "合法性审查指标（按时办结率、意见采纳率）", Tags: tags},
		func(ctx context.Context, in *metric.Query) (*figuresOutput, error) {
			fs, err := s.Figures(ctx, *in)
			if err != nil {
				return nil, err
			}
			return &figuresOutput{Body: fs}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-stats", Method: http.MethodGet, Path: "/api/legalreviews/stats", Summary: "合法性审查统计（按类型、按单位）", Tags: tags},
		func(ctx context.Context, in *metric.Query) (*statsOutput, error) {
			st, err := s.Statistics(ctx, *in)
			if err != nil {
				return nil, err
			}
			return &statsOutput{Body: st}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-preview", Method: http.MethodGet, Path: "/api/legalreviews/deadline-preview", Summary: "今日送审的最早完成日期和审查时限", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*previewOutput, error) {
			p, err := s.Preview(ctx)
			if err != nil {
				return nil, err
			}
			return &previewOutput{Body: p}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-outcome", Method: http.MethodGet, Path: "/api/legalreviews/outcome", Summary: "关联事项的最新审查结果", Tags: tags},
		func(ctx context.Context, in *outcomeInput) (*outcomeOutput, error) {
			o, err := s.ReadOutcome(ctx, in.SubjectType, in.SubjectID)
			if err != nil {
				return nil, err
			}
			return &outcomeOutput{Body: o}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-get", Method: http.MethodGet, Path: "/api/legalreviews/{id}", Summary: "合法性审查详情", Tags: tags},
		func(ctx context.Context, in *idInput) (*reviewOutput, error) {
			r, err := s.Get(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &reviewOutput{Body: r}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-timeline", Method: http.MethodGet, Path: "/api/legalreviews/{id}/timeline", Summary: "审查流程时间线", Tags: tags},
		func(ctx context.Context, in *idInput) (*timelineOutput, error) {
			t, err := s.Timeline(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &timelineOutput{Body: t}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-act", Method: http.MethodPost, Path: "/api/legalreviews/{id}/act", Summary: "办理审查任务（同意、退回、转办、加签）", Tags: tags},
		func(ctx context.Context, in *actInput) (*reviewOutput, error) {
			r, err := s.Act(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &reviewOutput{Body: r}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-withdraw", Method: http.MethodPost, Path: "/api/legalreviews/{id}/withdraw", Summary: "撤回审查申请", Tags: tags},
		func(ctx context.Context, in *withdrawInput) (*reviewOutput, error) {
			r, err := s.Withdraw(ctx, in.ID, in.Body.Version, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &reviewOutput{Body: r}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-conclude", Method: http.MethodPost, Path: "/api/legalreviews/{id}/conclude", Summary: "出具审查结论和法律审查意见书", Tags: tags},
		func(ctx context.Context, in *concludeInput) (*reviewOutput, error) {
			r, err := s.Conclude(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &reviewOutput{Body: r}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-adopt", Method: http.MethodPost, Path: "/api/legalreviews/{id}/adoption", Summary: "反馈审查意见采纳情况", Tags: tags},
		func(ctx context.Context, in *adoptInput) (*reviewOutput, error) {
			r, err := s.Adopt(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &reviewOutput{Body: r}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-opinion-docx", Method: http.MethodGet, Path: "/api/legalreviews/{id}/opinion.docx", Summary: "下载法律审查意见书（Word）", Tags: tags},
		func(ctx context.Context, in *idInput) (*fileOutput, error) {
			b, name, err := s.Letter(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return attachment(name, fmt.Sprintf("legal-review-opinion-%d.docx", in.ID), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b), nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreviews-opinion-pdf", Method: http.MethodGet, Path: "/api/legalreviews/{id}/opinion.pdf", Summary: "下载法律审查意见书（PDF）", Tags: tags},
		func(ctx context.Context, in *idInput) (*fileOutput, error) {
			b, name, err := s.LetterPDF(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return attachment(name, fmt.Sprintf("legal-review-opinion-%d.pdf", in.ID), "application/pdf", b), nil
		})

	cfgTags := []string{"合法性审查配置"}
	huma.Register(api, huma.Operation{OperationID: "legalreview-standards-list", Method: http.MethodGet, Path: "/api/legalreview-standards", Summary: "公平竞争审查标准", Tags: cfgTags},
		func(ctx context.Context, in *standardsInput) (*standardsOutput, error) {
			ss, err := s.Standards(ctx, in.Active)
			if err != nil {
				return nil, err
			}
			return &standardsOutput{Body: ss}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreview-standards-create", Method: http.MethodPost, Path: "/api/legalreview-standards", Summary: "新增公平竞争审查标准", Tags: cfgTags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *standardCreateInput) (*standardOutput, error) {
			st, err := s.CreateStandard(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &standardOutput{Body: st}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreview-standards-update", Method: http.MethodPut, Path: "/api/legalreview-standards/{id}", Summary: "修改公平竞争审查标准", Tags: cfgTags},
		func(ctx context.Context, in *standardUpdateInput) (*standardOutput, error) {
			st, err := s.UpdateStandard(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &standardOutput{Body: st}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreview-chains-list", Method: http.MethodGet, Path: "/api/legalreview-chains", Summary: "合法性审查流程", Tags: cfgTags},
		func(ctx context.Context, _ *struct{}) (*chainsOutput, error) {
			cs, err := s.Chains(ctx)
			if err != nil {
				return nil, err
			}
			return &chainsOutput{Body: cs}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreview-chains-create", Method: http.MethodPost, Path: "/api/legalreview-chains", Summary: "新增合法性审查流程", Tags: cfgTags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *chainCreateInput) (*chainOutput, error) {
			c, err := s.CreateChain(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &chainOutput{Body: c}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "legalreview-chains-update", Method: http.MethodPut, Path: "/api/legalreview-chains/{id}", Summary: "修改合法性审查流程", Tags: cfgTags},
		func(ctx context.Context, in *chainUpdateInput) (*chainOutput, error) {
			c, err := s.UpdateChain(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &chainOutput{Body: c}, nil
		})
}
