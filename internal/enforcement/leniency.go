package enforcement

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
)

// 不罚 / 免罚 / 轻罚 清单 (包容审慎监管): each enforcement body's lists are
// versioned data. A version has its granting document and effective date;
// a version in force is never edited: a revision is a new version, and the
// previous one ends the day before the new one takes effect. A case links to
// the item it applies (with the facts the item's conditions ask), and the
// rules flag a penalty the list excused, or a light penalty above the band.

// LeniencyKinds: what an item grants.
var LeniencyKinds = []Option{{Value: "no_penalty", Label: "不予处罚"}, {Value: "exempt", Label: "免予处罚"}, {Value: "light", Label: "从轻处罚"}}

// LeniencyConditions an item may require of the violation.
var LeniencyConditions = []Option{{Value: "first", Label: "初次违法"}, {Value: "minor", Label: "危害后果轻微"}, {Value: "corrected", Label: "及时改正"}}

// LeniencyList is one version of a body's list.
type LeniencyList struct {
	ID            int64          `json:"id"`
	ListNo        int64          `json:"list_no" doc:"清单编号（各版本相同，为第 1 版的编号）"`
	ListVersion   int            `json:"list_version" doc:"清单版本"`
	BodyID        int64          `json:"body_id"`
	BodyName      string         `json:"body_name"`
	UnitID        int64          `json:"unit_id"`
	UnitName      string         `json:"unit_name"`
	Title         string         `json:"title"`
	GrantingDoc   string         `json:"granting_doc" doc:"印发文件文号"`
	EffectiveFrom string         `json:"effective_from"`
	EffectiveTo   string         `json:"effective_to" doc:"被新版本替代前的最后一天；现行版本为空"`
	InForce       bool           `json:"in_force" doc:"今天有效"`
	Items         []LeniencyItem `json:"items"`
	Version       int64          `json:"version"`
	unitPath      string
}

// LeniencyItem is one item of a list version.
type LeniencyItem struct {
	ID              int64    `json:"id"`
	Seq             int      `json:"seq"`
	Violation       string   `json:"violation" doc:"违法行为"`
	LegalBasis      string   `json:"legal_basis"`
	Conditions      []string `json:"conditions" doc:"适用条件：first 初次违法、minor 危害后果轻微、corrected 及时改正"`
	ConditionsLabel string   `json:"conditions_label"`
	Kind            string   `json:"kind"`
	KindLabel       string   `json:"kind_label"`
	LightMaxFen     int64    `json:"light_max_fen" doc:"从轻处罚的罚款上限（分），仅从轻处罚事项"`
}

// LeniencyItemInput is one item as entered or imported.
type LeniencyItemInput struct {
	Violation   string   `json:"violation"`
	LegalBasis  string   `json:"legal_basis"`
	Conditions  []string `json:"conditions"`
	Kind        string   `json:"kind"`
	LightMaxFen int64    `json:"light_max_fen,omitempty"`
}

// LeniencyInput creates a list, or revises one (a new version when the
// version revised is in force, otherwise in place).
type LeniencyInput struct {
	BodyID        int64               `json:"body_id" doc:"执法主体"`
	Title         string              `json:"title" doc:"清单名称"`
	GrantingDoc   string              `json:"granting_doc" doc:"印发文件文号"`
	EffectiveFrom string              `json:"effective_from" doc:"生效日期 YYYY-MM-DD"`
	Items         []LeniencyItemInput `json:"items"`
	Version       int64               `json:"version,omitempty"`
}

// maxLeniencyItems bounds one list.
const maxLeniencyItems = 2000

// checkLeniency validates in; items' problems are named items[i].field
// (the import maps them to rows).
func (s *Service) checkLeniency(ctx context.Context, in *LeniencyInput) apperr.Fields {
	var v apperr.Fields
	in.Title, in.GrantingDoc, in.EffectiveFrom = strings.TrimSpace(in.Title), strings.TrimSpace(in.GrantingDoc), strings.TrimSpace(in.EffectiveFrom)
	if in.BodyID <= 0 {
		v.Add("body_id", "请选择执法主体")
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		v.Add("title", "请填写清单名称")
	case n > 100:
		v.Add("title", "清单名称不能超过 100 个字")
	}
	switch n := utf8.RuneCountInString(in.GrantingDoc); {
	case n == 0:
		v.Add("granting_doc", "请填写印发文件文号")
	case n > 100:
		v.Add("granting_doc", "印发文件文号不能超过 100 个字")
	}
	// A list may be published ahead of its effective date (up to a year).
	today := s.today(ctx)
	calendar.CheckDate(&v, "effective_from", "生效日期", in.EffectiveFrom, true, calendar.Span{From: earliestCase, To: today.AddDays(366)})
	switch {
	case len(in.Items) == 0:
		v.Add("items", "清单至少要有一项")
	case len(in.Items) > maxLeniencyItems:
		v.Add("items", "一个清单最多 %d 项", maxLeniencyItems)
	}
	for i := range in.Items {
		for _, p := range checkLeniencyItem(&in.Items[i]) {
			v.Add(fmt.Sprintf("items[%d].%s", i, p[0]), "第 %d 项：%s", i+1, p[1])
		}
	}
	return v
}

// checkLeniencyItem validates one item: (field, reason) pairs.
func checkLeniencyItem(it *LeniencyItemInput) [][2]string {
	var out [][2]string
	it.Violation, it.LegalBasis = strings.TrimSpace(it.Violation), strings.TrimSpace(it.LegalBasis)
	switch n := utf8.RuneCountInString(it.Violation); {
	case n == 0:
		out = append(out, [2]string{"violation", "请填写违法行为"})
	case n > 300:
		out = append(out, [2]string{"violation", "违法行为不能超过 300 个字"})
	}
	switch n := utf8.RuneCountInString(it.LegalBasis); {
	case n == 0:
		out = append(out, [2]string{"legal_basis", "请填写法律依据"})
	case n > 500:
		out = append(out, [2]string{"legal_basis", "法律依据不能超过 500 个字"})
	}
	if k, ok := option.Value(LeniencyKinds, strings.TrimSpace(it.Kind)); ok {
		it.Kind = k
	} else {
		out = append(out, [2]string{"kind", "类型应为：" + option.Joined(LeniencyKinds)})
	}
	var conds []string
	for _, c := range it.Conditions {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		code, ok := option.Value(LeniencyConditions, c)
		if !ok {
			out = append(out, [2]string{"conditions", "适用条件应为：" + option.Joined(LeniencyConditions)})
			break
		}
		if !slices.Contains(conds, code) {
			conds = append(conds, code)
		}
	}
	it.Conditions = []string{} // in the options' order
	for _, o := range LeniencyConditions {
		if slices.Contains(conds, o.Value) {
			it.Conditions = append(it.Conditions, o.Value)
		}
	}
	switch {
	case it.LightMaxFen < 0 || it.LightMaxFen > 1_000_000_000_00:
		out = append(out, [2]string{"light_max_fen", "从轻处罚上限应在 0 至 10 亿元之间"})
	case it.Kind == "light" && it.LightMaxFen <= 0:
		out = append(out, [2]string{"light_max_fen", "从轻处罚事项请填写罚款上限"})
	case it.Kind != "light" && it.Kind != "" && it.LightMaxFen != 0:
		out = append(out, [2]string{"light_max_fen", "只有从轻处罚事项填写罚款上限"})
	}
	if (it.Kind == "no_penalty" || it.Kind == "exempt") && len(it.Conditions) == 0 {
		out = append(out, [2]string{"conditions", "不予处罚、免予处罚事项请填写适用条件"})
	}
	return out
}

// CreateLeniencyList adds a new list (its version 1) for a body.
func (s *Service) CreateLeniencyList(ctx context.Context, in LeniencyInput) (*LeniencyList, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := s.bodyInScope(ctx, in.BodyID, PermWrite); err != nil {
		return nil, err
	}
	if err := s.checkLeniency(ctx, &in).Err(); err != nil {
		return nil, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = s.insertLeniency(ctx, tx, in, 0, 1)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.GetLeniencyList(ctx, id)
}

// insertLeniency writes a list version with its items and audit event.
func (s *Service) insertLeniency(ctx context.Context, tx *db.Tx, in LeniencyInput, listNo int64, listVersion int) (int64, error) {
	b, err := s.st.body(ctx, tx, in.BodyID)
	if apperr.Is(err, apperr.NotFound) {
		return 0, apperr.Field("body_id", "执法主体不存在")
	}
	if err != nil {
		return 0, err
	}
	if _, err := auth.RequireIn(ctx, PermWrite, b.unitPath); err != nil {
		return 0, err
	}
	id, err := s.st.insertLeniencyList(ctx, tx, in, b.UnitID, listNo, listVersion, s.actorID(ctx), s.clock(ctx))
	if err != nil {
		return 0, err
	}
	if err := s.st.insertLeniencyItems(ctx, tx, id, in.Items); err != nil {
		return 0, err
	}
	l, err := s.st.leniencyList(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, tx, audit.Event{Action: "enforcement.leniency.create", ObjectType: "enforcement_leniency_list", ObjectID: itoa(id), UnitID: b.UnitID,
		Summary: fmt.Sprintf("登记%s「%s」第 %d 版（%s，%s 起施行，%d 项）", b.Name, in.Title, listVersion, in.GrantingDoc, in.EffectiveFrom, len(in.Items)), After: l})
}

// ReviseLeniencyList changes the latest version of a list: a version in
// force (or already past its effective date) stays as it is and a new
// version is added, taking effect on in.EffectiveFrom (after the old one's);
// a version not yet in force is edited in place.
func (s *Service) ReviseLeniencyList(ctx context.Context, id int64, in LeniencyInput) (*LeniencyList, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	v := s.checkLeniency(ctx, &in)
	today := s.today(ctx).String()
	newID := id
	_, err := update.Run(ctx, s.db, in.Version, update.Update[*LeniencyList]{
		Load: func(ctx context.Context, tx *db.Tx) (*LeniencyList, error) {
			l, err := s.st.leniencyList(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermWrite, l.unitPath)
			return l, err
		},
		Version: func(l *LeniencyList) int64 { return l.Version },
		Change: func(ctx context.Context, tx *db.Tx, lp **LeniencyList) (audit.Event, error) {
			l := *lp
			if l.EffectiveTo != "" {
				return audit.Event{}, apperr.New(apperr.Conflict, "这是已被替代的历史版本（施行至 %s），请修改现行版本", l.EffectiveTo)
			}
			if in.BodyID != l.BodyID {
				v.Add("body_id", "清单所属执法主体不能更改")
			}
			inForce := l.EffectiveFrom <= today
			if inForce && in.EffectiveFrom <= l.EffectiveFrom {
				v.Add("effective_from", "第 %d 版已于 %s 施行，修订后的新版本生效日期应晚于该日", l.ListVersion, l.EffectiveFrom)
			}
			if err := v.Err(); err != nil {
				return audit.Event{}, err
			}
			if !inForce {
				return audit.Event{Action: "enforcement.leniency.update", ObjectType: "enforcement_leniency_list", ObjectID: itoa(id), UnitID: l.UnitID,
					Summary: fmt.Sprintf("修改尚未施行的「%s」第 %d 版", in.Title, l.ListVersion)}, nil
			}
			cp := *l
			cp.EffectiveTo = date(in.EffectiveFrom).AddDays(-1).String()
			*lp = &cp
			return audit.Event{Action: "enforcement.leniency.supersede", ObjectType: "enforcement_leniency_list", ObjectID: itoa(id), UnitID: l.UnitID,
				Summary: fmt.Sprintf("「%s」第 %d 版施行至 %s，由第 %d 版替代", l.Title, l.ListVersion, cp.EffectiveTo, l.ListVersion+1)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, l *LeniencyList, loaded int64) (bool, error) {
			if l.EffectiveTo != "" {
				return s.st.endLeniencyList(ctx, tx, id, loaded, l.EffectiveTo, s.clock(ctx))
			}
			ok, err := s.st.updateLeniencyList(ctx, tx, id, loaded, in, s.clock(ctx))
			if err != nil || !ok {
				return ok, err
			}
			return true, s.st.replaceLeniencyItems(ctx, tx, id, in.Items)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *LeniencyList) (*LeniencyList, error) {
			return s.st.leniencyList(ctx, tx, id)
		},
		After: func(ctx context.Context, tx *db.Tx, l *LeniencyList) error {
			if l.EffectiveTo == "" {
				return nil
			}
			var err error
			newID, err = s.insertLeniency(ctx, tx, in, l.ListNo, l.ListVersion+1)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return s.GetLeniencyList(ctx, newID)
}

// GetLeniencyList reads a list version with its items.
func (s *Service) GetLeniencyList(ctx context.Context, id int64) (*LeniencyList, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	l, err := s.st.leniencyList(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, l.unitPath) {
		return nil, apperr.New(apperr.NotFound, "清单不存在或无权查看")
	}
	if l.Items, err = s.st.leniencyItems(ctx, s.db, id); err != nil {
		return nil, err
	}
	l.InForce = inForceOn(l.EffectiveFrom, l.EffectiveTo, s.today(ctx).String())
	return l, nil
}

func inForceOn(from, to, day string) bool { return from <= day && (to == "" || day <= to) }

// LeniencyFilter narrows the lists.
type LeniencyFilter struct {
	BodyID  int64 `query:"body_id" doc:"执法主体"`
	Current bool  `query:"current" doc:"只看各清单的最新版本"`
}

// ListLeniencyLists pages the list versions in scope (items not included).
func (s *Service) ListLeniencyLists(ctx context.Context, f LeniencyFilter, req db.ListReq) (db.Paged[LeniencyList], error) {
	l, err := s.leniencySQL(ctx, f)
	if err != nil {
		return db.Paged[LeniencyList]{Items: []LeniencyList{}}, err
	}
	today := s.today(ctx).String()
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (LeniencyList, error) {
		x, err := scanLeniency(sc)
		x.InForce = inForceOn(x.EffectiveFrom, x.EffectiveTo, today)
		return *x, err
	}, func(x LeniencyList) []any { return []any{x.ID} })
}

func (s *Service) leniencySQL(ctx context.Context, f LeniencyFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "l.unit_id")
	conds := []string{scope}
	if f.BodyID > 0 {
		conds = append(conds, "l.body_id = ?")
		args = append(args, f.BodyID)
	}
	if f.Current {
		conds = append(conds, "l.effective_to = ''")
	}
	return db.ListSQL{Cols: leniencyCols, From: leniencyFrom, CountFrom: "enforcement_leniency_lists l", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "l.id", Desc: true}}}, nil
}

// CaseLeniency is the list item a case applies and the facts of the case
// its conditions ask.
type CaseLeniency struct {
	ItemID         int64        `json:"item_id"`
	Item           LeniencyItem `json:"item"`
	ListID         int64        `json:"list_id"`
	ListTitle      string       `json:"list_title"`
	ListVersion    int          `json:"list_version"`
	EffectiveFrom  string       `json:"effective_from"`
	EffectiveTo    string       `json:"effective_to"`
	BodyID         int64        `json:"body_id"`
	FirstViolation bool         `json:"first_violation" doc:"初次违法"`
	Minor          bool         `json:"minor" doc:"危害后果轻微"`
	Corrected      bool         `json:"corrected" doc:"及时改正"`
}

// meets: the case has every condition the item asks.
func (l *CaseLeniency) meets() bool {
	for _, c := range l.Item.Conditions {
		if (c == "first" && !l.FirstViolation) || (c == "minor" && !l.Minor) || (c == "corrected" && !l.Corrected) {
			return false
		}
	}
	return true
}

// CaseLeniencyInput links a case to a list item (ItemID 0 removes the link).
type CaseLeniencyInput struct {
	ItemID         int64 `json:"item_id" doc:"适用的清单事项；0 表示不适用"`
	FirstViolation bool  `json:"first_violation,omitempty"`
	Minor          bool  `json:"minor,omitempty"`
	Corrected      bool  `json:"corrected,omitempty"`
	Version        int64 `json:"version" doc:"案件版本号"`
}

// SetCaseLeniency links a case to the list item applied: an item of the
// case's body, in a list version in force on the filing day. The case's
// version moves, and the rules run again.
func (s *Service) SetCaseLeniency(ctx context.Context, caseID int64, in CaseLeniencyInput) (*CaseInclusive, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	_, err := update.Run(ctx, s.db, in.Version, update.Update[*Case]{
		Load: func(ctx context.Context, tx *db.Tx) (*Case, error) {
			c, err := s.st.caseRow(ctx, tx, caseID)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermWrite, c.unitPath)
			return c, err
		},
		Version: func(c *Case) int64 { return c.Version },
		Change: func(ctx context.Context, tx *db.Tx, cp **Case) (audit.Event, error) {
			c := *cp
			ev := audit.Event{Action: "enforcement.case.leniency", ObjectType: "enforcement_case", ObjectID: itoa(caseID), UnitID: c.UnitID}
			if in.ItemID == 0 {
				ev.Summary = fmt.Sprintf("案件 %s 取消适用不罚轻罚清单", c.Code)
				return ev, nil
			}
			l, err := s.st.leniencyOfItem(ctx, tx, in.ItemID)
			if apperr.Is(err, apperr.NotFound) {
				return ev, apperr.Field("item_id", "清单事项不存在")
			}
			if err != nil {
				return ev, err
			}
			if l.BodyID != c.BodyID {
				return ev, apperr.Field("item_id", "清单事项不属于本案执法主体「%s」的清单", c.BodyName)
			}
			if !inForceOn(l.EffectiveFrom, l.EffectiveTo, c.FiledOn) {
				to := l.EffectiveTo
				if to == "" {
					to = "今"
				}
				return ev, apperr.Field("item_id", "「%s」第 %d 版施行期间为 %s 至 %s，立案日 %s 不在其内", l.ListTitle, l.ListVersion, l.EffectiveFrom, to, c.FiledOn)
			}
			ev.Summary = fmt.Sprintf("案件 %s 适用「%s」第 %d 版第 %d 项（%s）", c.Code, l.ListTitle, l.ListVersion, l.Item.Seq, l.Item.KindLabel)
			return ev, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Case, loaded int64) (bool, error) {
			var ok bool
			err := CaseTally.Write(ctx, tx, caseID, func() error {
				var err error
				if ok, err = s.st.bumpCase(ctx, tx, caseID, loaded, s.clock(ctx)); err != nil || !ok {
					return err
				}
				return s.st.setCaseLeniency(ctx, tx, caseID, in)
			})
			return ok, err
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Case) (*Case, error) { return s.st.caseRow(ctx, tx, caseID) },
		After:  func(ctx context.Context, tx *db.Tx, _ *Case) error { return s.evaluate(ctx, tx, caseID) },
	})
	if err != nil {
		return nil, err
	}
	return s.GetCaseInclusive(ctx, caseID)
}
