package calstore

import (
	"context"
	"encoding/json"
	"net/http"

	"fazhi/internal/platform/calendar"

	"github.com/danielgtaylor/huma/v2"
)

type yearsOutput struct{ Body *YearList }
type yearOutput struct{ Body *calendar.Year }
type rulesOutput struct {
	Body struct {
		Items []RuleView `json:"items"`
	}
}
type deadlineOutput struct{ Body *DeadlineView }

type yearPath struct {
	Year int `path:"year" doc:"年份"`
}

type importInput struct {
	Body json.RawMessage `doc:"一年的放假安排：{year, source, days:[{date, name, off}]}"`
}

type overrideInput struct {
	Rule string `path:"rule"`
	Body struct {
		N      int    `json:"n" doc:"期限长度"`
		Unit   string `json:"unit" doc:"working_days 工作日 / calendar_days 日 / months 月"`
		Reason string `json:"reason" doc:"调整依据"`
	}
}

type deadlineInput struct {
	Rule string `query:"rule" doc:"规则名，如 disclosure.reply"`
	From string `query:"from" doc:"起算日期 YYYY-MM-DD"`
}

// Register declares the calendar routes.
func (s *Service) Register(api huma.API) {
	tags := []string{"工作日历"}
	huma.Register(api, huma.Operation{OperationID: "calendar-years", Method: http.MethodGet, Path: "/api/calendar/years", Summary: "已录入的年度放假安排", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*yearsOutput, error) {
			l, err := s.Years(ctx)
			if err != nil {
				return nil, err
			}
			return &yearsOutput{Body: l}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "calendar-year", Method: http.MethodGet, Path: "/api/calendar/years/{year}", Summary: "某年放假安排明细", Tags: tags},
		func(ctx context.Context, in *yearPath) (*yearOutput, error) {
			y, err := s.Year(ctx, in.Year)
			if err != nil {
				return nil, err
			}
			return &yearOutput{Body: y}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "calendar-year-import", Method: http.MethodPost, Path: "/api/calendar/years", Summary: "录入或更正一年的放假安排", Tags: tags},
		func(ctx context.Context, in *importInput) (*yearOutput, error) {
			y, err := s.ImportYear(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &yearOutput{Body: y}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "calendar-rules", Method: http.MethodGet, Path: "/api/calendar/rules", Summary: "法定期限规则", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*rulesOutput, error) {
			rs, err := s.Rules(ctx)
			if err != nil {
				return nil, err
			}
			out := &rulesOutput{}
			out.Body.Items = rs
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "calendar-rule-override", Method: http.MethodPut, Path: "/api/calendar/rules/{rule}", Summary: "按本省规定调整期限规则", Tags: tags},
		func(ctx context.Context, in *overrideInput) (*struct{}, error) {
			return nil, s.SetOverride(ctx, in.Rule, calendar.Period{N: in.Body.N, Unit: calendar.Unit(in.Body.Unit)}, in.Body.Reason)
		})
	huma.Register(api, huma.Operation{OperationID: "calendar-deadline", Method: http.MethodGet, Path: "/api/calendar/deadline", Summary: "计算法定期限截止日", Tags: tags},
		func(ctx context.Context, in *deadlineInput) (*deadlineOutput, error) {
			d, err := s.Deadline(ctx, in.Rule, in.From)
			if err != nil {
				return nil, err
			}
			return &deadlineOutput{Body: d}, nil
		})
}
