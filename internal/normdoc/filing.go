package normdoc

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// FilingInput records 报送备案.
type FilingInput struct {
	FiledOn  string `json:"filed_on"`
	FilingTo string `json:"filing_to" doc:"备案机关，如 清河市人民政府（市司法局）"`
	Version  int64  `json:"version"`
}

// File records the filing with the level above and whether it was within
// the deadline computed at publication.
func (s *Service) File(ctx context.Context, id int64, in FilingInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	filed := calendar.CheckDate(&v, "filed_on", "报送备案日期", in.FiledOn, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
	if strings.TrimSpace(in.FilingTo) == "" {
		v.Add("filing_to", "请填写备案机关")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, "normdoc.document.file", func(tx *db.Tx, d *Document) (string, error) {
		if d.PublishedOn == "" {
			return "", apperr.New(apperr.Precondition, "文件尚未公布，不能报送备案")
		}
		if d.FiledOn != "" {
			return "", apperr.New(apperr.Conflict, "文件已于 %s 报送备案", d.FiledOn)
		}
		if filed.Before(calendar.MustDate(d.PublishedOn)) {
			return "", apperr.Field("filed_on", "报送备案日期不能早于公布日期 %s", d.PublishedOn)
		}
		onTime := d.FilingDue == "" || !filed.After(calendar.MustDate(d.FilingDue))
		d.FiledOn, d.FilingTo, d.FiledOnTime = filed.String(), strings.TrimSpace(in.FilingTo), &onTime
		if err := s.scheduleReminders(ctx, tx, d); err != nil {
			return "", err
		}
		if onTime {
			return "报送备案（按期）", nil
		}
		return "报送备案（逾期，期限 " + d.FilingDue + "）", nil
	})
}

// FilingResultInput records the filing-review conclusion.
type FilingResultInput struct {
	Result  FilingResult `json:"result" enum:"passed,correction,revoked"`
	Date    string       `json:"date"`
	Note    string       `json:"note"`
	Version int64        `json:"version"`
}

// RecordFilingResult records the level above's filing-review result as a
// new history entry. 审查通过 and 予以撤销 are final; after 责令纠正 a new
// result may be recorded only once the issuing body has recorded its
// correction. A revoked document stops being in force on that date.
func (s *Service) RecordFilingResult(ctx context.Context, id int64, in FilingResultInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := calendar.CheckDate(&v, "date", "审查结论日期", in.Date, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
	switch in.Result {
	case FilingPassed:
	case FilingCorrection, FilingRevoked:
		if strings.TrimSpace(in.Note) == "" {
			v.Add("note", "责令纠正或予以撤销的，请填写审查意见")
		}
	default:
		v.Add("result", "请选择备案审查结果（审查通过、责令纠正、予以撤销）")
	}
	if utf8.RuneCountInString(in.Note) > maxFilingNote {
		v.Add("note", "审查意见不能超过%d个字", maxFilingNote)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, "normdoc.document.filing_result", func(tx *db.Tx, d *Document) (string, error) {
		if d.FiledOn == "" {
			return "", apperr.New(apperr.Precondition, "文件尚未报送备案，不能登记备案审查结果")
		}
		hist, err := s.filingHistory(ctx, tx, d)
		if err != nil {
			return "", err
		}
		last, hasLast := lastEvent(hist)
		switch {
		case hasLast && last.Kind == EventResult && last.Result == FilingPassed:
			return "", apperr.New(apperr.Conflict, "备案审查结果“审查通过”已于 %s 登记，是最终结论，不能更改或再次登记", last.Date)
		case hasLast && last.Kind == EventResult && last.Result == FilingRevoked:
			return "", apperr.New(apperr.Conflict, "文件已于 %s 经备案审查予以撤销，是最终结论，不能更改或再次登记", last.Date)
		case hasLast && last.Kind == EventResult && last.Result == FilingCorrection:
			return "", apperr.New(apperr.Precondition, "备案审查结果为“责令纠正”（%s），须先由制定机关登记纠正情况，才能登记新的备案审查结果", last.Date)
		}
		if d.Status == StatusRevoked || d.Status == StatusRepealed {
			return "", apperr.New(apperr.Precondition, "文件%s，不能再登记备案审查结果", d.Status.Label())
		}
		if date.Before(calendar.MustDate(d.FiledOn)) {
			return "", apperr.Field("date", "审查结论日期不能早于报送备案日期 %s", d.FiledOn)
		}
		if hasLast && date.Before(calendar.MustDate(last.Date)) {
			return "", apperr.Field("date", "审查结论日期不能早于纠正完成日期 %s", last.Date)
		}
		e := &FilingEvent{Kind: EventResult, Result: in.Result, Date: date.String(), Note: strings.TrimSpace(in.Note),
			RecordedBy: actorName(ctx), RecordedAt: s.now(ctx).UTC()}
		if err := s.store.InsertFilingEvent(ctx, tx, d.ID, e); err != nil {
			return "", err
		}
		d.FilingResult, d.FilingResultOn, d.FilingResultNote = in.Result, e.Date, e.Note
		if in.Result == FilingRevoked {
			d.Status, d.EndedOn, d.EndReason = StatusRevoked, date.String(), "备案审查予以撤销："+d.FilingResultNote
			if err := s.scheduleReminders(ctx, tx, d); err != nil {
				return "", err
			}
		}
		if hasLast {
			return fmt.Sprintf("纠正后重新登记备案审查结果（第 %d 次）：%s", resultCount(hist)+1, in.Result.Label()), nil
		}
		return "登记备案审查结果：" + in.Result.Label(), nil
	})
}

// CorrectionInput records how the issuing body corrected a document after
// the filing review ordered a correction (责令纠正).
type CorrectionInput struct {
	CorrectedOn      string `json:"corrected_on" doc:"纠正完成日期"`
	CorrectedVersion string `json:"corrected_version" doc:"纠正后的文本，如 修订稿名称、重新公布的文号"`
	Note             string `json:"note" doc:"纠正情况说明"`
	Version          int64  `json:"version"`
}

// Limits on the filing-review texts.
const (
	maxFilingNote       = 2000
	maxCorrectedVersion = 200
)

// RecordCorrection records the issuing body's correction after 责令纠正; a
// new filing-review result may then be recorded.
func (s *Service) RecordCorrection(ctx context.Context, id int64, in CorrectionInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := calendar.CheckDate(&v, "corrected_on", "纠正完成日期", in.CorrectedOn, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
	in.CorrectedVersion, in.Note = strings.TrimSpace(in.CorrectedVersion), strings.TrimSpace(in.Note)
	switch n := utf8.RuneCountInString(in.CorrectedVersion); {
	case n == 0:
		v.Add("corrected_version", "请填写纠正后的文本（修订稿名称或重新公布的文号）")
	case n > maxCorrectedVersion:
		v.Add("corrected_version", "纠正后的文本不能超过%d个字", maxCorrectedVersion)
	}
	switch n := utf8.RuneCountInString(in.Note); {
	case n == 0:
		v.Add("note", "请填写纠正情况说明")
	case n > maxFilingNote:
		v.Add("note", "纠正情况说明不能超过%d个字", maxFilingNote)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "normdoc.document.correction", func(tx *db.Tx, d *Document) (string, error) {
		hist, err := s.filingHistory(ctx, tx, d)
		if err != nil {
			return "", err
		}
		last, ok := lastEvent(hist)
		switch {
		case ok && last.Kind == EventCorrection:
			return "", apperr.New(apperr.Conflict, "已于 %s 登记纠正情况，请等待备案审查机关重新审查并登记结果", last.Date)
		case !ok || last.Result != FilingCorrection:
			return "", apperr.New(apperr.Precondition, "只有备案审查结果为“责令纠正”的文件才需要登记纠正情况")
		}
		if date.Before(calendar.MustDate(last.Date)) {
			return "", apperr.Field("corrected_on", "纠正完成日期不能早于责令纠正日期 %s", last.Date)
		}
		e := &FilingEvent{Kind: EventCorrection, Date: date.String(), CorrectedVersion: in.CorrectedVersion, Note: in.Note,
			RecordedBy: actorName(ctx), RecordedAt: s.now(ctx).UTC()}
		if err := s.store.InsertFilingEvent(ctx, tx, d.ID, e); err != nil {
			return "", err
		}
		return "登记纠正情况（" + e.CorrectedVersion + "）", nil
	})
}

func actorName(ctx context.Context) string {
	a := auth.From(ctx)
	if a == nil {
		return ""
	}
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

// filingHistory reads a document's filing-review history. A result stored
// on the document without a history entry (written by an older version)
// is shown as the history's only entry.
func (s *Service) filingHistory(ctx context.Context, q db.Querier, d *Document) ([]FilingEvent, error) {
	hist, err := s.store.FilingEvents(ctx, q, d.ID)
	if err != nil {
		return nil, err
	}
	if len(hist) == 0 && d.FilingResult != "" {
		hist = append(hist, FilingEvent{Seq: 1, Kind: EventResult, Result: d.FilingResult, Date: d.FilingResultOn, Note: d.FilingResultNote})
	}
	for i := range hist {
		hist[i].Label = hist[i].Result.Label()
		if hist[i].Kind == EventCorrection {
			hist[i].Label = "纠正情况"
		}
	}
	return hist, nil
}

func lastEvent(hist []FilingEvent) (FilingEvent, bool) {
	if len(hist) == 0 {
		return FilingEvent{}, false
	}
	return hist[len(hist)-1], true
}

func resultCount(hist []FilingEvent) int {
	n := 0
	for _, e := range hist {
		if e.Kind == EventResult {
			n++
		}
	}
	return n
}

// filingNext says what the filing review allows next: the rule
// RecordFilingResult and RecordCorrection enforce, for the page.
func filingNext(d *Document, hist []FilingEvent) string {
	if d.FiledOn == "" || d.Status == StatusRepealed || d.Status == StatusRevoked {
		return ""
	}
	last, ok := lastEvent(hist)
	switch {
	case !ok || last.Kind == EventCorrection:
		return NextResult
	case last.Result == FilingCorrection:
		return NextCorrection
	}
	return ""
}

// initialFilingEvent is the history entry of a result that arrives with a
// document (demo data, Excel import).
func initialFilingEvent(d *Document, by string, at time.Time) *FilingEvent {
	return &FilingEvent{Kind: EventResult, Result: d.FilingResult, Date: d.FilingResultOn, Note: d.FilingResultNote, RecordedBy: by, RecordedAt: at.UTC()}
}
