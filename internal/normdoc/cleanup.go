package normdoc

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

// CleanupInput opens a clean-up campaign.
type CleanupInput struct {
	UnitID      int64   `json:"unit_id" doc:"组织清理的单位；范围为其及下级单位的现行有效文件"`
	Title       string  `json:"title"`
	Basis       string  `json:"basis" doc:"清理依据"`
	StartedOn   string  `json:"started_on"`
	DocumentIDs []int64 `json:"document_ids" doc:"纳入清理的文件；不填则纳入范围内全部现行有效文件"`
}

// CreateCleanup opens a campaign and lists the documents it covers.
func (s *Service) CreateCleanup(ctx context.Context, in CleanupInput) (*Cleanup, error) {
	a, err := auth.Require(ctx, PermApprove)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		v.Add("title", "请填写清理工作名称")
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择组织清理的单位")
	}
	in.StartedOn = calendar.CheckDate(&v, "started_on", "开始日期", in.StartedOn, true, calendar.Happened(calendar.Date{}, s.today(ctx))).String()
	if err := v.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		path, _, err := s.store.UnitInfo(ctx, tx, in.UnitID)
		if err != nil {
			return apperr.Field("unit_id", "所选单位不存在")
		}
		if _, err := auth.RequireIn(ctx, PermApprove, path); err != nil {
			return err
		}
		c := &Cleanup{UnitID: in.UnitID, Title: in.Title, Basis: strings.TrimSpace(in.Basis), Status: CleanupOpen, StartedOn: in.StartedOn}
		if id, err = s.store.InsertCleanup(ctx, tx, c); err != nil {
			return err
		}
		ids := in.DocumentIDs
		if len(ids) == 0 {
			var w Where
			scope, args := auth.ScopeClause(a, PermApprove, "d.unit_id")
			w.Add(scope, args...)
			w.Add("d.unit_id IN (SELECT su.id FROM org_unit_refs su WHERE su.path LIKE ?)", path+"%")
			w.Add("d.status = ?", string(StatusPublished))
			err := s.store.EachDocument(ctx, tx, w, func(d Document) error {
				ids = append(ids, d.ID)
				return nil
			})
			if err != nil {
				return err
			}
		}
		if err := s.addItems(ctx, tx, id, path, ids); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "normdoc.cleanup.create", ObjectType: "normdoc_cleanup", ObjectID: strconv.FormatInt(id, 10),
			UnitID: in.UnitID, Summary: fmt.Sprintf("开展规范性文件清理“%s”，纳入 %d 件", in.Title, len(ids)), After: c})
	})
	if err != nil {
		return nil, err
	}
	return s.GetCleanup(ctx, id)
}

// addItems adds documents that are in force and inside the campaign's unit.
func (s *Service) addItems(ctx context.Context, q db.Querier, cleanupID int64, unitPath string, ids []int64) error {
	var v apperr.Fields
	for _, docID := range ids {
		d, err := s.store.GetDocument(ctx, q, docID)
		if err != nil {
			v.Add("document_ids", "文件（编号 %d）不存在", docID)
			continue
		}
		path, _, err := s.store.UnitInfo(ctx, q, d.UnitID)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(path, unitPath) || !auth.From(ctx).CanIn(PermApprove, path) {
			v.Add("document_ids", "《%s》不属于本次清理的单位范围", d.Title)
			continue
		}
		if d.Status != StatusPublished {
			v.Add("document_ids", "《%s》%s，不需要清理", d.Title, d.Status.Label())
			continue
		}
		if _, err := s.store.InsertCleanupItem(ctx, q, cleanupID, docID); err != nil {
			return err
		}
	}
	return v.Err()
}

// loadCleanup reads a campaign in tx and checks that the actor may approve
// in its unit (a campaign outside the actor's scope is refused whatever the
// input); it returns the campaign and its unit's path.
func (s *Service) loadCleanup(ctx context.Context, tx *db.Tx, id int64) (*Cleanup, string, error) {
	c, err := s.store.GetCleanup(ctx, tx, id)
	if err != nil {
		return nil, "", err
	}
	path, _, err := s.store.UnitInfo(ctx, tx, c.UnitID)
	if err != nil {
		return nil, "", err
	}
	if _, err := auth.RequireIn(ctx, PermApprove, path); err != nil {
		return nil, "", err
	}
	return c, path, nil
}

func cleanupEvent(id int64, c *Cleanup, summary string) audit.Event {
	return audit.Event{Action: "normdoc.cleanup.update", ObjectType: "normdoc_cleanup", ObjectID: strconv.FormatInt(id, 10),
		UnitID: c.UnitID, Summary: summary + "：" + c.Title}
}

// cleanupTx changes a campaign through update.Run: load and scope check,
// then a zero version is the validation error naming 版本号 and another
// version is a conflict; fn changes the campaign (and may write what goes
// with it in tx), the campaign is written at its version, with the audit
// event before and after.
func (s *Service) cleanupTx(ctx context.Context, id, version int64, fn func(tx *db.Tx, c *Cleanup) (string, error)) (*Cleanup, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	_, err := update.Run(ctx, s.db, version, update.Update[*Cleanup]{
		Load: func(ctx context.Context, tx *db.Tx) (*Cleanup, error) {
			c, _, err := s.loadCleanup(ctx, tx, id)
			return c, err
		},
		Version: func(c *Cleanup) int64 { return c.Version },
		Change: func(ctx context.Context, tx *db.Tx, c **Cleanup) (audit.Event, error) {
			summary, err := fn(tx, *c)
			if err != nil {
				return audit.Event{}, err
			}
			return cleanupEvent(id, *c, summary), nil
		},
		Write: func(ctx context.Context, tx *db.Tx, c *Cleanup, loaded int64) (bool, error) {
			c.Version = loaded
			return s.store.UpdateCleanup(ctx, tx, c)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Cleanup) (*Cleanup, error) {
			return s.store.GetCleanup(ctx, tx, id)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.GetCleanup(ctx, id)
}

// cleanupItemsTx changes a campaign's list (documents added, an item's
// conclusion) without writing the campaign itself, so it takes no version:
// fn writes the items in tx, and the change is audited on the campaign.
func (s *Service) cleanupItemsTx(ctx context.Context, id int64, fn func(tx *db.Tx, c *Cleanup, path string) (string, error)) (*Cleanup, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		c, path, err := s.loadCleanup(ctx, tx, id)
		if err != nil {
			return err
		}
		summary, err := fn(tx, c, path)
		if err != nil {
			return err
		}
		ev := cleanupEvent(id, c, summary)
		ev.Before, ev.After = c, c
		return audit.Record(ctx, tx, ev)
	})
	if err != nil {
		return nil, err
	}
	return s.GetCleanup(ctx, id)
}

// AddCleanupDocuments adds documents to an open campaign.
func (s *Service) AddCleanupDocuments(ctx context.Context, id int64, docIDs []int64) (*Cleanup, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	if len(docIDs) == 0 {
		return nil, apperr.Field("document_ids", "请选择要纳入清理的文件")
	}
	return s.cleanupItemsTx(ctx, id, func(tx *db.Tx, c *Cleanup, path string) (string, error) {
		if c.Status != CleanupOpen {
			return "", apperr.New(apperr.Precondition, "清理工作%s，不能再增加文件", c.Status.Label())
		}
		return fmt.Sprintf("纳入清理文件 %d 件", len(docIDs)), s.addItems(ctx, tx, id, path, docIDs)
	})
}

// DecisionInput records a campaign's conclusion about one document.
type DecisionInput struct {
	Outcome CleanupOutcome `json:"outcome" enum:"keep,amend,repeal"`
	Reason  string         `json:"reason"`
	Date    string         `json:"date"`
}

// DecideItem records keep / amend / repeal with its reason.
func (s *Service) DecideItem(ctx context.Context, id, itemID int64, in DecisionInput) (*Cleanup, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	switch in.Outcome {
	case OutcomeKeep, OutcomeAmend, OutcomeRepeal:
	default:
		v.Add("outcome", "请选择清理结论（继续有效、修改、废止）")
	}
	if strings.TrimSpace(in.Reason) == "" {
		v.Add("reason", "请填写清理理由")
	}
	date := calendar.CheckDate(&v, "date", "决定日期", in.Date, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.cleanupItemsTx(ctx, id, func(tx *db.Tx, c *Cleanup, _ string) (string, error) {
		if c.Status != CleanupOpen {
			return "", apperr.New(apperr.Precondition, "清理工作%s，不能再修改清理结论", c.Status.Label())
		}
		if date.Before(calendar.MustDate(c.StartedOn)) {
			return "", apperr.Field("date", "决定日期不能早于清理开始日期 %s", c.StartedOn)
		}
		it := &CleanupItem{ID: itemID, Outcome: in.Outcome, Reason: strings.TrimSpace(in.Reason), DecidedOn: date.String()}
		ok, err := s.store.UpdateCleanupItem(ctx, tx, it, id)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", apperr.New(apperr.NotFound, "清理清单中没有该文件")
		}
		return "清理结论：" + in.Outcome.Label(), nil
	})
}

// FinishCleanup closes a campaign once every document has a conclusion.
func (s *Service) FinishCleanup(ctx context.Context, id int64, in DateInput) (*Cleanup, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := calendar.CheckDate(&v, "date", "完成日期", in.Date, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.cleanupTx(ctx, id, in.Version, func(tx *db.Tx, c *Cleanup) (string, error) {
		if c.Status != CleanupOpen {
			return "", apperr.New(apperr.Precondition, "清理工作%s", c.Status.Label())
		}
		if c.ItemCount == 0 {
			return "", apperr.New(apperr.Precondition, "清理清单为空，请先纳入文件")
		}
		if left := c.ItemCount - c.Decided; left > 0 {
			return "", apperr.New(apperr.Precondition, "尚有 %d 件文件未作出清理结论，不能完成清理", left)
		}
		if date.Before(calendar.MustDate(c.StartedOn)) {
			return "", apperr.Field("date", "完成日期不能早于开始日期 %s", c.StartedOn)
		}
		c.Status, c.FinishedOn = CleanupFinished, date.String()
		return "完成清理", nil
	})
}

// PublishCleanup publishes the result list; documents concluded "repeal"
// are repealed on the publication date.
func (s *Service) PublishCleanup(ctx context.Context, id int64, in DateInput) (*Cleanup, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := calendar.CheckDate(&v, "date", "公布日期", in.Date, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.cleanupTx(ctx, id, in.Version, func(tx *db.Tx, c *Cleanup) (string, error) {
		if c.Status != CleanupFinished {
			return "", apperr.New(apperr.Precondition, "清理工作完成后才能公布清理结果（当前：%s）", c.Status.Label())
		}
		if date.Before(calendar.MustDate(c.FinishedOn)) {
			return "", apperr.Field("date", "公布日期不能早于完成日期 %s", c.FinishedOn)
		}
		items, err := s.store.CleanupItems(ctx, tx, id)
		if err != nil {
			return "", err
		}
		repealed := 0
		for _, it := range items {
			if it.Outcome != OutcomeRepeal {
				continue
			}
			d, err := s.store.GetDocument(ctx, tx, it.DocumentID)
			if err != nil {
				return "", err
			}
			if d.Status != StatusPublished {
				continue
			}
			before := *d
			d.Status, d.EndedOn, d.EndReason = StatusRepealed, date.String(), "经清理决定废止（"+c.Title+"）："+it.Reason
			ok, err := s.store.UpdateDocument(ctx, tx, d)
			if err != nil {
				return "", err
			}
			if !ok {
				return "", conflict()
			}
			if err := s.scheduleReminders(ctx, tx, d); err != nil {
				return "", err
			}
			if err := audit.Record(ctx, tx, audit.Event{Action: "normdoc.document.repeal", ObjectType: "normdoc", ObjectID: strconv.FormatInt(d.ID, 10),
				UnitID: d.UnitID, Summary: "经清理废止：《" + d.Title + "》", Before: before, After: d}); err != nil {
				return "", err
			}
			repealed++
		}
		c.Status, c.PublishedOn = CleanupPublished, date.String()
		return fmt.Sprintf("公布清理结果（废止 %d 件）", repealed), nil
	})
}

// GetCleanup returns a campaign with its list.
func (s *Service) GetCleanup(ctx context.Context, id int64) (*Cleanup, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	c, err := s.store.GetCleanup(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermRead, s.unitPath(ctx, c.UnitID)); err != nil {
		return nil, err
	}
	if c.Items, err = s.store.CleanupItems(ctx, s.db, id); err != nil {
		return nil, err
	}
	return c, nil
}

// ListCleanups lists campaigns in the actor's scope.
func (s *Service) ListCleanups(ctx context.Context, page db.Page) ([]Cleanup, int, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, 0, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	return s.store.ListCleanups(ctx, s.db, scope, args, false, page)
}

// PublicCleanups lists campaigns whose results were published.
func (s *Service) PublicCleanups(ctx context.Context, page db.Page) ([]Cleanup, int, error) {
	return s.store.ListCleanups(ctx, s.db, "1=1", nil, true, page)
}

// PublicCleanup returns a published campaign's result list.
func (s *Service) PublicCleanup(ctx context.Context, id int64) (*Cleanup, error) {
	c, err := s.store.GetCleanup(ctx, s.db, id)
	if err != nil || c.Status != CleanupPublished {
		return nil, apperr.New(apperr.NotFound, "清理结果不存在或尚未公布")
	}
	if c.Items, err = s.store.CleanupItems(ctx, s.db, id); err != nil {
		return nil, err
	}
	c.UnitID, c.Version = 0, 0
	return c, nil
}
