package decision

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

// Permissions.
const (
	PermRead    = "decision.read"
	PermWrite   = "decision.write"
	PermApprove = "decision.approve"
	// PermCertify is held for a decision body's unit by the accounts
	// acting for it (its office): the collective decision, the report to
	// the party committee and the publication are the body's own acts
	// (arts. 29–32), never the responsible unit's.
	PermCertify = "decision.certify"
)

func init() {
	auth.RegisterPerms("decision", map[string]string{
		PermRead:    "查看重大行政决策",
		PermWrite:   "办理重大行政决策",
		PermApprove: "审定重大行政决策（目录审定公布、纠错登记）",
		PermCertify: "代表决策机关登记集体讨论决定、党委请示报告和决策公布",
	})
}

// SubjectType is how legality reviews and files name a decision.
const SubjectType = "decision"

// RuleComment is the calendar rule for the public comment period.
const RuleComment = "decision.public_comment"

// ReviewRequest asks the legalreview module to review a decision draft.
type ReviewRequest struct {
	Title     string
	UnitID    int64
	SubjectID int64
	Summary   string
	FileIDs   []int64
}

// ReviewOutcome is the latest legality-review result for a decision.
type ReviewOutcome struct {
	ReviewID   int64
	Status     string // none, pending, passed, passed_with_changes, failed
	FinishedOn string
}

// LegalReviewer is what decision needs from the legalreview module.
type LegalReviewer interface {
	Open(ctx context.Context, r ReviewRequest) (reviewID int64, err error)
	Outcome(ctx context.Context, subjectType string, subjectID int64) (ReviewOutcome, error)
}

// FileSource is what decision needs from the evidence store: reading a
// file for the archive package, and the record a file is attached to (so a
// step cannot cite another record's evidence).
type FileSource interface {
	Open(ctx context.Context, id int64) (name string, body io.ReadCloser, err error)
	Owner(ctx context.Context, id int64) (ownerType string, ownerID int64, err error)
}

// Service holds every rule of the decision procedure.
type Service struct {
	db     *db.DB
	st     Store
	cal    *calendar.Calendar
	rules  *calendar.Registry
	review LegalReviewer
	files  FileSource
	// Now is the clock (tests set it).
	Now func() time.Time
	// Comment limits for the public portal.
	CommentsPerHour int
}

// OrgUnits is the org lookup decisions need: the org service's unscoped
// engine lookup of a unit's name and path (*org.Service implements it).
// A missing unit is apperr.NotFound.
type OrgUnits interface {
	UnitNamePath(ctx context.Context, id int64) (name, path string, err error)
	UnitByNameOrCode(ctx context.Context, nameOrCode string) (id int64, name, path string, err error)
}

// Deps are the Service's collaborators; Units is required, Review and Files
// may be nil.
type Deps struct {
	DB       *db.DB
	Units    OrgUnits
	Calendar *calendar.Calendar
	Rules    *calendar.Registry
	Review   LegalReviewer
	Files    FileSource
}

// NewService builds the Service.
func NewService(d Deps) *Service {
	if d.Calendar == nil {
		d.Calendar = calendar.Default()
	}
	if d.Rules == nil {
		d.Rules = calendar.DefaultRegistry()
	}
	return &Service{db: d.DB, st: Store{units: d.Units}, cal: d.Calendar, rules: d.Rules, review: d.Review, files: d.Files, Now: time.Now, CommentsPerHour: 5}
}

// SetReviewer wires the legalreview module after construction.
func (s *Service) SetReviewer(r LegalReviewer) { s.review = r }

// SetFiles wires the files module after construction.
func (s *Service) SetFiles(f FileSource) { s.files = f }

var timeNow = time.Now

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.now(ctx)) }
func (s *Service) stamp(ctx context.Context) string {
	return s.now(ctx).UTC().Format("2006-01-02T15:04:05Z")
}

// now is the time the service reads: the simulated clock the demo loader
// puts on ctx (platform/clock), otherwise Now.
func (s *Service) now(ctx context.Context) time.Time { return clock.Now(ctx, s.Now) }

func actorName(a *auth.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

// ---- validation helpers ----

// checkDate checks an entered date within the years any date may take
// (calendar.CheckDate: format, 1949–2100, naming the field).
func checkDate(v *apperr.Fields, field, label, value string, required bool) {
	calendar.CheckDate(v, field, label, value, required, calendar.Span{})
}

// checkDone is checkDate for a date that records what has happened (a
// meeting held, a report made, a publication): a day after today is
// refused, naming the field.
func (s *Service) checkDone(ctx context.Context, v *apperr.Fields, field, label, value string, required bool) {
	calendar.CheckDate(v, field, label, value, required, calendar.Happened(calendar.Date{}, s.today(ctx)))
}

func checkText(v *apperr.Fields, field, label, value string, required bool, max int) {
	n := utf8.RuneCountInString(strings.TrimSpace(value))
	if required && n == 0 {
		v.Add(field, "请填写%s", label)
	}
	if n > max {
		v.Add(field, "%s不能超过 %d 字", label, max)
	}
}

func cleanList(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// ---- categories ----

// ListCategories returns the catalogue categories.
func (s *Service) ListCategories(ctx context.Context, activeOnly bool) ([]Category, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.st.ListCategories(ctx, s.db, activeOnly)
}

// CategoryInput creates or edits a category.
type CategoryInput struct {
	Name    string   `json:"name"`
	Kinds   []string `json:"kinds" doc:"事项种类"`
	Sort    int      `json:"sort"`
	Active  *bool    `json:"active,omitempty"`
	Version int      `json:"version"`
}

// SaveCategory creates (id 0) or updates a category.
func (s *Service) SaveCategory(ctx context.Context, id int64, in CategoryInput) (*Category, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	checkText(&v, "name", "类别名称", in.Name, true, 50)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := Category{ID: id, Name: strings.TrimSpace(in.Name), Kinds: cleanList(in.Kinds), Sort: in.Sort, Active: in.Active == nil || *in.Active}
	if id != 0 {
		_, err := update.Run(ctx, s.db, int64(in.Version), update.Update[Category]{
			Load:    func(ctx context.Context, tx *db.Tx) (Category, error) { return s.st.GetCategory(ctx, tx, id) },
			Version: func(c Category) int64 { return int64(c.Version) },
			Change: func(ctx context.Context, tx *db.Tx, old *Category) (audit.Event, error) {
				old.Name, old.Kinds, old.Sort, old.Active = c.Name, c.Kinds, c.Sort, c.Active
				return audit.Event{Action: "decision.category.update", ObjectType: "decision_category", ObjectID: itoa(int(id)), Summary: "决策事项目录类别：" + c.Name}, nil
			},
			Write: func(ctx context.Context, tx *db.Tx, c Category, loaded int64) (bool, error) {
				c.Version = int(loaded)
				return s.st.UpdateCategory(ctx, tx, c)
			},
			Reload: func(ctx context.Context, tx *db.Tx, _ Category) (Category, error) {
				return s.st.GetCategory(ctx, tx, id)
			},
		})
		if err != nil {
			return nil, notFound(err, "类别不存在")
		}
		out, err := s.st.GetCategory(ctx, s.db, id)
		return &out, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if c.ID, err = s.st.CreateCategory(ctx, tx, c); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.category.create", ObjectType: "decision_category", ObjectID: itoa(int(c.ID)), Summary: "决策事项目录类别：" + c.Name, After: c})
	})
	if err != nil {
		return nil, err
	}
	out, err := s.st.GetCategory(ctx, s.db, c.ID)
	return &out, err
}

// ---- catalogues ----

// ListCatalogues lists catalogues visible to the actor.
func (s *Service) ListCatalogues(ctx context.Context, year int, status string, page db.Page) ([]Catalogue, int, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, 0, err
	}
	sc, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	return s.st.ListCatalogues(ctx, s.db, year, status, sc, args, page)
}

// GetCatalogue returns a catalogue with its items.
func (s *Service) GetCatalogue(ctx context.Context, id int64) (*Catalogue, error) {
	c, err := s.loadCatalogue(ctx, s.db, id, PermRead)
	if err != nil {
		return nil, err
	}
	c.Items, err = s.st.ListItems(ctx, s.db, id)
	return c, err
}

func (s *Service) loadCatalogue(ctx context.Context, q db.Querier, id int64, perm string) (*Catalogue, error) {
	if _, err := auth.Require(ctx, perm); err != nil {
		return nil, err
	}
	c, err := s.st.GetCatalogue(ctx, q, id)
	if err != nil {
		return nil, notFound(err, "决策事项目录不存在")
	}
	_, path, err := s.st.UnitRef(ctx, q, c.UnitID)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, perm, path); err != nil {
		return nil, err
	}
	return &c, nil
}

func notFound(err error, msg string) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Wrap(err, apperr.NotFound, "%s", msg)
	}
	return err
}

// CatalogueInput starts a catalogue.
type CatalogueInput struct {
	Year   int    `json:"year"`
	UnitID int64  `json:"unit_id" doc:"编制目录的政府（单位）"`
	Title  string `json:"title"`
}

// CreateCatalogue drafts a new yearly catalogue.
func (s *Service) CreateCatalogue(ctx context.Context, in CatalogueInput) (*Catalogue, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	if in.Year < 2000 || in.Year > 2100 {
		v.Add("year", "请填写正确的年度")
	}
	if in.UnitID == 0 {
		v.Add("unit_id", "请选择编制单位")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	name, path, err := s.st.UnitRef(ctx, s.db, in.UnitID)
	if err != nil {
		return nil, apperr.Field("unit_id", "编制单位不存在")
	}
	if _, err := auth.RequireIn(ctx, PermWrite, path); err != nil {
		return nil, err
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		title = fmt.Sprintf("%s%d年度重大行政决策事项目录", name, in.Year)
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = s.st.CreateCatalogue(ctx, tx, Catalogue{Year: in.Year, UnitID: in.UnitID, Title: title})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.catalogue.create", ObjectType: "decision_catalogue", ObjectID: itoa(int(id)), UnitID: in.UnitID, Summary: "新建" + title})
	})
	if err != nil {
		return nil, err
	}
	return s.GetCatalogue(ctx, id)
}

// ItemInput adds or edits a catalogue item. CatalogueVersion guards the
// catalogue (items change only while it is a draft).
type ItemInput struct {
	CatalogueVersion int    `json:"catalogue_version"`
	CategoryID       int64  `json:"category_id"`
	Kind             string `json:"kind"`
	Title            string `json:"title"`
	UnitID           int64  `json:"unit_id" doc:"承办单位"`
	Basis            string `json:"basis"`
	Planned          string `json:"planned" doc:"计划完成时间"`
	Sort             int    `json:"sort"`
	Version          int    `json:"version"`
}

func (s *Service) checkItem(ctx context.Context, in ItemInput) error {
	var v apperr.Fields
	checkText(&v, "title", "决策事项名称", in.Title, true, 200)
	checkText(&v, "basis", "决策依据", in.Basis, false, 1000)
	checkText(&v, "planned", "计划完成时间", in.Planned, false, 50)
	if in.CategoryID == 0 {
		v.Add("category_id", "请选择事项类别")
	} else if cat, err := s.st.GetCategory(ctx, s.db, in.CategoryID); err != nil {
		v.Add("category_id", "事项类别不存在")
	} else if in.Kind != "" && len(cat.Kinds) > 0 && !slices.Contains(cat.Kinds, in.Kind) {
		v.Add("kind", "事项种类“%s”不属于类别“%s”", in.Kind, cat.Name)
	}
	if in.UnitID == 0 {
		v.Add("unit_id", "请选择承办单位")
	} else if _, _, err := s.st.UnitRef(ctx, s.db, in.UnitID); err != nil {
		v.Add("unit_id", "承办单位不存在")
	}
	return v.Err()
}

// editCatalogue runs one edit of catalogue id at version through the
// platform update path (update.Run): perm in the catalogue's unit, the
// version, fn's rules and change (fn writes the items; a change of an item
// moves the catalogue's version too), the catalogue's versioned write and
// fn's audit event (before/after the catalogue unless fn sets them).
func (s *Service) editCatalogue(ctx context.Context, id int64, version int, perm string, fn func(tx *db.Tx, c *Catalogue) (audit.Event, error)) (*Catalogue, error) {
	if _, err := auth.Require(ctx, perm); err != nil {
		return nil, err
	}
	_, err := update.Run(ctx, s.db, int64(version), update.Update[*Catalogue]{
		Load:    func(ctx context.Context, tx *db.Tx) (*Catalogue, error) { return s.loadCatalogue(ctx, tx, id, perm) },
		Version: func(c *Catalogue) int64 { return int64(c.Version) },
		Change: func(ctx context.Context, tx *db.Tx, c **Catalogue) (audit.Event, error) {
			ev, err := fn(tx, *c)
			ev.ObjectType, ev.ObjectID, ev.UnitID = "decision_catalogue", itoa(int((*c).ID)), (*c).UnitID
			return ev, err
		},
		Write: func(ctx context.Context, tx *db.Tx, c *Catalogue, loaded int64) (bool, error) {
			at := *c
			at.Version = int(loaded)
			return s.st.UpdateCatalogue(ctx, tx, at)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.GetCatalogue(ctx, id)
}

// draftOnly refuses an item change in a catalogue no longer a draft.
func draftOnly(c *Catalogue) error {
	if c.Status != CatalogueDraft {
		return apperr.New(apperr.Precondition, "目录已%s，不能再增删改事项", c.Status.Label())
	}
	return nil
}

// AddItem adds a matter to a draft catalogue.
func (s *Service) AddItem(ctx context.Context, catalogueID int64, in ItemInput) (*Catalogue, error) {
	return s.editCatalogue(ctx, catalogueID, in.CatalogueVersion, PermWrite, func(tx *db.Tx, c *Catalogue) (audit.Event, error) {
		if err := draftOnly(c); err != nil {
			return audit.Event{}, err
		}
		if err := s.checkItem(ctx, in); err != nil {
			return audit.Event{}, err
		}
		it := CatalogueItem{CatalogueID: c.ID, CategoryID: in.CategoryID, Kind: in.Kind, Title: strings.TrimSpace(in.Title), UnitID: in.UnitID, Basis: in.Basis, Planned: in.Planned, Sort: in.Sort}
		id, err := s.st.CreateItem(ctx, tx, it)
		if err != nil {
			return audit.Event{}, err
		}
		return audit.Event{Action: "decision.catalogue.item.create", Summary: "目录增加事项：" + it.Title,
			Before: json.RawMessage("null"), After: map[string]any{"item_id": id, "title": it.Title}}, nil
	})
}

// catalogueItem reads item id of a catalogue (for its catalogue's id).
func (s *Service) catalogueItem(ctx context.Context, id int64) (CatalogueItem, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return CatalogueItem{}, err
	}
	it, err := s.st.GetItem(ctx, s.db, id)
	return it, notFound(err, "目录事项不存在")
}

// UpdateItem edits a matter of a draft catalogue.
func (s *Service) UpdateItem(ctx context.Context, itemID int64, in ItemInput) (*Catalogue, error) {
	it, err := s.catalogueItem(ctx, itemID)
	if err != nil {
		return nil, err
	}
	return s.editCatalogue(ctx, it.CatalogueID, in.CatalogueVersion, PermWrite, func(tx *db.Tx, c *Catalogue) (audit.Event, error) {
		if err := draftOnly(c); err != nil {
			return audit.Event{}, err
		}
		if err := update.RequireVersion(int64(in.Version)); err != nil {
			return audit.Event{}, err
		}
		if err := s.checkItem(ctx, in); err != nil {
			return audit.Event{}, err
		}
		upd := CatalogueItem{ID: itemID, CategoryID: in.CategoryID, Kind: in.Kind, Title: strings.TrimSpace(in.Title), UnitID: in.UnitID, Basis: in.Basis, Planned: in.Planned, Sort: in.Sort, Version: in.Version}
		if ok, err := s.st.UpdateItem(ctx, tx, upd); err != nil || !ok {
			return audit.Event{}, orConflict(err)
		}
		return audit.Event{Action: "decision.catalogue.item.update", Summary: "修改目录事项：" + upd.Title, Before: it, After: upd}, nil
	})
}

// DeleteItem removes a matter from a draft catalogue.
func (s *Service) DeleteItem(ctx context.Context, itemID int64, catalogueVersion, version int) (*Catalogue, error) {
	it, err := s.catalogueItem(ctx, itemID)
	if err != nil {
		return nil, err
	}
	return s.editCatalogue(ctx, it.CatalogueID, catalogueVersion, PermWrite, func(tx *db.Tx, c *Catalogue) (audit.Event, error) {
		if err := draftOnly(c); err != nil {
			return audit.Event{}, err
		}
		if err := update.RequireVersion(int64(version)); err != nil {
			return audit.Event{}, err
		}
		if ok, err := s.st.DeleteItem(ctx, tx, itemID, version); err != nil || !ok {
			return audit.Event{}, orConflict(err)
		}
		return audit.Event{Action: "decision.catalogue.item.delete", Summary: "删除目录事项：" + it.Title, Before: it, After: json.RawMessage("null")}, nil
	})
}

// orConflict is err, or the lost-update conflict when a versioned write
// found its row moved (err nil).
func orConflict(err error) error {
	if err != nil {
		return err
	}
	return update.Conflict()
}

// ApproveInput records the party committee's agreement and approves.
type ApproveInput struct {
	Version       int    `json:"version"`
	PartyAgreedOn string `json:"party_agreed_on" doc:"同级党委同意日期"`
	PartyNote     string `json:"party_note" doc:"党委同意的文件或会议"`
}

// ApproveCatalogue approves a draft catalogue once the party committee's
// agreement is recorded (art. 3: 经同级党委同意后向社会公布).
func (s *Service) ApproveCatalogue(ctx context.Context, id int64, in ApproveInput) (*Catalogue, error) {
	return s.editCatalogue(ctx, id, in.Version, PermApprove, func(tx *db.Tx, c *Catalogue) (audit.Event, error) {
		if c.Status != CatalogueDraft {
			return audit.Event{}, apperr.New(apperr.Precondition, "目录已%s，不能重复审定", c.Status.Label())
		}
		var v apperr.Fields
		if in.PartyAgreedOn == "" {
			return audit.Event{}, apperr.New(apperr.Precondition, "决策事项目录须经同级党委同意后方可审定，请先登记党委同意情况")
		}
		s.checkDone(ctx, &v, "party_agreed_on", "党委同意日期", in.PartyAgreedOn, true)
		checkText(&v, "party_note", "党委同意的文件或会议", in.PartyNote, true, 200)
		if err := v.Err(); err != nil {
			return audit.Event{}, err
		}
		if c.ItemCount == 0 {
			return audit.Event{}, apperr.New(apperr.Precondition, "目录中还没有决策事项，不能审定")
		}
		before := c.Status
		c.Status, c.PartyAgreedOn, c.PartyNote = CatalogueApproved, in.PartyAgreedOn, strings.TrimSpace(in.PartyNote)
		c.ApprovedBy, c.ApprovedAt = actorName(auth.From(ctx)), s.stamp(ctx)
		return audit.Event{Action: "decision.catalogue.approve", Summary: "审定" + c.Title + "（党委同意：" + c.PartyNote + "）", Before: before, After: c.Status}, nil
	})
}

// PublishInput publishes an approved catalogue.
type PublishInput struct {
	Version     int    `json:"version"`
	PublishedOn string `json:"published_on"`
}

// PublishCatalogue publishes an approved catalogue.
func (s *Service) PublishCatalogue(ctx context.Context, id int64, in PublishInput) (*Catalogue, error) {
	return s.editCatalogue(ctx, id, in.Version, PermApprove, func(tx *db.Tx, c *Catalogue) (audit.Event, error) {
		if c.Status == CatalogueDraft {
			return audit.Event{}, apperr.New(apperr.Precondition, "目录未经党委同意并审定，不得公布")
		}
		if c.Status == CataloguePublished {
			return audit.Event{}, apperr.New(apperr.Precondition, "目录已经公布")
		}
		var v apperr.Fields
		s.checkDone(ctx, &v, "published_on", "公布日期", in.PublishedOn, true)
		if err := v.Err(); err != nil {
			return audit.Event{}, err
		}
		c.Status, c.PublishedOn, c.PublishedBy = CataloguePublished, in.PublishedOn, actorName(auth.From(ctx))
		if c.PublishedOn < c.PartyAgreedOn {
			return audit.Event{}, apperr.Field("published_on", "公布日期不能早于党委同意日期 %s", c.PartyAgreedOn)
		}
		return audit.Event{Action: "decision.catalogue.publish", Summary: "公布" + c.Title}, nil
	})
}
