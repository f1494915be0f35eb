package finding

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// Fictional problems for bulk demo data (benchmarks at scale).
var bulkProblems = []string{
	"行政处罚决定书未载明救济途径", "执法人员未出示执法证件", "案卷缺少送达回证", "罚款未按规定收缴分离",
	"重大执法决定未经法制审核", "执法全过程记录不完整", "行政许可超期办理", "规范性文件未按期报备",
	"行政检查未公示检查事项", "自由裁量基准未适用", "行政复议决定未按期履行", "政务公开信息更新不及时",
	"合同未经合法性审查即签订", "执法主体资格公示信息过期", "投诉举报未按期答复", "行政强制措施未告知当事人权利",
}

// BulkDemo adds n fictional findings, spread over units with a realistic skew
// (a few departments hold most of the ledger), found over the seven years
// before 2026-12-01, most of the older ones closed. The same seed gives the
// same rows. Rows go in through db.CopyIn (COPY on PostgreSQL), which is what
// makes a million rows take seconds: they carry no timeline or audit events
// (bulk demo data for benchmarks, not records someone wrote).
func BulkDemo(ctx context.Context, d *db.DB, n int, units []int64, createdBy int64, seed uint64) (int64, error) {
	if n <= 0 || len(units) == 0 {
		return 0, nil
	}
	var first int64
	if err := d.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM findings").Scan(&first); err != nil {
		return 0, err
	}
	cols := []string{"id", "code", "title", "description", "source", "source_ref", "unit_id", "severity", "found_on", "rectify_due",
		"status", "rectified_on", "closed_on", "created_by", "created_at", "updated_at"}
	return d.CopyIn(ctx, "findings", cols, bulkRows(n, first, units, createdBy, seed))
}

func bulkRows(n int, first int64, units []int64, createdBy int64, seed uint64) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		// Skewed weights: unit i gets weight 1/(i+1), shuffled so that the
		// heavy units are not always the first ones created.
		order := r.Perm(len(units))
		cum := make([]float64, len(units))
		total := 0.0
		for i := range units {
			total += 1 / float64(i+1)
			cum[i] = total
		}
		pick := func() int64 {
			x := r.Float64() * total
			lo, hi := 0, len(cum)-1
			for lo < hi {
				mid := (lo + hi) / 2
				if cum[mid] < x {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			return units[order[lo]]
		}
		end := calendar.NewDate(2026, time.December, 1)
		span := 7 * 365
		for i := range n {
			id := first + int64(i)
			found := end.AddDays(-1 - r.IntN(span))
			due := found.AddDays(30 + r.IntN(60))
			src := Sources[r.IntN(len(Sources))].Value
			sev := Severities[0].Value
			switch x := r.IntN(10); {
			case x == 0:
				sev = Severities[2].Value
			case x < 3:
				sev = Severities[1].Value
			}
			age := end.DaysSince(found)
			closeChance := 40
			if age > 180 {
				closeChance = 85
			}
			status, rectified, closed := string(StatusOpen), any(nil), any(nil)
			if r.IntN(100) < closeChance {
				rd := found.AddDays(5 + r.IntN(90))
				if rd.After(end) {
					rd = end
				}
				status, rectified, closed = string(StatusClosed), rd.String(), rd.AddDays(r.IntN(10)).String()
			}
			at := time.Date(found.Year, found.Month, found.Day, 1+r.IntN(10), r.IntN(60), 0, 0, time.UTC)
			row := []any{id, fmt.Sprintf("WT%d-%05d", found.Year, id), bulkProblems[r.IntN(len(bulkProblems))],
				"（批量演示数据）", src, "", pick(), sev, found.String(), due.String(), status, rectified, closed, createdBy, at, at}
			if !yield(row) {
				return
			}
		}
	}
}
