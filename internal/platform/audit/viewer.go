package audit

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
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

// List returns a page of events, newest first (audit.read only).
func List(ctx context.Context, q db.Querier, f Filter, p db.Page) ([]Event, int, error) {
	if _, err := auth.Require(ctx, "audit.read"); err != nil {
		return nil, 0, err
	}
	w, args, err := f.where()
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := p.Limit()
	evs, err := query(ctx, q, w+" ORDER BY seq DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return evs, total, err
}

func query(ctx context.Context, q db.Querier, where string, args ...any) ([]Event, error) {
	return db.All(ctx, q, scanEvent, selectEvent+" WHERE "+where, args...)
}

// MaxExportRows bounds one Excel export.
const MaxExportRows = 100000

// Export writes the filtered events to Excel (audit.read only). The export
// itself is audited.
func Export(ctx context.Context, d *db.DB, f Filter) ([]byte, error) {
	if _, err := auth.Require(ctx, "audit.read"); err != nil {
		return nil, err
	}
	w, args, err := f.where()
	if err != nil {
		return nil, err
	}
	evs, err := query(ctx, d, w+" ORDER BY seq LIMIT ?", append(args, MaxExportRows)...)
	if err != nil {
		return nil, err
	}
	cols := []xlsx.Column{{Title: "序号"}, {Title: "时间", Kind: xlsx.DateTime}, {Title: "操作人"}, {Title: "地址"}, {Title: "操作"},
		{Title: "摘要"}, {Title: "结果"}, {Title: "对象"}, {Title: "修改前", Width: 40}, {Title: "修改后", Width: 40}, {Title: "哈希"}}
	out, err := xlsx.Bytes("审计日志", cols, func(add func(...any) error) error {
		for _, ev := range evs {
			res := "成功"
			if ev.Result != "ok" {
				res = "失败"
			}
			if err := add(ev.Seq, ev.At, ev.ActorName, ev.IP, ev.Action, ev.Summary, res,
				strings.Trim(ev.ObjectType+" "+ev.ObjectID, " "), ev.BeforeJSON, ev.AfterJSON, ev.Hash); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = d.WithTx(ctx, func(tx *db.Tx) error {
		return Record(ctx, tx, Event{Action: "audit.export", ObjectType: "audit", Summary: "导出审计日志 " + strconv.Itoa(len(evs)) + " 条"})
	})
	return out, err
}

type listInput struct {
	Filter
	Page     int `query:"page"`
	PageSize int `query:"page_size"`
}

type listBody struct {
	Items []Event `json:"items"`
	Total int     `json:"total"`
}

type listOutput struct{ Body listBody }

type exportOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type verifyOutput struct{ Body *VerifyResult }

// Register declares the audit viewer's routes (audit.read only). There is
// no route that edits or deletes events. Verify also compares the chain with
// cp's checkpoint file (cp may be nil: no checkpoints).
func Register(api huma.API, d *db.DB, cp *Checkpointer) {
	tags := []string{"审计日志"}
	huma.Register(api, huma.Operation{OperationID: "audit-list", Method: http.MethodGet, Path: "/api/audit/events", Summary: "审计日志", Tags: tags},
		func(ctx context.Context, in *listInput) (*listOutput, error) {
			evs, total, err := List(ctx, d, in.Filter, db.Page{Page: in.Page, Size: in.PageSize})
			if err != nil {
				return nil, err
			}
			return &listOutput{Body: listBody{Items: evs, Total: total}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "audit-export", Method: http.MethodGet, Path: "/api/audit/events/export.xlsx", Summary: "导出审计日志（Excel）", Tags: tags},
		func(ctx context.Context, in *Filter) (*exportOutput, error) {
			b, err := Export(ctx, d, *in)
			if err != nil {
				return nil, err
			}
			day := time.Now().In(shanghai).Format("20060102")
			return &exportOutput{ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				ContentDisposition: files.ContentDisposition("审计日志-"+day+".xlsx", "audit-log-"+day+".xlsx"), Body: b}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "audit-verify", Method: http.MethodGet, Path: "/api/audit/verify", Summary: "校验审计日志哈希链", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*verifyOutput, error) {
			if _, err := auth.Require(ctx, "audit.read"); err != nil {
				return nil, err
			}
			var cps []Checkpoint
			if cp != nil {
				var err error
				if cps, err = ReadCheckpoints(cp.Path()); err != nil {
					return nil, err
				}
			}
			r, err := Verify(ctx, d, cps...)
			if err != nil {
				return nil, err
			}
			return &verifyOutput{Body: r}, nil
		})
}
