package casereview

import (
	"context"
	"io"
	"net/http"

	"fazhi/internal/metric"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"

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
type bodyOut[T any] struct{ Body T }
type emptyOut struct{}

type bodyIn[T any] struct{ Body T }
type idBodyIn[T any] struct {
	ID   int64 `path:"id"`
	Body T
}

type planListIn struct {
	Year   int    `query:"year" doc:"年度"`
	Status string `query:"status" doc:"状态"`
	db.ListReq
}
type fileListIn struct {
	FileFilter
	db.ListReq
}
type noticeListIn struct {
	NoticeFilter
	db.ListReq
}
type monitorListIn struct {
	MonitorFilter
	db.ListReq
}
type contactListIn struct {
	UnitID int64 `query:"unit_id" doc:"联系单位（含下级）"`
	db.ListReq
}
type feedbackListIn struct {
	FeedbackFilter
	db.ListReq
}
type reviewerPath struct {
	ID        int64 `path:"id"`
	OfficerID int64 `path:"officer_id"`
}
type drawFileIn struct {
	ID   int64  `path:"id"`
	Name string `path:"name" enum:"snapshot.json,commitment.json,reveal.json,result.json"`
}

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func stream(name, ascii string, check func() error, write func(w io.Writer) error) (*huma.StreamResponse, error) {
	if err := check(); err != nil {
		return nil, err
	}
	return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition(name, ascii), write), nil
}

// RegisterRoutes declares the module's routes under /api/case-review.
func (s *Service) RegisterRoutes(api huma.API) {
	tag := []string{"案卷评查与执法监督"}
	reg := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: "casereview-" + id, Method: method, Path: "/api/case-review" + path, Summary: summary, Tags: tag, DefaultStatus: status}
	}

	// ---- rubrics ----
	huma.Register(api, reg("rubrics", http.MethodGet, "/rubrics", "案卷评查标准", 0), func(ctx context.Context, _ *struct{}) (*listOut[Rubric], error) {
		out := &listOut[Rubric]{}
		var err error
		out.Body.Items, err = s.ListRubrics(ctx)
		return out, err
	})
	huma.Register(api, reg("rubric-create", http.MethodPost, "/rubrics", "新增评查标准", http.StatusCreated), func(ctx context.Context, in *bodyIn[RubricInput]) (*bodyOut[*Rubric], error) {
		r, err := s.CreateRubric(ctx, in.Body)
		return &bodyOut[*Rubric]{Body: r}, err
	})
	huma.Register(api, reg("rubric-update", http.MethodPut, "/rubrics/{id}", "修改评查标准", 0), func(ctx context.Context, in *idBodyIn[RubricInput]) (*bodyOut[*Rubric], error) {
		r, err := s.UpdateRubric(ctx, in.ID, in.Body)
		return &bodyOut[*Rubric]{Body: r}, err
	})

	// ---- plans ----
	huma.Register(api, reg("plans", http.MethodGet, "/plans", "案卷评查计划", 0), func(ctx context.Context, in *planListIn) (*pagedOut[Plan], error) {
		p, err := s.ListPlans(ctx, in.Year, in.Status, in.ListReq)
		return &pagedOut[Plan]{Body: p}, err
	})
	huma.Register(api, reg("plans-export", http.MethodGet, "/plans/export.xlsx", "导出评查计划台账（Excel）", 0), func(ctx context.Context, in *planListIn) (*huma.StreamResponse, error) {
		return stream("案卷评查计划台账.xlsx", "case-review-plans.xlsx", func() error { _, err := s.planSQL(ctx, in.Year, in.Status); return err },
			func(w io.Writer) error { return s.ExportPlans(ctx, w, in.Year, in.Status) })
	})
	huma.Register(api, reg("plan-create", http.MethodPost, "/plans", "新建评查计划", http.StatusCreated), func(ctx context.Context, in *bodyIn[PlanInput]) (*bodyOut[*Plan], error) {
		p, err := s.CreatePlan(ctx, in.Body)
		return &bodyOut[*Plan]{Body: p}, err
	})
	huma.Register(api, reg("plan-get", http.MethodGet, "/plans/{id}", "评查计划详情", 0), func(ctx context.Context, in *idPath) (*bodyOut[*Plan], error) {
		p, err := s.GetPlan(ctx, in.ID)
		return &bodyOut[*Plan]{Body: p}, err
	})
	huma.Register(api, reg("plan-update", http.MethodPut, "/plans/{id}", "修改评查计划（公布名录承诺前）", 0), func(ctx context.Context, in *idBodyIn[PlanInput]) (*bodyOut[*Plan], error) {
		p, err := s.UpdatePlan(ctx, in.ID, in.Body)
		return &bodyOut[*Plan]{Body: p}, err
	})
	huma.Register(api, reg("reviewers", http.MethodGet, "/plans/{id}/reviewers", "评查人员名录", 0), func(ctx context.Context, in *idPath) (*listOut[Reviewer], error) {
		out := &listOut[Reviewer]{}
		var err error
		out.Body.Items, err = s.GetReviewers(ctx, in.ID)
		return out, err
	})
	huma.Register(api, reg("reviewers-add", http.MethodPost, "/plans/{id}/reviewers", "加入评查人员", 0), func(ctx context.Context, in *idBodyIn[ReviewersInput]) (*listOut[Reviewer], error) {
		out := &listOut[Reviewer]{}
		var err error
		out.Body.Items, err = s.AddReviewers(ctx, in.ID, in.Body)
		return out, err
	})
	huma.Register(api, reg("reviewer-remove", http.MethodDelete, "/plans/{id}/reviewers/{officer_id}", "移出评查人员", http.StatusNoContent), func(ctx context.Context, in *reviewerPath) (*emptyOut, error) {
		return &emptyOut{}, s.RemoveReviewer(ctx, in.ID, in.OfficerID)
	})
	huma.Register(api, reg("plan-commit", http.MethodPost, "/plans/{id}/commit", "冻结案卷名录并公布快照哈希与种子承诺值", 0), func(ctx context.Context, in *idBodyIn[VersionInput]) (*bodyOut[*Plan], error) {
		p, err := s.Commit(ctx, in.ID, in.Body)
		return &bodyOut[*Plan]{Body: p}, err
	})
	huma.Register(api, reg("plan-draw", http.MethodPost, "/plans/{id}/draw", "公开种子并抽取案卷与评查人员", 0), func(ctx context.Context, in *idBodyIn[VersionInput]) (*bodyOut[*Plan], error) {
		p, err := s.Draw(ctx, in.ID, in.Body)
		return &bodyOut[*Plan]{Body: p}, err
	})
	huma.Register(api, reg("plan-draw-file", http.MethodGet, "/plans/{id}/draw/{name}", "下载抽取公开文件（供 fazhi draw verify 复核）", 0), func(ctx context.Context, in *drawFileIn) (*fileOut, error) {
		fs, err := s.DrawFiles(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &fileOut{ContentType: "application/json", ContentDisposition: files.ContentDisposition(in.Name, in.Name), Body: fs[in.Name]}, nil
	})
	huma.Register(api, reg("plan-rankings", http.MethodGet, "/plans/{id}/rankings", "被评查单位排名", 0), func(ctx context.Context, in *idPath) (*listOut[Ranking], error) {
		out := &listOut[Ranking]{}
		var err error
		out.Body.Items, err = s.Rankings(ctx, in.ID)
		return out, err
	})
	huma.Register(api, reg("plan-report", http.MethodGet, "/plans/{id}/report.docx", "案卷评查情况报告（Word）", 0), func(ctx context.Context, in *idPath) (*fileOut, error) {
		b, name, err := s.Report(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &fileOut{ContentType: docxType, ContentDisposition: files.ContentDisposition(name, "case-review-report.docx"), Body: b}, nil
	})

	// ---- files ----
	huma.Register(api, reg("files", http.MethodGet, "/files", "评查案卷台账", 0), func(ctx context.Context, in *fileListIn) (*pagedOut[File], error) {
		p, err := s.ListFiles(ctx, in.FileFilter, in.ListReq)
		return &pagedOut[File]{Body: p}, err
	})
	huma.Register(api, reg("files-export", http.MethodGet, "/files/export.xlsx", "导出评查案卷台账（Excel）", 0), func(ctx context.Context, in *fileListIn) (*huma.StreamResponse, error) {
		return stream("行政执法案卷评查台账.xlsx", "case-review-files.xlsx", func() error { _, err := s.fileSQL(ctx, in.FileFilter); return err },
			func(w io.Writer) error { return s.ExportFiles(ctx, w, in.FileFilter) })
	})
	huma.Register(api, reg("file-get", http.MethodGet, "/files/{id}", "评查案卷详情", 0), func(ctx context.Context, in *idPath) (*bodyOut[*File], error) {
		f, err := s.GetFile(ctx, in.ID)
		return &bodyOut[*File]{Body: f}, err
	})
	huma.Register(api, reg("file-score", http.MethodPut, "/files/{id}/score", "案卷评分", 0), func(ctx context.Context, in *idBodyIn[ScoreInput]) (*bodyOut[*File], error) {
		f, err := s.ScoreFile(ctx, in.ID, in.Body)
		return &bodyOut[*File]{Body: f}, err
	})

	// ---- notices ----
	huma.Register(api, reg("notices", http.MethodGet, "/notices", "行政执法监督意见书（建议书）台账", 0), func(ctx context.Context, in *noticeListIn) (*pagedOut[Notice], error) {
		p, err := s.ListNotices(ctx, in.NoticeFilter, in.ListReq)
		return &pagedOut[Notice]{Body: p}, err
	})
	huma.Register(api, reg("notices-export", http.MethodGet, "/notices/export.xlsx", "导出监督文书台账（Excel）", 0), func(ctx context.Context, in *noticeListIn) (*huma.StreamResponse, error) {
		return stream("行政执法监督文书台账.xlsx", "supervision-notices.xlsx", func() error { _, err := s.noticeSQL(ctx, in.NoticeFilter); return err },
			func(w io.Writer) error { return s.ExportNotices(ctx, w, in.NoticeFilter) })
	})
	huma.Register(api, reg("notice-issue", http.MethodPost, "/notices", "签发监督意见书（建议书）", http.StatusCreated), func(ctx context.Context, in *bodyIn[NoticeInput]) (*bodyOut[*Notice], error) {
		n, err := s.Issue(ctx, in.Body)
		return &bodyOut[*Notice]{Body: n}, err
	})
	huma.Register(api, reg("notice-get", http.MethodGet, "/notices/{id}", "监督文书详情（含问题整改状态）", 0), func(ctx context.Context, in *idPath) (*bodyOut[*Notice], error) {
		n, err := s.GetNotice(ctx, in.ID)
		return &bodyOut[*Notice]{Body: n}, err
	})
	huma.Register(api, reg("notice-reply", http.MethodPut, "/notices/{id}/reply", "登记答复", 0), func(ctx context.Context, in *idBodyIn[ReplyInput]) (*bodyOut[*Notice], error) {
		n, err := s.Reply(ctx, in.ID, in.Body)
		return &bodyOut[*Notice]{Body: n}, err
	})
	huma.Register(api, reg("notice-document", http.MethodGet, "/notices/{id}/document.docx", "监督文书（Word，公文格式）", 0), func(ctx context.Context, in *idPath) (*fileOut, error) {
		b, name, err := s.NoticeDocument(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &fileOut{ContentType: docxType, ContentDisposition: files.ContentDisposition(name, "supervision-notice.docx"), Body: b}, nil
	})

	// ---- monitors, contact points, feedback ----
	huma.Register(api, reg("monitors", http.MethodGet, "/monitors", "特邀行政执法监督员名册", 0), func(ctx context.Context, in *monitorListIn) (*pagedOut[Monitor], error) {
		p, err := s.ListMonitors(ctx, in.MonitorFilter, in.ListReq)
		return &pagedOut[Monitor]{Body: p}, err
	})
	huma.Register(api, reg("monitors-export", http.MethodGet, "/monitors/export.xlsx", "导出执法监督员名册（Excel）", 0), func(ctx context.Context, in *monitorListIn) (*huma.StreamResponse, error) {
		return stream("特邀行政执法监督员名册.xlsx", "enforcement-monitors.xlsx", func() error { _, err := s.monitorSQL(ctx, in.MonitorFilter); return err },
			func(w io.Writer) error { return s.ExportMonitors(ctx, w, in.MonitorFilter) })
	})
	huma.Register(api, reg("monitor-create", http.MethodPost, "/monitors", "聘任执法监督员", http.StatusCreated), func(ctx context.Context, in *bodyIn[MonitorInput]) (*bodyOut[*Monitor], error) {
		m, err := s.CreateMonitor(ctx, in.Body)
		return &bodyOut[*Monitor]{Body: m}, err
	})
	huma.Register(api, reg("monitor-update", http.MethodPut, "/monitors/{id}", "修改执法监督员", 0), func(ctx context.Context, in *idBodyIn[MonitorInput]) (*bodyOut[*Monitor], error) {
		m, err := s.UpdateMonitor(ctx, in.ID, in.Body)
		return &bodyOut[*Monitor]{Body: m}, err
	})
	huma.Register(api, reg("contacts", http.MethodGet, "/contacts", "企业联系点", 0), func(ctx context.Context, in *contactListIn) (*pagedOut[Contact], error) {
		p, err := s.ListContacts(ctx, in.UnitID, in.ListReq)
		return &pagedOut[Contact]{Body: p}, err
	})
	huma.Register(api, reg("contacts-export", http.MethodGet, "/contacts/export.xlsx", "导出企业联系点台账（Excel）", 0), func(ctx context.Context, in *contactListIn) (*huma.StreamResponse, error) {
		return stream("企业联系点台账.xlsx", "enterprise-contacts.xlsx", func() error { _, err := s.contactSQL(ctx, in.UnitID); return err },
			func(w io.Writer) error { return s.ExportContacts(ctx, w, in.UnitID) })
	})
	huma.Register(api, reg("contact-create", http.MethodPost, "/contacts", "设立企业联系点", http.StatusCreated), func(ctx context.Context, in *bodyIn[ContactInput]) (*bodyOut[*Contact], error) {
		c, err := s.CreateContact(ctx, in.Body)
		return &bodyOut[*Contact]{Body: c}, err
	})
	huma.Register(api, reg("contact-update", http.MethodPut, "/contacts/{id}", "修改企业联系点", 0), func(ctx context.Context, in *idBodyIn[ContactInput]) (*bodyOut[*Contact], error) {
		c, err := s.UpdateContact(ctx, in.ID, in.Body)
		return &bodyOut[*Contact]{Body: c}, err
	})
	huma.Register(api, reg("feedback", http.MethodGet, "/feedback", "监督员与企业联系点反馈", 0), func(ctx context.Context, in *feedbackListIn) (*pagedOut[Feedback], error) {
		p, err := s.ListFeedback(ctx, in.FeedbackFilter, in.ListReq)
		return &pagedOut[Feedback]{Body: p}, err
	})
	huma.Register(api, reg("feedback-export", http.MethodGet, "/feedback/export.xlsx", "导出反馈台账（Excel）", 0), func(ctx context.Context, in *feedbackListIn) (*huma.StreamResponse, error) {
		return stream("监督反馈台账.xlsx", "supervision-feedback.xlsx", func() error { _, err := s.feedbackSQL(ctx, in.FeedbackFilter); return err },
			func(w io.Writer) error { return s.ExportFeedback(ctx, w, in.FeedbackFilter) })
	})
	huma.Register(api, reg("feedback-create", http.MethodPost, "/feedback", "登记反馈", http.StatusCreated), func(ctx context.Context, in *bodyIn[FeedbackInput]) (*bodyOut[*Feedback], error) {
		fb, err := s.AddFeedback(ctx, in.Body)
		return &bodyOut[*Feedback]{Body: fb}, err
	})

	huma.Register(api, reg("figures", http.MethodGet, "/figures", "案卷评查与执法监督指标", 0), func(ctx context.Context, in *metric.Query) (*listOut[metric.Figure], error) {
		out := &listOut[metric.Figure]{}
		var err error
		out.Body.Items, err = s.Figures(ctx, *in)
		return out, err
	})
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
