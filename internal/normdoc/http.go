package normdoc

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

type issuerListInput struct {
	ActiveOnly bool `query:"active_only"`
}

type issuersOutput struct {
	Body struct {
		Items []Issuer `json:"items"`
		Total int      `json:"total"`
	}
}

type issuerOutput struct{ Body *Issuer }

type issuerCreateInput struct{ Body IssuerInput }

type issuerUpdateInput struct {
	ID   int64 `path:"id"`
	Body IssuerInput
}

type docOutput struct{ Body *Document }

type docListOutput struct {
	Body db.Paged[Document]
}

type draftCreateInput struct{ Body DraftInput }

type draftUpdateInput struct {
	ID   int64 `path:"id"`
	Body DraftInput
}

type evaluationInput struct {
	ID   int64 `path:"id"`
	Body EvaluationInput
}

type commentInput struct {
	ID   int64 `path:"id"`
	Body CommentInput
}

type versionInput struct {
	ID   int64 `path:"id"`
	Body VersionInput
}

type deliberationInput struct {
	ID   int64 `path:"id"`
	Body DeliberationInput
}

type dateInput struct {
	ID   int64 `path:"id"`
	Body DateInput
}

type publishInput struct {
	ID   int64 `path:"id"`
	Body PublishInput
}

type filingInput struct {
	ID   int64 `path:"id"`
	Body FilingInput
}

type filingResultInput struct {
	ID   int64 `path:"id"`
	Body FilingResultInput
}

type correctionInput struct {
	ID   int64 `path:"id"`
	Body CorrectionInput
}

type xlsxOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func xlsx(name, ascii string, b []byte) *xlsxOutput {
	return &xlsxOutput{
		ContentType:        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		ContentDisposition: files.ContentDisposition(name, ascii),
		Body:               b,
	}
}

type importInput struct {
	Mode    string `query:"mode" enum:"check,all,valid," doc:"check 只检查（默认）；all 全部无误才导入；valid 只导入无误的行"`
	RawBody []byte
}

type importOutput struct{ Body *ImportReport }

type figuresOutput struct {
	Body struct {
		Items []metric.Figure `json:"items"`
	}
}

type pageInput struct {
	Page     int `query:"page"`
	PageSize int `query:"page_size"`
}

type cleanupListOutput struct {
	Body struct {
		Items []Cleanup `json:"items"`
		Total int       `json:"total"`
	}
}

type cleanupOutput struct{ Body *Cleanup }

type cleanupCreateInput struct{ Body CleanupInput }

type cleanupAddInput struct {
	ID   int64 `path:"id"`
	Body struct {
		DocumentIDs []int64 `json:"document_ids"`
	}
}

type cleanupDecideInput struct {
	ID     int64 `path:"id"`
	ItemID int64 `path:"item"`
	Body   DecisionInput
}

type publicListOutput struct {
	Body db.Paged[PublicDocument]
}

type publicDocOutput struct{ Body *PublicDocument }

// RegisterRoutes declares the module's routes: the working API under
// /api/normdocs… (login required) and the public library under
// /api/public/normdocs… (no login, published documents only).
func (s *Service) RegisterRoutes(api huma.API) {
	tag := []string{"规范性文件"}

	huma.Register(api, huma.Operation{OperationID: "normdoc-issuers", Method: http.MethodGet, Path: "/api/normdoc-issuers", Summary: "制定主体清单", Tags: tag},
		func(ctx context.Context, in *issuerListInput) (*issuersOutput, error) {
			list, err := s.ListIssuers(ctx, in.ActiveOnly)
			if err != nil {
				return nil, err
			}
			out := &issuersOutput{}
			out.Body.Items, out.Body.Total = list, len(list)
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-issuer-create", Method: http.MethodPost, Path: "/api/normdoc-issuers", Summary: "列入制定主体清单", Tags: tag, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *issuerCreateInput) (*issuerOutput, error) {
			is, err := s.CreateIssuer(ctx, in.Body)
			return &issuerOutput{Body: is}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-issuer-update", Method: http.MethodPut, Path: "/api/normdoc-issuers/{id}", Summary: "修改制定主体（含移出清单）", Tags: tag},
		func(ctx context.Context, in *issuerUpdateInput) (*issuerOutput, error) {
			is, err := s.UpdateIssuer(ctx, in.ID, in.Body)
			return &issuerOutput{Body: is}, err
		})

	huma.Register(api, huma.Operation{OperationID: "normdoc-list", Method: http.MethodGet, Path: "/api/normdocs", Summary: "规范性文件台账", Tags: tag},
		func(ctx context.Context, in *ListInput) (*docListOutput, error) {
			p, err := s.List(ctx, *in)
			if err != nil {
				return nil, err
			}
			return &docListOutput{Body: p}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-export", Method: http.MethodGet, Path: "/api/normdocs/export.xlsx", Summary: "导出规范性文件台账（Excel）", Tags: tag},
		func(ctx context.Context, in *ListInput) (*huma.StreamResponse, error) {
			return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("规范性文件台账.xlsx", "normative-documents-ledger.xlsx"), func(w io.Writer) error {
				return s.ExportTo(ctx, w, *in)
			}), nil
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-import-template", Method: http.MethodGet, Path: "/api/normdocs/import-template.xlsx", Summary: "下载存量文件导入模板", Tags: tag},
		func(ctx context.Context, _ *struct{}) (*xlsxOutput, error) {
			b, err := s.ImportTemplate(ctx)
			if err != nil {
				return nil, err
			}
			return xlsx("规范性文件导入模板.xlsx", "normative-documents-import-template.xlsx", b), nil
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-import", Method: http.MethodPost, Path: "/api/normdocs/import", Summary: "导入存量规范性文件（Excel）", Tags: tag,
		MaxBodyBytes: xl.MaxFile,
		RequestBody:  &huma.RequestBody{Content: map[string]*huma.MediaType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}},
		func(ctx context.Context, in *importInput) (*importOutput, error) {
			rep, err := s.Import(ctx, in.RawBody, in.Mode)
			return &importOutput{Body: rep}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-figures", Method: http.MethodGet, Path: "/api/normdocs/figures", Summary: "规范性文件指标（按期备案率、备案审查通过率）", Tags: tag},
		func(ctx context.Context, in *metric.Query) (*figuresOutput, error) {
			fs, err := s.Figures(ctx, *in)
			if err != nil {
				return nil, err
			}
			out := &figuresOutput{}
			out.Body.Items = fs
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-create", Method: http.MethodPost, Path: "/api/normdocs", Summary: "起草规范性文件", Tags: tag, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *draftCreateInput) (*docOutput, error) {
			d, err := s.CreateDraft(ctx, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-get", Method: http.MethodGet, Path: "/api/normdocs/{id}", Summary: "规范性文件详情（含程序时间轴）", Tags: tag},
		func(ctx context.Context, in *idPath) (*docOutput, error) {
			d, err := s.Get(ctx, in.ID)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-update", Method: http.MethodPut, Path: "/api/normdocs/{id}", Summary: "修改草案", Tags: tag},
		func(ctx context.Context, in *draftUpdateInput) (*docOutput, error) {
			d, err := s.UpdateDraft(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-evaluation", Method: http.MethodPost, Path: "/api/normdocs/{id}/evaluation", Summary: "记录评估论证", Tags: tag},
		func(ctx context.Context, in *evaluationInput) (*docOutput, error) {
			d, err := s.RecordEvaluation(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-comment", Method: http.MethodPost, Path: "/api/normdocs/{id}/comment", Summary: "记录公开征求意见", Tags: tag},
		func(ctx context.Context, in *commentInput) (*docOutput, error) {
			d, err := s.RecordComment(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-submit-review", Method: http.MethodPost, Path: "/api/normdocs/{id}/submit-review", Summary: "提交合法性审核", Tags: tag},
		func(ctx context.Context, in *versionInput) (*docOutput, error) {
			d, err := s.SubmitReview(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-deliberate", Method: http.MethodPost, Path: "/api/normdocs/{id}/deliberation", Summary: "记录集体审议", Tags: tag},
		func(ctx context.Context, in *deliberationInput) (*docOutput, error) {
			d, err := s.Deliberate(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-register", Method: http.MethodPost, Path: "/api/normdocs/{id}/register", Summary: "统一登记、统一编号", Tags: tag},
		func(ctx context.Context, in *dateInput) (*docOutput, error) {
			d, err := s.Register(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-publish", Method: http.MethodPost, Path: "/api/normdocs/{id}/publish", Summary: "统一发布", Tags: tag},
		func(ctx context.Context, in *publishInput) (*docOutput, error) {
			d, err := s.Publish(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-file", Method: http.MethodPost, Path: "/api/normdocs/{id}/filing", Summary: "报送备案", Tags: tag},
		func(ctx context.Context, in *filingInput) (*docOutput, error) {
			d, err := s.File(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-filing-result", Method: http.MethodPost, Path: "/api/normdocs/{id}/filing-result", Summary: "登记备案审查结果", Tags: tag},
		func(ctx context.Context, in *filingResultInput) (*docOutput, error) {
			d, err := s.RecordFilingResult(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-correction", Method: http.MethodPost, Path: "/api/normdocs/{id}/correction", Summary: "登记责令纠正后的纠正情况", Tags: tag},
		func(ctx context.Context, in *correctionInput) (*docOutput, error) {
			d, err := s.RecordCorrection(ctx, in.ID, in.Body)
			return &docOutput{Body: d}, err
		})

	huma.Register(api, huma.Operation{OperationID: "normdoc-cleanups", Method: http.MethodGet, Path: "/api/normdoc-cleanups", Summary: "清理工作列表", Tags: tag},
		func(ctx context.Context, in *pageInput) (*cleanupListOutput, error) {
			items, total, err := s.ListCleanups(ctx, db.Page{Page: in.Page, Size: in.PageSize})
			if err != nil {
				return nil, err
			}
			out := &cleanupListOutput{}
			out.Body.Items, out.Body.Total = items, total
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-cleanup-create", Method: http.MethodPost, Path: "/api/normdoc-cleanups", Summary: "开展清理", Tags: tag, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *cleanupCreateInput) (*cleanupOutput, error) {
			c, err := s.CreateCleanup(ctx, in.Body)
			return &cleanupOutput{Body: c}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-cleanup-get", Method: http.MethodGet, Path: "/api/normdoc-cleanups/{id}", Summary: "清理工作详情", Tags: tag},
		func(ctx context.Context, in *idPath) (*cleanupOutput, error) {
			c, err := s.GetCleanup(ctx, in.ID)
			return &cleanupOutput{Body: c}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-cleanup-add", Method: http.MethodPost, Path: "/api/normdoc-cleanups/{id}/items", Summary: "纳入清理文件", Tags: tag},
		func(ctx context.Context, in *cleanupAddInput) (*cleanupOutput, error) {
			c, err := s.AddCleanupDocuments(ctx, in.ID, in.Body.DocumentIDs)
			return &cleanupOutput{Body: c}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-cleanup-decide", Method: http.MethodPut, Path: "/api/normdoc-cleanups/{id}/items/{item}", Summary: "作出清理结论", Tags: tag},
		func(ctx context.Context, in *cleanupDecideInput) (*cleanupOutput, error) {
			c, err := s.DecideItem(ctx, in.ID, in.ItemID, in.Body)
			return &cleanupOutput{Body: c}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-cleanup-finish", Method: http.MethodPost, Path: "/api/normdoc-cleanups/{id}/finish", Summary: "完成清理", Tags: tag},
		func(ctx context.Context, in *dateInput) (*cleanupOutput, error) {
			c, err := s.FinishCleanup(ctx, in.ID, in.Body)
			return &cleanupOutput{Body: c}, err
		})
	huma.Register(api, huma.Operation{OperationID: "normdoc-cleanup-publish", Method: http.MethodPost, Path: "/api/normdoc-cleanups/{id}/publish", Summary: "公布清理结果", Tags: tag},
		func(ctx context.Context, in *dateInput) (*cleanupOutput, error) {
			c, err := s.PublishCleanup(ctx, in.ID, in.Body)
			return &cleanupOutput{Body: c}, err
		})

	ptag := []string{"公开：规范性文件库"}
	huma.Register(api, huma.Operation{OperationID: "public-normdocs", Method: http.MethodGet, Path: "/api/public/normdocs", Summary: "规范性文件库（公开，全文检索）", Tags: ptag},
		func(ctx context.Context, in *PublicListInput) (*publicListOutput, error) {
			p, err := s.PublicList(ctx, *in)
			if err != nil {
				return nil, err
			}
			return &publicListOutput{Body: p}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "public-normdoc-issuers", Method: http.MethodGet, Path: "/api/public/normdocs/issuers", Summary: "制定主体清单（公开）", Tags: ptag},
		func(ctx context.Context, _ *struct{}) (*issuersOutput, error) {
			list, err := s.PublicIssuers(ctx)
			if err != nil {
				return nil, err
			}
			out := &issuersOutput{}
			out.Body.Items, out.Body.Total = list, len(list)
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "public-normdoc-cleanups", Method: http.MethodGet, Path: "/api/public/normdocs/cleanups", Summary: "规范性文件清理结果（公开）", Tags: ptag},
		func(ctx context.Context, in *pageInput) (*cleanupListOutput, error) {
			items, total, err := s.PublicCleanups(ctx, db.Page{Page: in.Page, Size: in.PageSize})
			if err != nil {
				return nil, err
			}
			for i := range items {
				items[i].UnitID, items[i].Version = 0, 0
			}
			out := &cleanupListOutput{}
			out.Body.Items, out.Body.Total = items, total
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "public-normdoc-cleanup", Method: http.MethodGet, Path: "/api/public/normdocs/cleanups/{id}", Summary: "清理结果清单（公开）", Tags: ptag},
		func(ctx context.Context, in *idPath) (*cleanupOutput, error) {
			c, err := s.PublicCleanup(ctx, in.ID)
			return &cleanupOutput{Body: c}, err
		})
	huma.Register(api, huma.Operation{OperationID: "public-normdoc-get", Method: http.MethodGet, Path: "/api/public/normdocs/{id}", Summary: "规范性文件全文（公开）", Tags: ptag},
		func(ctx context.Context, in *idPath) (*publicDocOutput, error) {
			d, err := s.PublicGet(ctx, in.ID)
			return &publicDocOutput{Body: d}, err
		})
}
