// Package app wires fazhi together: it opens the database, builds every
// module's Service in dependency order, registers routes, and runs the HTTP
// server and background work. It holds no business rules.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fazhi/internal/casereview"
	"fazhi/internal/counsel"
	"fazhi/internal/dashboard"
	"fazhi/internal/decision"
	"fazhi/internal/disclosure"
	"fazhi/internal/enforcement"
	"fazhi/internal/exam"
	"fazhi/internal/indicator"
	"fazhi/internal/legalreview"
	"fazhi/internal/litigation"
	"fazhi/internal/mediation"
	"fazhi/internal/metric"
	"fazhi/internal/normdoc"
	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/httpx"
	"fazhi/internal/platform/pdf"
	"fazhi/internal/randominspection"
	"fazhi/internal/reconsideration"
	"fazhi/internal/report"
	"fazhi/internal/todo"
	"fazhi/web"

	"github.com/danielgtaylor/huma/v2"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Version is set at build time with -ldflags "-X fazhi/internal/app.Version=…".
var Version = "dev"

// Seeder loads one module's demo records; scale multiplies volumes.
type Seeder struct {
	Name string
	Run  func(ctx context.Context, scale int) error
}

// Background is long-running work started with the server (job runners).
type Background func(ctx context.Context)

// App is the wired program.
type App struct {
	Cfg       Config
	DB        *db.DB
	Mux       *http.ServeMux
	API       huma.API
	Dashboard *dashboard.Service
	// Metrics is where every module registers its figures; the dashboard
	// reads only this.
	Metrics *metric.Registry
	// Todo is where every module registers its to-do provider (待办).
	Todo *todo.Registry
	// DemoLoaded says New loaded the demo into an empty database
	// (Config.DemoIfEmpty).
	DemoLoaded bool
	// firstStart holds the first-start notices when the demo may replace
	// the one-time passwords they announce (HeldNotices).
	firstStart heldLines
	// Calendar and Rules are shared by every module: statutory deadlines
	// are computed only through them. Administrator-entered years and
	// province overrides are loaded from the database at start.
	Calendar *calendar.Calendar
	Rules    *calendar.Registry
	// Org is the one org service: the session middleware loads actors
	// through it, and engines resolve units and people through its
	// unscoped lookups (set by wire before the other modules).
	Org *org.Service
	// PDF makes the PDF of every generated document.
	PDF *pdf.Converter
	// Audit writes signed checkpoints of the audit chain head outside the
	// database (at start, periodically while serving, and at close).
	Audit *audit.Checkpointer

	// Module services wired after org, in wiring order; nil until wired
	// (reach them through the accessors Engines, LegalReview, Decision,
	// Normdoc).
	engines     *Engines
	legalReview *legalreview.Service
	decision    *decision.Service
	normdoc     *normdoc.Service
	mediation   *mediation.Service
	counsel     *counsel.Service
	disclosure  *disclosure.Service
	// reconsideration is 行政复议 (wire_reconsideration.go).
	reconsideration *reconsideration.Service
	enforcement     *enforcement.Service
	// randomInspection is 双随机一公开 (wire_randominspection.go).
	randomInspection *randominspection.Service
	// caseReview is 案卷评查 and supervision notices (wire_casereview.go).
	caseReview *casereview.Service
	exam       *exam.Service // the online exam engine (wire_exam.go)
	// litigation is 行政应诉 (wire_litigation.go).
	litigation *litigation.Service
	// indicator is 示范创建 (wire_indicator.go).
	indicator *indicator.Service
	// report is the annual report (wire_report.go).
	report *report.Service

	middleware []httpx.Middleware // inner middleware added by modules (sessions)
	seeders    []Seeder
	background []Background
	closers    []func()
}

// New opens and migrates the database and wires every module.
func New(ctx context.Context, cfg Config) (*App, error) {
	if err := cfg.Normalize(); err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	// Everything start-up writes (schema, built-in roles and units, audit
	// keys, counters, the demo) happens under one lock, so several processes
	// started together on one database never race on a read-then-insert.
	release, err := d.StartupLock(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	a, err := start(ctx, cfg, d)
	release() // before any close: the lock's connection belongs to d
	if err != nil {
		if a != nil {
			a.Close()
		} else {
			d.Close()
		}
		return nil, err
	}
	return a, nil
}

// start does New's work under the start-up lock. On an error it returns the
// App built so far (nil before there is one) for New to close.
func start(ctx context.Context, cfg Config, d *db.DB) (*App, error) {
	if _, err := d.Migrate(ctx); err != nil {
		return nil, err
	}
	// The audit key before anything writes an audit event.
	cp, err := audit.Start(ctx, d, cfg.Audit)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	metrics := metric.NewRegistry()
	a := &App{Cfg: cfg, DB: d, Mux: mux, API: httpx.NewAPI(mux, Version), Metrics: metrics, Dashboard: dashboard.NewService(metrics), Todo: todo.NewRegistry(),
		Calendar: calendar.Default(), Rules: calendar.DefaultRegistry(), PDF: pdf.New(cfg.PDF), Audit: cp}
	a.OnClose(cp.Close)
	a.Go(cp.Run)
	a.Dashboard.Register(a.API)
	a.Todo.Routes(a.API)
	if err := a.wire(ctx); err != nil {
		return a, err
	}
	// Figures' counters: built from the registers for a tally that is new
	// or whose definition changed (internal/metric/counts.go).
	if err := metric.Sync(ctx, d, metrics.Tallies()); err != nil {
		return a, fmt.Errorf("指标计数器重建失败：%w", err)
	}
	// Demo data for an empty database (--demo-if-empty), still under the
	// lock: a process started beside this one waits, then finds it loaded.
	if cfg.DemoIfEmpty {
		empty, err := a.IsEmpty(ctx)
		if err == nil && empty {
			slog.Info("数据库为空，正在载入演示数据")
			err = a.LoadDemo(ctx, 1)
			a.DemoLoaded = err == nil
		}
		if err != nil {
			return a, err
		}
	}
	a.routes()
	// SQLite's periodic upkeep (statistics for the planner); a no-op on PostgreSQL.
	a.Go(func(ctx context.Context) { d.OptimizeEvery(ctx, 6*time.Hour, slog.Warn) })
	return a, nil
}

// Use adds middleware that runs inside the platform chain (after security
// headers and body limits, before routing).
func (a *App) Use(mw httpx.Middleware) { a.middleware = append(a.middleware, mw) }

// AddSeeder registers demo data in wiring order.
func (a *App) AddSeeder(s Seeder) { a.seeders = append(a.seeders, s) }

// Go registers background work started by Serve.
func (a *App) Go(b Background) { a.background = append(a.background, b) }

// OnClose registers cleanup.
func (a *App) OnClose(f func()) { a.closers = append(a.closers, f) }

// Close releases everything.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.DB.Close()
}

func (a *App) routes() {
	a.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": Version})
	})
	a.Mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.DB.Ping(ctx); err != nil {
			slog.Warn("readyz: database not answering", "err", err)
			httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "message": "数据库无响应"})
			return
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	a.Mux.Handle("GET /metrics", promhttp.Handler())
	var (
		specOnce sync.Once
		spec     []byte
		specErr  error
	)
	a.Mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		specOnce.Do(func() { spec, specErr = httpx.OpenAPIJSON(a.API) })
		if specErr != nil {
			httpx.WriteError(w, specErr)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(spec)
	})
	a.Mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusNotFound, httpx.Body(apiNotFound))
	})
	a.Mux.Handle("/", spa(web.FS()))
}

var apiNotFound = apperr.New(apperr.NotFound, "接口不存在")

// spa serves the built app, falling back to index.html for client routes so
// that a reload on /decisions/12 works. Hashed assets are cached long.
func spa(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			httpx.WriteError(w, apperr.New(apperr.NotFound, "页面不存在"))
			return
		}
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" {
			p = "index.html"
		}
		if st, err := fs.Stat(fsys, p); err != nil || st.IsDir() {
			if path.Ext(p) != "" && !strings.HasSuffix(p, ".html") {
				http.NotFound(w, r)
				return
			}
			r = r.Clone(r.Context())
			r.URL.Path = "/"
			w.Header().Set("Cache-Control", "no-cache")
		} else if strings.HasPrefix(p, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// Handler is the full middleware chain around the router.
func (a *App) Handler() http.Handler {
	mws := []httpx.Middleware{
		httpx.ClientInfo(a.Cfg.TrustProxy),
		httpx.Recover,
		httpx.AccessLog,
		httpx.SecurityHeaders,
		// Uploads: the configured file size plus room for the multipart envelope.
		httpx.BodyLimit(a.Cfg.MaxBodyKB*1024, a.Cfg.MaxUploadMB<<20+1<<20),
		httpx.CheckInput,
		csrf,
	}
	mws = append(mws, a.middleware...)
	return httpx.Chain(a.Mux, mws...)
}

// csrf rejects cross-origin state-changing requests (cookie sessions).
func csrf(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusForbidden, map[string]string{"code": "forbidden", "message": "跨站请求被拒绝"})
	}))
	return p.Handler(next)
}

// Front is the HTTP server of a `fazhi serve`, answering from the moment
// the port is bound: while the process waits for the start-up lock, migrates
// and wires, every request gets 503 "正在启动" (so a load balancer's probe is
// refused at once rather than left hanging); Serve hands it the App.
type Front struct {
	ln      net.Listener
	srv     *http.Server
	handler atomic.Pointer[http.Handler]
	errc    chan error
}

// Listen binds addr and starts answering "starting"; a port in use fails
// here, before the database is touched.
func Listen(addr string) (*Front, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	f := &Front{ln: ln, errc: make(chan error, 1)}
	f.srv = &http.Server{
		Handler:           f,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of large evidence files
		WriteTimeout:      5 * time.Minute, // large Excel exports
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	go func() { f.errc <- f.srv.Serve(ln) }()
	return f, nil
}

// Addr is the bound address.
func (f *Front) Addr() net.Addr { return f.ln.Addr() }

// Close stops a Front whose App never started.
func (f *Front) Close() { _ = f.srv.Close() }

// ServeHTTP serves the App once it is handed over, "starting" before.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := f.handler.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Retry-After", "2")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.URL.Path == "/healthz" {
		// Alive, not ready: liveness probes must not restart a process that
		// is waiting for another one's migration.
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "starting", "version": Version})
		return
	}
	httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "starting", "code": "starting", "message": "服务正在启动（等待数据库迁移与初始化），请稍后重试"})
}

// Serve hands f the App's handler, runs the background work, and serves
// until ctx ends, then shuts down gracefully.
func (a *App) Serve(ctx context.Context, f *Front) error {
	h := a.Handler()
	f.handler.Store(&h)
	bgCtx, stopBg := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, b := range a.background {
		wg.Add(1)
		go func() { defer wg.Done(); b(bgCtx) }()
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-f.errc:
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_ = f.srv.Shutdown(shutCtx)
	stopBg()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// IsEmpty reports whether the database holds no demo or user data yet.
func (a *App) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := a.DB.QueryRow(ctx, "SELECT COUNT(*) FROM app_meta WHERE key = 'data_loaded'").Scan(&n)
	return n == 0, err
}

// LoadDemo runs every seeder in wiring order and marks the database loaded.
func (a *App) LoadDemo(ctx context.Context, scale int) error {
	if scale < 1 {
		scale = 1
	}
	for _, s := range a.seeders {
		start := time.Now()
		if err := s.Run(ctx, scale); err != nil {
			return errors.Join(errors.New("演示数据载入失败（"+s.Name+"）"), err)
		}
		slog.Info("demo loaded", "module", s.Name, "ms", time.Since(start).Milliseconds())
	}
	_, err := a.DB.Exec(ctx, "INSERT INTO app_meta (key, value) VALUES ('data_loaded', 'demo')")
	return err
}

// OpenAPIDocument wires the app on a throwaway SQLite database and returns
// the OpenAPI 3.1 document (used by `fazhi openapi` to generate web types).
func OpenAPIDocument(ctx context.Context) ([]byte, error) {
	dir, err := os.MkdirTemp("", "fazhi-openapi-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	a, err := New(ctx, Config{DB: filepath.Join(dir, "openapi.db")})
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return httpx.OpenAPIJSON(a.API)
}
