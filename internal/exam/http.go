package exam

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

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

type idPath struct {
	ID int64 `path:"id"`
}

type listOut[T any] struct {
	Body struct {
		Items []T `json:"items"`
	}
}

type pagedOut[T any] struct{ Body db.Paged[T] }

type questionListIn struct {
	QuestionFilter
	db.ListReq
}
type questionIn struct{ Body QuestionInput }
type questionUpdateIn struct {
	ID   int64 `path:"id"`
	Body QuestionInput
}
type questionOut struct{ Body *Question }

type importIn struct {
	Mode    string `query:"mode" enum:"check,all," doc:"check 只检查；all（默认）全部无误才导入"`
	RawBody []byte
}
type importOut struct{ Body *ImportReport }

// Meta is what the exam forms need: kinds, difficulties, purposes, the
// bank's topics with their usable questions per kind.
type Meta struct {
	Kinds        []Option     `json:"kinds"`
	Difficulties []Option     `json:"difficulties"`
	Purposes     []Option     `json:"purposes"`
	Topics       []TopicCount `json:"topics"`
}
type metaOut struct{ Body *Meta }

type examListIn struct {
	ExamFilter
	db.ListReq
}
type examIn struct{ Body ExamInput }
type examOut struct{ Body *Exam }
type examUpdateIn struct {
	ID   int64 `path:"id"`
	Body ExamInput
}
type examDeleteIn struct {
	ID      int64 `path:"id"`
	Version int64 `query:"version" doc:"记录版本号"`
}
type candidatesIn struct {
	ID   int64 `path:"id"`
	Body CandidatesInput
}
type candidatesOut struct{ Body *CandidatesAdded }
type candidateListIn struct {
	CandidateFilter
	db.ListReq
}

type paperOut struct{ Body *Paper }
type answersIn struct {
	ID   int64 `path:"id"`
	Body struct {
		Answers []AnswerInput `json:"answers"`
	}
}
type savedOut struct{ Body *Saved }

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// RegisterRoutes declares the engine's routes under /api/exam.
func (s *Service) RegisterRoutes(api huma.API) {
	tag := []string{"在线考试"}
	reg := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: "exam-" + id, Method: method, Path: "/api/exam" + path, Summary: summary, Tags: tag, DefaultStatus: status}
	}

	// ---- question bank (organisers) ----
	huma.Register(api, reg("meta", http.MethodGet, "/meta", "题型、难度、考试类别和题库专题", 0), func(ctx context.Context, _ *struct{}) (*metaOut, error) {
		t, err := s.Topics(ctx)
		if err != nil {
			return nil, err
		}
		return &metaOut{Body: &Meta{Kinds: Kinds, Difficulties: Difficulties, Purposes: s.Purposes(), Topics: t}}, nil
	})
	huma.Register(api, reg("questions", http.MethodGet, "/questions", "考试题库", 0), func(ctx context.Context, in *questionListIn) (*pagedOut[Question], error) {
		p, err := s.ListQuestions(ctx, in.QuestionFilter, in.ListReq)
		return &pagedOut[Question]{Body: p}, err
	})
	huma.Register(api, reg("questions-export", http.MethodGet, "/questions/export.xlsx", "导出考试题库（Excel，含答案）", 0), func(ctx context.Context, in *questionListIn) (*huma.StreamResponse, error) {
		return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("考试题库.xlsx", "exam-questions.xlsx"), func(w io.Writer) error {
			return s.ExportQuestions(ctx, w, in.QuestionFilter)
		}), nil
	})
	huma.Register(api, huma.Operation{OperationID: "exam-questions-import", Method: http.MethodPost, Path: "/api/exam/questions/import", Summary: "导入考试题目（Excel）", Tags: tag,
		MaxBodyBytes: xl.MaxFile, RequestBody: &huma.RequestBody{Content: map[string]*huma.MediaType{httpx.XLSX: {}}}},
		func(ctx context.Context, in *importIn) (*importOut, error) {
			rep, err := s.ImportQuestions(ctx, in.RawBody, in.Mode == "check")
			return &importOut{Body: rep}, err
		})
	huma.Register(api, reg("question-create", http.MethodPost, "/questions", "新增考试题目", http.StatusCreated), func(ctx context.Context, in *questionIn) (*questionOut, error) {
		q, err := s.CreateQuestion(ctx, in.Body)
		return &questionOut{Body: q}, err
	})
	huma.Register(api, reg("question-get", http.MethodGet, "/questions/{id}", "考试题目详情（含答案）", 0), func(ctx context.Context, in *idPath) (*questionOut, error) {
		q, err := s.GetQuestion(ctx, in.ID)
		return &questionOut{Body: q}, err
	})
	huma.Register(api, reg("question-update", http.MethodPut, "/questions/{id}", "修改考试题目", 0), func(ctx context.Context, in *questionUpdateIn) (*questionOut, error) {
		q, err := s.UpdateQuestion(ctx, in.ID, in.Body)
		return &questionOut{Body: q}, err
	})

	// ---- exams (organisers) ----
	huma.Register(api, reg("exams", http.MethodGet, "/exams", "在线考试", 0), func(ctx context.Context, in *examListIn) (*pagedOut[Exam], error) {
		p, err := s.ListExams(ctx, in.ExamFilter, in.ListReq)
		return &pagedOut[Exam]{Body: p}, err
	})
	huma.Register(api, reg("exam-create", http.MethodPost, "/exams", "组织在线考试", http.StatusCreated), func(ctx context.Context, in *examIn) (*examOut, error) {
		e, err := s.CreateExam(ctx, in.Body)
		return &examOut{Body: e}, err
	})
	huma.Register(api, reg("exam-get", http.MethodGet, "/exams/{id}", "在线考试详情", 0), func(ctx context.Context, in *idPath) (*examOut, error) {
		e, err := s.GetExam(ctx, in.ID)
		return &examOut{Body: e}, err
	})
	huma.Register(api, reg("exam-update", http.MethodPut, "/exams/{id}", "修改在线考试（无人作答前）", 0), func(ctx context.Context, in *examUpdateIn) (*examOut, error) {
		e, err := s.UpdateExam(ctx, in.ID, in.Body)
		return &examOut{Body: e}, err
	})
	huma.Register(api, reg("exam-delete", http.MethodDelete, "/exams/{id}", "删除在线考试（无人作答）", http.StatusNoContent), func(ctx context.Context, in *examDeleteIn) (*struct{}, error) {
		return nil, s.DeleteExam(ctx, in.ID, in.Version)
	})
	huma.Register(api, reg("exam-candidates-add", http.MethodPost, "/exams/{id}/candidates", "添加应考人员（按单位或人员）", 0), func(ctx context.Context, in *candidatesIn) (*candidatesOut, error) {
		r, err := s.AddCandidates(ctx, in.ID, in.Body)
		return &candidatesOut{Body: r}, err
	})

	// ---- results (exam.read, by the candidates' units) ----
	huma.Register(api, reg("candidates", http.MethodGet, "/candidates", "考生参考与成绩", 0), func(ctx context.Context, in *candidateListIn) (*pagedOut[Candidate], error) {
		p, err := s.ListCandidates(ctx, in.CandidateFilter, in.ListReq)
		return &pagedOut[Candidate]{Body: p}, err
	})
	huma.Register(api, reg("candidates-export", http.MethodGet, "/candidates/export.xlsx", "导出考生参考与成绩（Excel）", 0), func(ctx context.Context, in *candidateListIn) (*huma.StreamResponse, error) {
		return httpx.StreamDownload(httpx.XLSX, files.ContentDisposition("考试成绩.xlsx", "exam-results.xlsx"), func(w io.Writer) error {
			return s.ExportCandidates(ctx, w, in.CandidateFilter)
		}), nil
	})
	huma.Register(api, reg("exam-coverage", http.MethodGet, "/exams/{id}/coverage", "考试参考率、通过率（按单位）", 0), func(ctx context.Context, in *idPath) (*listOut[UnitCoverage], error) {
		out := &listOut[UnitCoverage]{}
		var err error
		out.Body.Items, err = s.ExamCoverage(ctx, in.ID)
		return out, err
	})

	// ---- the candidate's side ----
	huma.Register(api, reg("my", http.MethodGet, "/my", "我的考试", 0), func(ctx context.Context, _ *struct{}) (*listOut[MyExam], error) {
		out := &listOut[MyExam]{}
		var err error
		out.Body.Items, err = s.MyExams(ctx)
		return out, err
	})
	huma.Register(api, reg("start", http.MethodPost, "/exams/{id}/start", "开始（或继续）作答", 0), func(ctx context.Context, in *idPath) (*paperOut, error) {
		p, err := s.Start(ctx, in.ID)
		return &paperOut{Body: p}, err
	})
	huma.Register(api, reg("paper", http.MethodGet, "/attempts/{id}", "我的答卷（不含答案）", 0), func(ctx context.Context, in *idPath) (*paperOut, error) {
		p, err := s.Paper(ctx, in.ID)
		return &paperOut{Body: p}, err
	})
	huma.Register(api, reg("answers", http.MethodPut, "/attempts/{id}/answers", "保存作答（自动保存）", 0), func(ctx context.Context, in *answersIn) (*savedOut, error) {
		r, err := s.SaveAnswers(ctx, in.ID, in.Body.Answers)
		return &savedOut{Body: r}, err
	})
	huma.Register(api, reg("submit", http.MethodPost, "/attempts/{id}/submit", "交卷", 0), func(ctx context.Context, in *idPath) (*paperOut, error) {
		p, err := s.Submit(ctx, in.ID)
		return &paperOut{Body: p}, err
	})
	huma.Register(api, reg("certificate", http.MethodGet, "/exams/{id}/certificate.docx", "下载结业证明（Word）", 0), func(ctx context.Context, in *idPath) (*fileOut, error) {
		b, name, err := s.Certificate(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		a := auth.From(ctx)
		return &fileOut{ContentType: docxType, ContentDisposition: files.ContentDisposition(name, fmt.Sprintf("exam-%d-certificate-%d.docx", in.ID, a.UserID)), Body: b}, nil
	})
}
