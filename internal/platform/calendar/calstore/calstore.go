// Package calstore keeps the calendar's administrator-entered data in the
// database — new years' holiday schedules and province overrides of rule
// periods — and serves the 工作日历 admin screen. The calendar package itself
// stays pure; this package loads the stored data into the shared Calendar
// and Registry at start, on every change, and periodically (so that several
// processes converge).
package calstore

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

func init() {
	auth.RegisterPerms("calendar", map[string]string{
		"calendar.write": "维护工作日历与期限规则",
	})
}

// Service manages stored years and overrides.
type Service struct {
	db      *db.DB
	cal     *calendar.Calendar
	rules   *calendar.Registry
	shipped map[int]bool
}

// New returns a Service updating cal and rules in place.
func New(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry) *Service {
	s := &Service{db: d, cal: cal, rules: rules, shipped: map[int]bool{}}
	for _, y := range calendar.ShippedYears() {
		s.shipped[y.Year] = true
	}
	return s
}

// storedYear is one row of calendar_years.
type storedYear struct {
	Year      calendar.Year
	UpdatedBy string
	UpdatedAt time.Time
}

func loadYears(ctx context.Context, q db.Querier) ([]storedYear, error) {
	return db.All(ctx, q, scanYear, "SELECT year, data, updated_by, updated_at FROM calendar_years ORDER BY year")
}

func scanYear(row db.Scanner) (storedYear, error) {
	var (
		n    int
		data string
		sy   storedYear
	)
	if err := row.Scan(&n, &data, &sy.UpdatedBy, &sy.UpdatedAt); err != nil {
		return sy, err
	}
	y, err := calendar.ParseYear([]byte(data))
	if err != nil {
		return sy, fmt.Errorf("数据库中 %d 年的放假安排无效：%w", n, err)
	}
	sy.Year = y
	return sy, nil
}

type storedOverride struct {
	Rule   string
	Period calendar.Period
	Reason string
	By     string
	At     time.Time
}

func loadOverrides(ctx context.Context, q db.Querier) ([]storedOverride, error) {
	return db.All(ctx, q, scanOverride, "SELECT rule, period, unit, reason, updated_by, updated_at FROM calendar_rule_overrides ORDER BY rule")
}

func scanOverride(row db.Scanner) (storedOverride, error) {
	var o storedOverride
	var unit string
	err := row.Scan(&o.Rule, &o.Period.N, &unit, &o.Reason, &o.By, &o.At)
	o.Period.Unit = calendar.Unit(unit)
	return o, err
}

// Load applies stored years and overrides to the shared calendar and rules.
func (s *Service) Load(ctx context.Context) error {
	years, err := loadYears(ctx, s.db)
	if err != nil {
		return err
	}
	for _, y := range years {
		if err := s.cal.AddYear(y.Year); err != nil {
			return err
		}
	}
	ovs, err := loadOverrides(ctx, s.db)
	if err != nil {
		return err
	}
	m := map[string]calendar.Period{}
	for _, o := range ovs {
		m[o.Rule] = o.Period
	}
	if len(m) > 0 {
		// An override for a rule this binary no longer has is logged, not fatal.
		if err := s.rules.ApplyOverrides(m); err != nil {
			slog.Warn("期限规则覆盖配置有误，已忽略", "err", err)
		}
	}
	return nil
}

// Reload runs Load every interval until ctx ends, so that a year entered on
// one process reaches the others.
func (s *Service) Reload(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Load(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("reload calendar", "err", err)
			}
		}
	}
}

// YearSummary is one row of the years screen.
type YearSummary struct {
	Year      int    `json:"year"`
	Source    string `json:"source"`
	Origin    string `json:"origin" doc:"shipped 内置 / entered 管理员录入"`
	Holidays  int    `json:"holidays" doc:"放假天数"`
	MakeUps   int    `json:"make_ups" doc:"调休上班天数"`
	UpdatedBy string `json:"updated_by,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`
}

// YearList lists covered years and flags the first uncovered one.
type YearList struct {
	Items          []YearSummary `json:"items"`
	LastCovered    int           `json:"last_covered"`
	NextUncovered  int           `json:"next_uncovered"`
	ProvisionalMsg string        `json:"provisional_message"`
}

// Years lists every covered year.
func (s *Service) Years(ctx context.Context) (*YearList, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	stored, err := loadYears(ctx, s.db)
	if err != nil {
		return nil, err
	}
	byYear := map[int]storedYear{}
	for _, y := range stored {
		byYear[y.Year.Year] = y
	}
	out := &YearList{Items: []YearSummary{}}
	for _, y := range s.cal.Years() {
		ys := YearSummary{Year: y.Year, Source: y.Source, Origin: "shipped"}
		if st, ok := byYear[y.Year]; ok {
			ys.Origin = "entered"
			ys.UpdatedBy = st.UpdatedBy
			ys.UpdatedAt = st.UpdatedAt.UTC().Format(time.RFC3339)
		}
		for _, d := range y.Days {
			if d.Off {
				ys.Holidays++
			} else {
				ys.MakeUps++
			}
		}
		out.Items = append(out.Items, ys)
		if y.Year > out.LastCovered {
			out.LastCovered = y.Year
		}
	}
	sort.Slice(out.Items, func(i, j int) bool { return out.Items[i].Year > out.Items[j].Year })
	out.NextUncovered = out.LastCovered + 1
	out.ProvisionalMsg = fmt.Sprintf("%d 年放假安排尚未录入：涉及该年的期限按周末和固定日期节日推算，标注为“暂定”。国务院办公厅通知发布后请在此录入。", out.NextUncovered)
	return out, nil
}

// Year returns one year's full schedule.
func (s *Service) Year(ctx context.Context, year int) (*calendar.Year, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	for _, y := range s.cal.Years() {
		if y.Year == year {
			return &y, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "%d 年的放假安排尚未录入", year)
}

// ImportYear validates and stores a year's schedule (JSON in the
// calendar.Year format) and applies it at once. Replacing a shipped year is
// allowed (a corrected notice) and audited with before and after.
func (s *Service) ImportYear(ctx context.Context, data []byte) (*calendar.Year, error) {
	a, err := auth.Require(ctx, "calendar.write")
	if err != nil {
		return nil, err
	}
	y, err := calendar.ParseYear(data)
	if err != nil {
		return nil, err
	}
	canonical, err := json.Marshal(y)
	if err != nil {
		return nil, err
	}
	var before any
	for _, old := range s.cal.Years() {
		if old.Year == y.Year {
			before = old
		}
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE calendar_years SET source = ?, data = ?, updated_by = ?, updated_at = ?, version = version + 1 WHERE year = ?",
			y.Source, string(canonical), a.Name, time.Now().UTC(), y.Year)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.Exec(ctx, "INSERT INTO calendar_years (year, source, data, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)",
				y.Year, y.Source, string(canonical), a.Name, time.Now().UTC()); err != nil {
				return db.Classify(err)
			}
		}
		return audit.Record(ctx, tx, audit.Event{
			Action: "calendar.year.import", ObjectType: "calendar_year", ObjectID: fmt.Sprint(y.Year),
			Summary: fmt.Sprintf("录入 %d 年放假安排（%s）", y.Year, y.Source), Before: before, After: y,
		})
	})
	if err != nil {
		return nil, err
	}
	if err := s.cal.AddYear(y); err != nil {
		return nil, err
	}
	return &y, nil
}

// RuleView is one rule on the rules screen.
type RuleView struct {
	calendar.Rule
	Method string `json:"method"`
	Reason string `json:"override_reason,omitempty"`
}

// Rules lists every rule with its current period.
func (s *Service) Rules(ctx context.Context) ([]RuleView, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	ovs, err := loadOverrides(ctx, s.db)
	if err != nil {
		return nil, err
	}
	reasons := map[string]string{}
	for _, o := range ovs {
		reasons[o.Rule] = o.Reason
	}
	var out []RuleView
	for _, r := range s.rules.All() {
		out = append(out, RuleView{Rule: r, Method: r.Period.Unit.Method(), Reason: reasons[r.Name]})
	}
	return out, nil
}

// SetOverride changes a rule's period for this district or province. A
// reason (the provincial rule that requires it) is mandatory.
func (s *Service) SetOverride(ctx context.Context, rule string, p calendar.Period, reason string) error {
	if _, err := auth.Require(ctx, "calendar.write"); err != nil {
		return err
	}
	var v apperr.Fields
	old, err := s.rules.Get(rule)
	if err != nil {
		v.Add("rule", "没有名为“%s”的期限规则", rule)
	}
	if err := p.Validate(); err != nil {
		for _, f := range apperr.As(err).Fields {
			v.Add(f.Field, "%s", f.Message)
		}
	}
	if reason == "" {
		v.Add("reason", "请填写调整依据（如本省规范性文件备案规定的条款）")
	}
	if err := v.Err(); err != nil {
		return err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM calendar_rule_overrides WHERE rule = ?", rule); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO calendar_rule_overrides (rule, period, unit, reason, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			rule, p.N, string(p.Unit), reason, auth.From(ctx).Name, time.Now().UTC()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{
			Action: "calendar.rule.override", ObjectType: "calendar_rule", ObjectID: rule,
			Summary: fmt.Sprintf("期限规则 %s 调整为 %s（%s）", rule, p, reason), Before: old.Period, After: p,
		})
	})
	if err != nil {
		return err
	}
	return s.rules.Override(rule, p.N, p.Unit)
}

// DeadlineView is a computed deadline for the UI.
type DeadlineView struct {
	Rule        string `json:"rule"`
	Label       string `json:"label"`
	From        string `json:"from"`
	Due         string `json:"due"`
	Provisional bool   `json:"provisional"`
	Explanation string `json:"explanation"`
}

// Deadline computes rule from a trigger date, with its explanation.
func (s *Service) Deadline(ctx context.Context, rule, from string) (*DeadlineView, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	r, err := s.rules.Get(rule)
	if err != nil {
		return nil, apperr.Field("rule", "没有名为“%s”的期限规则", rule)
	}
	d, err := calendar.ParseDate(from)
	if err != nil {
		return nil, apperr.Field("from", "起算日期格式应为 YYYY-MM-DD")
	}
	var c calendar.Clock
	if err := c.Start(r, d); err != nil {
		return nil, err
	}
	st, err := c.Status(s.cal)
	if err != nil {
		return nil, err
	}
	exp, err := c.Explain(s.cal)
	if err != nil {
		return nil, err
	}
	return &DeadlineView{Rule: r.Name, Label: r.Label, From: d.String(), Due: st.Due.String(), Provisional: st.Provisional, Explanation: exp}, nil
}

// LoadYearsDSN opens dsn and returns its stored years, for `fazhi deadline --db`.
func LoadYearsDSN(dsn string) ([]calendar.Year, error) {
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return nil, err
	}
	stored, err := loadYears(ctx, d)
	if err != nil {
		return nil, err
	}
	out := make([]calendar.Year, len(stored))
	for i, y := range stored {
		out[i] = y.Year
	}
	return out, nil
}

// signedIn admits any signed-in user: the holiday schedule and the statutory
// rules are public facts every user needs to read.
func signedIn(ctx context.Context) (*auth.Actor, error) {
	a := auth.From(ctx)
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	return a, nil
}
