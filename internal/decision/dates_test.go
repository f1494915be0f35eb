package decision

import (
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// Issue 10 item 6: an entered date in year 0 or far in the future is
// refused naming its field (calendar.CheckDate), never stored.
func TestDatesOutOfRange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		in := StartInput{Title: "城区学校布局规划调整", UnitID: f.dept, DecisionBody: "渝北区人民政府", Reason: "r", Approver: "a"}
		for _, c := range []struct{ on, words string }{
			{"0000-01-01", "启动日期不能早于 1949-01-01"},
			{"9999-12-31", "启动日期不能晚于今天（2026-11-20）"},
		} {
			in.StartedOn = c.on
			_, err := f.s.Start(f.ctx, in)
			e := apperr.As(err)
			if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "started_on" {
				t.Fatalf("started_on %s: want one refusal on started_on, got %v", c.on, err)
			}
			wantErr(t, err, apperr.Invalid, c.words)
		}
		var n int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM decisions").Scan(&n); err != nil || n != 0 {
			t.Fatalf("refused decisions were written: %d %v", n, err)
		}
		// Consultation dates (a plan, not a record) are bounded by the years any date may take.
		det := f.walk(t, StepConsultation)
		_, err := f.s.OpenConsultation(f.ctx, det.ID, ConsultationInput{Version: det.Version, Channels: []string{"政府网站"}, Summary: "征求意见稿", CommentStart: "0000-01-01", CommentEnd: "2026-12-31"})
		wantErr(t, err, apperr.Invalid, "征求意见开始日期不能早于 1949-01-01")
	})
}
