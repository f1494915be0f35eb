package org

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"

	"github.com/xuri/excelize/v2"
)

func TestExcelExportImportRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		sys := auth.With(context.Background(), auth.SystemActor("test"))
		b, err := s.ExportUnits(sys)
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(unitSheet)
		if len(rows) != 100 || rows[1][1] != "清河区人民政府" {
			t.Fatalf("export: %d rows, first %v", len(rows), rows[1])
		}
		// Re-importing the export changes nothing.
		rep, err := s.ImportUnits(sys, b, false)
		if err != nil || rep.Created != 0 || rep.Updated != 0 || len(rep.Problems) != 0 {
			t.Fatalf("re-import: %+v %v", rep, err)
		}
		// A batch with one bad row writes nothing and names the row and column.
		f.SetSheetRow(unitSheet, "A101", &[]any{"QH299000", "新城街道", "镇街", "QH000000", 200, "启用"})
		f.SetSheetRow(unitSheet, "A102", &[]any{"QH299001", "新城社区", "社区", "QH299000", 1, "启用"})
		f.SetSheetRow(unitSheet, "A103", &[]any{"QH299002", "", "星球", "NOPE", "x", "启用"})
		var buf bytes.Buffer
		f.WriteTo(&buf)
		rep, err = s.ImportUnits(sys, buf.Bytes(), false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || len(rep.Problems) != 3 {
			t.Fatalf("bad batch: %+v", rep)
		}
		for _, p := range rep.Problems {
			if p.Row != 103 || p.Sheet != unitSheet {
				t.Fatalf("problem on wrong row: %+v", p)
			}
		}
		if !strings.Contains(rep.Problems[0].Column+rep.Problems[1].Column+rep.Problems[2].Column, "单位类型") {
			t.Fatalf("type problem not reported: %+v", rep.Problems)
		}
		// "Import valid rows": the new town and its community, under each other.
		rep, err = s.ImportUnits(sys, buf.Bytes(), true)
		if err != nil || rep.Created != 2 || rep.Skipped != 1 {
			t.Fatalf("valid rows: %+v %v", rep, err)
		}
		town, _ := s.store.unitByCode(sys, d, "QH299000")
		comm, _ := s.store.unitByCode(sys, d, "QH299001")
		if comm.ParentID != town.ID || !strings.HasPrefix(comm.Path, town.Path) || town.Type != TypeTown || comm.Type != TypeVillage {
			t.Fatalf("imported tree wrong: %+v %+v", town, comm)
		}
	})
}
