package app

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"fazhi/internal/decision"
	"fazhi/internal/legalreview"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/pdf"
	"fazhi/internal/todo"
)

// Decision returns the decision service (nil before it is wired).
func (a *App) Decision() *decision.Service { return a.decision }

// wireDecision builds 重大行政决策: routes (including the public
// consultation API), evidence files on decisions, legality review through
// legalreview, dashboard figures and demo data. It runs after
// wireLegalreview.
func (a *App) wireDecision(ctx context.Context) error {
	svc := decision.NewService(decision.Deps{DB: a.DB, Units: a.Org, Calendar: a.Calendar, Rules: a.Rules})
	a.decision = svc
	lr := a.LegalReview()
	if lr != nil {
		svc.SetReviewer(decisionReview{lr: lr, pdf: a.PDF})
	}
	if en := a.Engines(); en != nil && en.Files != nil {
		svc.SetFiles(decisionFiles{en.Files})
		en.Files.RegisterOwner(decision.SubjectType, "重大行政决策", func(ctx context.Context, id int64, write bool) (int64, error) {
			perm := decision.PermRead
			if write {
				perm = decision.PermWrite
			}
			return svc.Authorize(ctx, id, perm)
		})
	}
	svc.Register(a.API)
	if err := svc.SeedCategories(auth.With(ctx, auth.SystemActor("决策事项目录类别"))); err != nil {
		return err
	}
	a.AddSeeder(Seeder{Name: "decision", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, decisionDemo{demoPeople: demoPeople{a.Org}, app: a})
	}})
	a.Metrics.Register(decision.PermRead, svc.Figures)
	a.Metrics.Keep(decision.FigureTally)
	// No Perm: the government office acting for a decision body holds
	// decision.certify without decision.read; the provider checks both.
	a.Todo.Register(todo.Source{Module: "decision", Label: "重大行政决策"}, svc.Todo)
	return nil
}

// decisionReview adapts legalreview's Open/Outcome to decision.LegalReviewer
// and its opinion letter to decision.LetterSource.
type decisionReview struct {
	lr  *legalreview.Service
	pdf *pdf.Converter
}

func (r decisionReview) Open(ctx context.Context, in decision.ReviewRequest) (int64, error) {
	rev, err := r.lr.Open(ctx, legalreview.OpenInput{Kind: string(legalreview.KindDecision), Title: in.Title, UnitID: in.UnitID,
		SubjectType: decision.SubjectType, SubjectID: in.SubjectID, Summary: in.Summary, FileIDs: in.FileIDs})
	if err != nil {
		return 0, err
	}
	return rev.ID, nil
}

func (r decisionReview) Outcome(ctx context.Context, subjectType string, id int64) (decision.ReviewOutcome, error) {
	o, err := r.lr.Outcome(ctx, subjectType, id)
	return decision.ReviewOutcome{ReviewID: o.ReviewID, Status: o.Status, FinishedOn: o.FinishedOn}, err
}

// Letter hands the decision archive the opinion letter of a concluded
// review, as .docx and (when a PDF can be made) .pdf. The .docx is rendered
// once and the PDF printed from it (legalreview's LetterPDF would load the
// review and render the letter a second time).
func (r decisionReview) Letter(ctx context.Context, reviewID int64) (decision.ReviewLetter, error) {
	rev, err := r.lr.Get(ctx, reviewID)
	if err != nil {
		return decision.ReviewLetter{}, err
	}
	b, name, err := r.lr.Letter(ctx, reviewID)
	if err != nil {
		return decision.ReviewLetter{}, err
	}
	l := decision.ReviewLetter{Number: rev.OpinionNo, Name: name, DOCX: b}
	if p, err := r.pdf.FromDOCX(ctx, b); err == nil {
		l.PDF, l.PDFName = p, strings.TrimSuffix(name, ".docx")+".pdf"
	} else {
		slog.Warn("decision archive: opinion letter PDF", "review", reviewID, "err", err)
	}
	return l, nil
}

// decisionFiles adapts the evidence store.
type decisionFiles struct{ fs *files.Service }

func (f decisionFiles) Open(ctx context.Context, id int64) (string, io.ReadCloser, error) {
	meta, rc, err := f.fs.Open(ctx, id)
	if err != nil {
		return "", nil, err
	}
	return meta.Name, rc, nil
}

func (f decisionFiles) Owner(ctx context.Context, id int64) (string, int64, error) {
	meta, err := f.fs.Get(ctx, id)
	if err != nil {
		return "", 0, err
	}
	return meta.OwnerType, meta.OwnerID, nil
}

// decisionDemo gives the decision and normdoc demos their actors, units,
// uploads and their legality reviews played through the legality review
// demo's scripts (PlayReview).
type decisionDemo struct {
	demoPeople
	app *App
}

func (d decisionDemo) Upload(ctx context.Context, decisionID int64, name, content string) (int64, error) {
	en := d.app.Engines()
	if en == nil || en.Files == nil {
		return 0, apperr.New(apperr.Unavailable, "附件服务未启用")
	}
	f, err := en.Files.Upload(ctx, files.UploadInput{OwnerType: decision.SubjectType, OwnerID: decisionID, Name: name}, strings.NewReader(content))
	if err != nil {
		return 0, err
	}
	return f.ID, nil
}

// PlayReview carries a review the decision demo opened through the
// legality review demo's script of its title.
func (d decisionDemo) PlayReview(ctx context.Context, reviewID int64) error {
	lr := d.app.LegalReview()
	if lr == nil {
		return apperr.New(apperr.Unavailable, "合法性审查模块未启用")
	}
	return lr.SeedDemoReview(ctx, d.demoPeople, reviewID)
}
