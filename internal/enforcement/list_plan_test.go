package enforcement

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The registers' default order and common filters are served by an index
// (migrations 00250 and 00252) on both databases.
func TestListPlans(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		must := func(l db.ListSQL, err error) db.ListSQL {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		cases := func(flt CaseFilter) db.ListSQL {
			l, _, err := f.s.caseSQL(f.clerk, flt)
			return must(l, err)
		}
		keys := []any{int64(500)}
		idx := func(alias, table string) []string { return []string{alias, table} }
		dbtest.CheckPlans(t, f.d, []dbtest.PlanCase{
			{Name: "cases: whole register", List: cases(CaseFilter{}), Keys: keys, SortOK: true, Indexed: idx("c", "enforcement_cases")},
			{Name: "inspections: whole register", List: must(f.s.inspectionSQL(f.admin, InspectionFilter{})), Keys: keys},
			{Name: "inspections: one unit", List: must(f.s.inspectionSQL(f.clerk, InspectionFilter{})), Keys: keys, SortOK: true, Indexed: idx("x", "enforcement_inspections")},
			{Name: "inspections: one enterprise", List: must(f.s.inspectionSQL(f.admin, InspectionFilter{CreditCode: "91110105MA01ABCD2X"})), Keys: keys, SortOK: true, Indexed: idx("x", "enforcement_inspections")},
			{Name: "inspections: a period", List: must(f.s.inspectionSQL(f.admin, InspectionFilter{From: "2026-01-01", To: "2026-03-31"})), Keys: keys, SortOK: true, Indexed: idx("x", "enforcement_inspections")},
			{Name: "reports: whole register", List: must(f.s.reportSQL(f.admin, ReportFilter{})), Keys: keys},
			{Name: "reports: waiting", List: must(f.s.reportSQL(f.admin, ReportFilter{Status: "submitted"})), Keys: keys, SortOK: true, Indexed: idx("r", "enforcement_penalty_reports")},
			{Name: "reports: one unit", List: must(f.s.reportSQL(f.clerk, ReportFilter{})), Keys: keys, SortOK: true, Indexed: idx("r", "enforcement_penalty_reports")},
			{Name: "leniency lists: one unit", List: must(f.s.leniencySQL(f.clerk, LeniencyFilter{})), Keys: keys, SortOK: true, Indexed: idx("l", "enforcement_leniency_lists")},
			{Name: "leniency lists: one body", List: must(f.s.leniencySQL(f.admin, LeniencyFilter{BodyID: f.body.ID})), Keys: keys, SortOK: true, Indexed: idx("l", "enforcement_leniency_lists")},
		})
	})
}
