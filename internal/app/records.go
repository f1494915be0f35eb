package app

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/finding"
)

// RecordsLoaded is what LoadRecords added to one register.
type RecordsLoaded struct {
	Register string
	Rows     int64
	Took     time.Duration
}

// LoadRecords adds n fictional records per bulk-capable register, spread over
// the active units of the demo district (run after LoadDemo), then refreshes
// the planner's statistics. The same seed gives the same rows. Registers
// without a bulk generator yet keep their demo data (LoadDemo's --scale).
func (a *App) LoadRecords(ctx context.Context, n int, seed uint64) ([]RecordsLoaded, error) {
	units, err := a.Org.ActiveUnitIDs(ctx)
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, fmt.Errorf("没有可用的单位：请先载入演示数据")
	}
	var out []RecordsLoaded
	start := time.Now()
	rows, err := finding.BulkDemo(ctx, a.DB, n, units, 0, seed)
	if err != nil {
		return out, fmt.Errorf("批量生成问题台账失败：%w", err)
	}
	out = append(out, RecordsLoaded{Register: "问题台账", Rows: rows, Took: time.Since(start)})
	// Bulk rows bypass the write path: the figures' counters are rebuilt
	// from the ledger once.
	start = time.Now()
	if err := finding.FigureTally.Rebuild(ctx, a.DB); err != nil {
		return out, fmt.Errorf("重建指标计数器失败：%w", err)
	}
	out = append(out, RecordsLoaded{Register: "指标计数器", Took: time.Since(start)})
	start = time.Now()
	if err := a.DB.Analyze(ctx); err != nil {
		return out, fmt.Errorf("更新统计信息失败：%w", err)
	}
	out = append(out, RecordsLoaded{Register: "ANALYZE", Took: time.Since(start)})
	return out, nil
}
