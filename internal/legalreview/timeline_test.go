package legalreview

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The timeline ends with the chain's neutral finish line, the opinion
// letter (number and conclusion) and the requester's adoption feedback,
// each at the time it was recorded.
func TestTimelineShowsLetterAndFeedback(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.open(t, OpenInput{Title: "清河区城市道路占道停车管理规定"})
		f.pass(t, r.ID)
		f.at("2026-10-09")
		f.now = f.now.Add(90 * time.Minute) // 11:30 Shanghai
		r = f.conclude(t, r.ID, ConclusionPassedWithChanges, "第五条缺乏上位法依据，建议删除。", "建议补充听证程序。", "建议明确收费标准的制定主体。")
		if r.ConcludedAt == nil || !r.ConcludedAt.Equal(f.now) || r.FeedbackAt != nil {
			t.Fatalf("concluded_at %v feedback_at %v, want %v and none", r.ConcludedAt, r.FeedbackAt, f.now)
		}
		concludedAt := f.now

		// Before any feedback: chain, then the letter.
		tl := f.timeline(t, r.ID)
		last := tl[len(tl)-1]
		if last.Action != "conclude" || last.Label != "出具法律审查意见书 清河司审〔2026〕1号（修改后通过）" ||
			!last.At.Equal(concludedAt) || last.Actor != "王建国" || last.Opinion != "经审查" {
			t.Fatalf("letter entry %+v", last)
		}
		fin := tl[len(tl)-2]
		if fin.Action != "finish" || fin.Label != "审查流程办结" {
			t.Fatalf("finish entry %+v", fin)
		}

		f.at("2026-10-12")
		if _, err := f.svc.Adopt(f.as(t, "clerk_zjj"), r.ID, AdoptInput{Items: []AdoptionItem{{Seq: 1, Adoption: "adopted"},
			{Seq: 2, Adoption: "adopted"}, {Seq: 3, Adoption: "rejected", Reason: "上位法已明确制定主体"}}, Version: f.ver(t, r.ID)}); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(f.as(t, "clerk_zjj"), r.ID)
		if err != nil || got.FeedbackAt == nil || !got.FeedbackAt.Equal(f.now) {
			t.Fatalf("feedback_at %v (%v)", got.FeedbackAt, err)
		}
		tl = f.timeline(t, r.ID)
		var tail []string
		for _, e := range tl[len(tl)-3:] {
			tail = append(tail, e.Action+" "+e.Label)
		}
		want := []string{"finish 审查流程办结", "conclude 出具法律审查意见书 清河司审〔2026〕1号（修改后通过）", "adopt 送审单位反馈采纳情况（采纳 2 条、未采纳 1 条）"}
		if strings.Join(tail, "|") != strings.Join(want, "|") {
			t.Fatalf("timeline tail\n got %q\nwant %q", tail, want)
		}
		fb := tl[len(tl)-1]
		if !fb.At.Equal(f.now) || fb.Actor != "周建国" || fb.Opinion != "第3条未采纳：上位法已明确制定主体" {
			t.Errorf("feedback entry %+v", fb)
		}
		// Entries are in time order, from submission to feedback.
		for i := 1; i < len(tl); i++ {
			if tl[i].At.Before(tl[i-1].At) {
				t.Errorf("entry %d (%s) at %v before entry %d (%s) at %v", i, tl[i].Label, tl[i].At, i-1, tl[i-1].Label, tl[i-1].At)
			}
		}
		if tl[0].Label != "发起" {
			t.Errorf("first entry %+v", tl[0])
		}

		// A failed review: the chain's finish stays neutral, the letter
		// says 审查不通过.
		r2 := f.open(t, OpenInput{Title: "关于调整停车收费的决定"})
		f.pass(t, r2.ID)
		f.conclude(t, r2.ID, ConclusionFailed, "超越法定权限设定收费项目。")
		tl = f.timeline(t, r2.ID)
		if n := len(tl); tl[n-2].Label != "审查流程办结" || tl[n-1].Label != "出具法律审查意见书 清河司审〔2026〕2号（审查不通过）" {
			t.Fatalf("failed review tail %+v", tl[n-2:])
		}
		for _, e := range tl {
			if strings.Contains(e.Label, "已通过") {
				t.Errorf("a line of a failed review says 已通过: %+v", e)
			}
		}
	})
}

// Reviews concluded before the conclusion and feedback times were kept
// (both NULL) still show the letter, dated by its finish day, and the
// feedback at the time of the latest answer.
func TestTimelineCopesWithoutRecordedTimes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.open(t, OpenInput{Title: "清河区共享单车停放管理办法"})
		f.pass(t, r.ID)
		f.at("2026-10-09")
		f.conclude(t, r.ID, ConclusionPassedWithChanges, "建议删除第八条。", "建议补充过渡期。")
		f.at("2026-10-13")
		if _, err := f.svc.Adopt(f.as(t, "clerk_zjj"), r.ID, AdoptInput{Items: []AdoptionItem{{Seq: 1, Adoption: "partial", Reason: "保留部分内容"}}, Version: f.ver(t, r.ID)}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(context.Background(), "UPDATE legalreviews SET concluded_at = NULL, feedback_at = NULL WHERE id = ?", r.ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(f.as(t, "clerk_zjj"), r.ID)
		if err != nil || got.ConcludedAt != nil || got.FeedbackAt != nil {
			t.Fatalf("times not cleared: %+v %v", got, err)
		}
		tl := f.timeline(t, r.ID)
		n := len(tl)
		letter, fb := tl[n-2], tl[n-1]
		if letter.Action != "conclude" || !letter.At.IsZero() || letter.Date != "2026-10-09" || !strings.Contains(letter.Label, "清河司审〔2026〕1号") {
			t.Fatalf("legacy letter entry %+v", letter)
		}
		if fb.Action != "adopt" || !fb.At.Equal(f.now) || fb.Label != "送审单位反馈采纳情况（部分采纳 1 条、未反馈 1 条）" {
			t.Fatalf("legacy feedback entry %+v", fb)
		}
	})
}

func (f *fixture) timeline(t *testing.T, id int64) []TimelineEntry {
	t.Helper()
	tl, err := f.svc.Timeline(f.as(t, "clerk_zjj"), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) < 3 {
		t.Fatalf("timeline too short: %s", fmt.Sprint(tl))
	}
	return tl
}
