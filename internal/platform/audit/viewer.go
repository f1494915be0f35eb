package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"
	"fazhi/internal/platform/xlsx"

	"github.com/danielgtaylor/huma/v2"
)

func init() {
	auth.RegisterPerms("audit", map[string]string{"audit.read": "查看审计日志"})
}

// Filter narrows the audit viewer. Dates are YYYY-MM-DD in Asia/Shanghai.
type Filter struct {
	From   string `query:"from" doc:"开始日期 YYYY-MM-DD"`
	To     string `query:"to" doc:"结束日期 YYYY-MM-DD（含）"`
	Actor  string `query:"actor" doc:"操作人（用户名或姓名包含）"`
	Action string `query:"action" doc:"操作类型前缀，如 auth.login"`
	IP     string `query:"ip"`
	Result string `query:"result" doc:"ok 或 fail"`
	Q      string `query:"q" doc:"摘要包含"`
}

func (f Filter) where() (string, []any, error) {
	conds := []string{"1=1"}
	var args []any
	day := func(field, s string, next bool) (string, error) {
		t, err := time.ParseInLocation("2006-01-02", s, shanghai)
		if err != nil {
			return "", apperr.Field(field, "日期格式应为 YYYY-MM-DD")
		}
		if next {
			t = t.Add(24 * time.Hour)
		}
		return t.UTC().Format(timeLayout), nil
	}
	if f.From != "" {
		v, err := day("from", f.From, false)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, "at >= ?")
		args = append(args, v)
	}
	if f.To != "" {
		v, err := day("to", f.To, true)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, "at < ?")
		args = append(args, v)
	}
	if f.Actor != "" {
		conds = append(conds, "actor_name LIKE ? ESCAPE '\\'")
		args = append(args, db.Like(f.Actor))
	}
	if f.Action != "" {
		conds = append(conds, "action LIKE ? ESCAPE '\\'")
		args = append(args, strings.TrimSuffix(db.Like(f.Action), "%")[1:]+"%")
	}
	if f.IP != "" {
		conds = append(conds, "ip = ?")
		args = append(args, f.IP)
	}
	if f.Result != "" {
		conds = append(conds, "result = ?")
		args = append(args, f.Result)
	}
	if f.Q != "" {
		conds = append(conds, "summary LIKE ? ESCAPE '\\'")
		args = append(args, db.Like(f.Q))
	}
	return strings.Join(conds, " AND "), args, nil
}

// listSQL is the viewer's list: newest first by seq, the primary key, so a
// page at any depth reads only its own rows (db.Fetch's keyset paging and
// capped count; never a whole-table count).
func (f Filter) listSQL() (db.ListSQL, error) {
	w, args, err := f.where()
	return db.ListSQL{Cols: eventCols, From: "audit_events", Where: w, Args: args, Order: []db.Key{{Expr: "seq", Desc: true}}}, err
}

func scanListed(sc db.Scanner) (Event, error) { return scanEvent(sc) }

func eventKeys(ev Event) []any { return []any{ev.Seq} }

// List returns a page of events, newest first (audit.read only).
func List(ctx context.Context, q db.Querier, f Filter, req db.ListReq) (db.Paged[Event], error) {
	if _, err := auth.Require(ctx, "audit.read"); err != nil {
		return db.Paged[Event]{}, err
	}
	l, err := f.listSQL()
	if err != nil {
		return db.Paged[Event]{}, err
	}
	return db.Fetch(ctx, q, l, req, scanListed, eventKeys)
}

// MaxExportRows bounds one Excel export.
const MaxExportRows = 100000

var exportColumns = []xlsx.Column{{Title: "序号"}, {Title: "时间", Kind: xlsx.DateTime}, {Title: "操作人"}, {Title: "地址"}, {Title: "操作"},
	{Title: "摘要"}, {Title: "结果"}, {Title: "对象"}, {Title: "修改前", Width: 40}, {Title: "修改后", Width: 40}, {Title: "哈希"}}

// ExportSQL checks the actor and the filter and records the export in the
// log (before the file is written: the event names the filter, and a
// failed download is still an attempt to take the log out).
func ExportSQL(ctx context.Context, d *db.DB, f Filter) (db.ListSQL, error) {
	if _, err := auth.Require(ctx, "audit.read"); err != nil {
		return db.ListSQL{}, err
	}
	l, err := f.listSQL()
	if err != nil {
		return l, err
	}
	err = d.WithTx(ctx, func(tx *db.Tx) error {
		return Record(ctx, tx, Event{Action: "audit.export", ObjectType: "audit", Summary: "导出审计日志（" + f.describe() + "）"})
	})
	return l, err
}

// ExportTo streams the newest MaxExportRows events of l into an Excel file
// (one cursor, constant memory); a last row says when the filter matched
// more.
func ExportTo(ctx context.Context, d *db.DB, w io.Writer, l db.ListSQL) error {
	return xlsx.Stream(w, xlsx.Sheet{Name: "审计日志", Columns: exportColumns}, xlsx.Rows(func(add func(...any) error) error {
		n := 0
		err := db.Stream(ctx, d, l, func(sc db.Scanner) error {
			if n == MaxExportRows {
				return errExportFull
			}
			ev, err := scanEvent(sc)
			if err != nil {
				return err
			}
			n++
			res := "成功"
			if ev.Result != "ok" {
				res = "失败"
			}
			return add(ev.Seq, ev.At, ev.ActorName, ev.IP, ev.Action, ev.Summary, res,
				strings.Trim(ev.ObjectType+" "+ev.ObjectID, " "), ev.BeforeJSON, ev.AfterJSON, ev.Hash)
		})
		if errors.Is(err, errExportFull) {
			return add(nil, nil, nil, nil, nil, fmt.Sprintf("仅导出了最新的 %d 条事件，请缩小日期范围后分段导出", MaxExportRows))
		}
		return err
	}))
}

var errExportFull = errors.New("export full")

// describe names the filter in the export's audit event.
func (f Filter) describe() string {
	var parts []string
	for _, p := range [][2]string{{"开始", f.From}, {"结束", f.To}, {"操作人", f.Actor}, {"操作", f.Action}, {"地址", f.IP}, {"结果", f.Result}, {"摘要", f.Q}} {
		if p[1] != "" {
			parts = append(parts, p[0]+"："+p[1])
		}
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, "，")
}

type listInput struct {
	Filter
	db.ListReq
}

type listOutput struct{ Body db.Paged[Event] }

type verificationOutput struct{ Body *Verification }

type verificationsOutput struct{ Body []Verification }

// Register declares the audit viewer's routes (audit.read only). There is
// no route that edits or deletes events. The chain verification runs in the
// background (v), compared with the checkpoint file.
func Register(api huma.API, d *db.DB, v *Verifier) {
	tags := []string{"审计日志"}
	huma.Register(api, huma.Operation{OperationID: "audit-list", Method: http.MethodGet, Path: "/api/audit/events", Summary: "审计日志", Tags: tags},
		func(ctx context.Context, in *listInput) (*listOutput, error) {
			p, err := List(ctx, d, in.Filter, in.ListReq)
			if err != nil {
				return nil, err
			}
			return &listOutput{Body: p}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "audit-export", Method: http.MethodGet, Path: "/api/audit/events/export.xlsx", Summary: "导出审计日志（Excel，最新的 100,000 条以内）", Tags: tags},
		func(ctx context.Context, in *Filter) (*huma.StreamResponse, error) {
			l, err := ExportSQL(ctx, d, *in)
			if err != nil {
				return nil, err
			}
			day := time.Now().In(shanghai).Format("20060102")
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				httpx.Download(hc, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
					files.ContentDisposition("审计日志-"+day+".xlsx", "audit-log-"+day+".xlsx"), func(w io.Writer) error {
						return ExportTo(hc.Context(), d, w, l)
					})
			}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "audit-verify", Method: http.MethodPost, Path: "/api/audit/verifications", Summary: "发起审计日志哈希链校验（后台执行）", Tags: tags, DefaultStatus: http.StatusAccepted},
		func(ctx context.Context, _ *struct{}) (*verificationOutput, error) {
			r, err := v.Request(ctx)
			if err != nil {
				return nil, err
			}
			return &verificationOutput{Body: r}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "audit-verifications", Method: http.MethodGet, Path: "/api/audit/verifications", Summary: "最近的哈希链校验及其进度", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*verificationsOutput, error) {
			l, err := v.List(ctx)
			if err != nil {
				return nil, err
			}
			return &verificationsOutput{Body: l}, nil
		})
}
