package casereview

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/docx"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
	xl "fazhi/internal/platform/xlsx"
)

// JobNoticeOverdue is the job kind that escalates a notice whose reply is
// overdue.
const JobNoticeOverdue = "casereview.notice_overdue"

// NoticeInput issues a supervision notice.
type NoticeInput struct {
	Kind        string   `json:"kind" doc:"opinion 监督意见书；suggestion 监督建议书"`
	BodyID      int64    `json:"body_id" doc:"执法主体（主送）"`
	IssuerID    int64    `json:"issuer_id" doc:"签发单位（行政执法监督机构）"`
	Subject     string   `json:"subject" doc:"事由（如 2026 年度案卷评查、群众投诉）"`
	Basis       string   `json:"basis,omitempty" doc:"依据"`
	Items       []string `json:"items" doc:"发现的问题，每项一条，分别登记问题台账"`
	Requirement string   `json:"requirement,omitempty" doc:"整改要求"`
	IssuedOn    string   `json:"issued_on" doc:"签发日期 YYYY-MM-DD"`
}

// DefaultBasis is a notice's basis when none is given.
const DefaultBasis = "《行政执法监督条例》"

// noticePrefix is the 发文机关代字 of the notice number: the place name of
// the issuing 司法局 (清河区司法局 → 清河司法监), or, for a unit named
// without it (区司法局), of the root unit above it (清河区人民政府 → 清河).
func noticePrefix(issuer, root string) string {
	for _, name := range []string{issuer, root} {
		name = strings.TrimSuffix(strings.TrimSuffix(name, "司法局"), "人民政府")
		for _, suffix := range []string{"区", "县", "市"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && base != "" {
				return base + "司法监"
			}
		}
	}
	return "司法监"
}

// rootName is the name of the top unit on path.
func (s *Service) rootName(ctx context.Context, q db.Querier, path string) string {
	first, _, _ := strings.Cut(strings.Trim(path, "/"), "/")
	var name string
	_ = q.QueryRow(ctx, "SELECT name FROM org_unit_refs WHERE id = ?", first).Scan(&name)
	return name
}

// replyDue is the notice's reply deadline (rule casereview.notice_reply
// from the issue day) with its explanation.
func (s *Service) replyDue(day calendar.Date) (calendar.Date, string, error) {
	rule, err := s.rules.Get(RuleNoticeReply)
	if err != nil {
		return calendar.Date{}, "", err
	}
	var c calendar.Clock
	if err := c.Start(rule, day); err != nil {
		return calendar.Date{}, "", err
	}
	due, err := c.Due(s.cal)
	if err != nil {
		return due, "", err
	}
	ex, err := c.Explain(s.cal)
	return due, ex, err
}

// Issue issues a notice to an enforcement body: the next number of the
// year (no gaps: the number is taken in the issuing transaction), the
// reply deadline from the calendar rule, each problem raised in the
// findings ledger for the body's unit, and the escalation job for the
// moment the deadline passes.
func (s *Service) Issue(ctx context.Context, in NoticeInput) (*Notice, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	if k, ok := option.Value(NoticeKinds, strings.TrimSpace(in.Kind)); ok {
		in.Kind = k
	} else {
		v.Add("kind", "文书类别应为：%s", option.Joined(NoticeKinds))
	}
	checkText(&v, "subject", "事由", &in.Subject, true, 200)
	checkText(&v, "basis", "依据", &in.Basis, false, 500)
	checkText(&v, "requirement", "整改要求", &in.Requirement, false, 2000)
	if in.Basis == "" {
		in.Basis = DefaultBasis
	}
	var items []string
	for i := range in.Items {
		t := in.Items[i]
		checkText(&v, fmt.Sprintf("items[%d]", i), "问题", &t, false, 500)
		if t != "" {
			items = append(items, t)
		}
	}
	if len(items) == 0 || len(items) > 50 {
		v.Add("items", "请填写 1 至 50 项发现的问题")
	}
	day := s.checkDay(ctx, &v, "issued_on", "签发日期", in.IssuedOn, true)
	if in.IssuerID == 0 {
		in.IssuerID = a.UnitID
	}
	var body BodyRef
	if in.BodyID <= 0 {
		v.Add("body_id", "请选择执法主体")
	} else if body, err = s.en.Body(ctx, in.BodyID); apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Forbidden) {
		v.Add("body_id", "执法主体不存在或不在您的数据权限范围内")
	} else if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	due, explain, err := s.replyDue(day)
	if err != nil {
		return nil, err
	}
	var out *Notice
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		issuerPath, issuer, err := s.unitIn(ctx, tx, PermManage, in.IssuerID, "issuer_id")
		if err != nil {
			return err
		}
		seq, err := s.st.nextNoticeSeq(ctx, tx, day.Year)
		if err != nil {
			return err
		}
		number := docx.DocNumberText(noticePrefix(issuer, s.rootName(ctx, tx, issuerPath)), day.Year, seq)
		n := &Notice{Year: day.Year, Kind: in.Kind, UnitID: body.UnitID, BodyID: body.ID, BodyName: body.Name, IssuerName: issuer, Subject: in.Subject,
			Basis: in.Basis, Requirement: in.Requirement, IssuedOn: day.String(), ReplyDue: due.String(), DueExplain: explain, Number: number, issuerUnitID: in.IssuerID}
		id, err := s.st.insertNotice(ctx, tx, n, seq, a.UserID, s.clock(ctx))
		if apperr.Is(err, apperr.Conflict) {
			return apperr.New(apperr.Conflict, "文号 %s 刚被同时签发的文书占用，请重试", number)
		}
		if err != nil {
			return err
		}
		for i, t := range items {
			fid, err := s.ledger.Raise(ctx, tx, Raise{Title: t, Source: "supervision_notice", SourceRef: number, UnitID: body.UnitID, FoundOn: day.String(),
				Description: fmt.Sprintf("%s %s（%s）指出：%s", labelOf(NoticeKinds, in.Kind), number, in.Subject, t)})
			if err != nil {
				return err
			}
			if err := s.st.insertNoticeItem(ctx, tx, id, i+1, t, fid); err != nil {
				return err
			}
		}
		if _, _, err := jobs.Enqueue(ctx, tx, jobs.New{Kind: JobNoticeOverdue, UniqueKey: fmt.Sprintf("notice:%d:overdue:%s", id, due), GroupKey: fmt.Sprintf("notice:%d", id),
			RunAt: endOfDay(due), Payload: overduePayload{ID: id, Due: due.String()}}); err != nil {
			return err
		}
		if out, err = s.st.notice(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "casereview.notice.issue", ObjectType: "supervision_notice", ObjectID: itoa(id), UnitID: body.UnitID,
			Summary: fmt.Sprintf("签发%s %s 至 %s，答复期限 %s", labelOf(NoticeKinds, in.Kind), number, body.Name, due), After: out})
	})
	if err != nil {
		return nil, err
	}
	return s.decorateNotice(ctx, out)
}

// endOfDay is the first moment after day in Beijing.
func endOfDay(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, calendar.Shanghai).AddDate(0, 0, 1)
}

type overduePayload struct {
	ID  int64  `json:"id"`
	Due string `json:"due"`
}

// HandleOverdue is the escalation job: a notice still unanswered when its
// deadline has passed is marked escalated (逾期督办) and the overdue reply
// is itself raised in the findings ledger for the body, marked serious.
func (s *Service) HandleOverdue(ctx context.Context, q db.Querier, j *jobs.Job) error {
	var p overduePayload
	if err := j.Decode(&p); err != nil {
		return err
	}
	tx, ok := q.(*db.Tx)
	if !ok {
		return fmt.Errorf("casereview: overdue job outside a transaction")
	}
	return s.escalate(auth.With(ctx, auth.SystemActor("逾期督办")), tx, p.ID, p.Due)
}

func (s *Service) escalate(ctx context.Context, tx *db.Tx, id int64, due string) error {
	n, err := s.st.notice(ctx, tx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	today := s.today(ctx).String()
	if n.Status != NoticeIssued || n.EscalatedOn != "" || n.ReplyDue != due || today <= n.ReplyDue {
		return nil
	}
	fid, err := s.ledger.Raise(ctx, tx, Raise{Title: "逾期未答复" + labelOf(NoticeKinds, n.Kind) + " " + n.Number, Source: "supervision_notice", SourceRef: n.Number,
		UnitID: n.UnitID, FoundOn: today, Serious: true,
		Description: fmt.Sprintf("%s %s 的答复期限为 %s，%s 至今未答复，予以督办。", labelOf(NoticeKinds, n.Kind), n.Number, n.ReplyDue, n.BodyName)})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE supervision_notices SET escalated_on = ?, escalation_finding_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
		today, fid, s.clock(ctx).UTC(), id); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Event{Action: "casereview.notice.escalate", ObjectType: "supervision_notice", ObjectID: itoa(id), UnitID: n.UnitID,
		Summary: fmt.Sprintf("%s 答复期限 %s 已过仍未答复，逾期督办", n.Number, n.ReplyDue)})
}

// ReplyInput records the body's reply.
type ReplyInput struct {
	RepliedOn string `json:"replied_on" doc:"答复日期 YYYY-MM-DD"`
	Reply     string `json:"reply" doc:"答复及整改情况"`
	Version   int64  `json:"version"`
}

// Reply records the body's reply: the body's own unit (casereview.write)
// or the issuing office recording a reply received on paper
// (casereview.manage). Rectification of each problem goes on in the
// findings ledger.
func (s *Service) Reply(ctx context.Context, id int64, in ReplyInput) (*Notice, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	var v apperr.Fields
	day := s.checkDay(ctx, &v, "replied_on", "答复日期", in.RepliedOn, true)
	checkText(&v, "reply", "答复及整改情况", &in.Reply, true, 5000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	n, err := update.Run(ctx, s.db, in.Version, update.Update[*Notice]{
		Load: func(ctx context.Context, tx *db.Tx) (*Notice, error) {
			n, err := s.st.notice(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			a := auth.From(ctx)
			issuerPath, _, err := s.st.unit(ctx, tx, n.issuerUnitID)
			if err != nil {
				return nil, err
			}
			if !a.CanIn(PermWrite, n.unitPath) && !a.CanIn(PermManage, issuerPath) {
				if a.CanIn(PermRead, n.unitPath) || a.CanIn(PermRead, issuerPath) {
					return nil, apperr.New(apperr.Forbidden, "只有被监督单位或签发机关可以登记答复")
				}
				return nil, apperr.New(apperr.NotFound, "监督文书不存在")
			}
			if n.Status != NoticeIssued {
				return nil, apperr.New(apperr.Conflict, "%s 已于 %s 答复", n.Number, n.RepliedOn)
			}
			return n, nil
		},
		Version: func(n *Notice) int64 { return n.Version },
		Change: func(ctx context.Context, tx *db.Tx, nn **Notice) (audit.Event, error) {
			n := *nn
			if day.String() < n.IssuedOn {
				return audit.Event{}, apperr.Field("replied_on", "答复日期不能早于签发日期 %s", n.IssuedOn)
			}
			late := ""
			if day.String() > n.ReplyDue {
				late = "（逾期）"
			}
			return audit.Event{Action: "casereview.notice.reply", ObjectType: "supervision_notice", ObjectID: itoa(id), UnitID: n.UnitID,
				Summary: fmt.Sprintf("登记 %s 的答复：%s%s", n.Number, day, late)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Notice, loaded int64) (bool, error) {
			return s.st.replyNotice(ctx, tx, id, loaded, day.String(), in.Reply, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Notice) (*Notice, error) { return s.st.notice(ctx, tx, id) },
	})
	if err != nil {
		return nil, err
	}
	return s.decorateNotice(ctx, n)
}

// noticeVisible: the body's unit or the issuer's.
func (s *Service) noticeVisible(ctx context.Context, a *auth.Actor, n *Notice) bool {
	if a.CanIn(PermRead, n.unitPath) {
		return true
	}
	path, _, err := s.st.unit(ctx, s.db, n.issuerUnitID)
	return err == nil && a.CanIn(PermRead, path)
}

// GetNotice returns a notice with its items and their rectification state.
func (s *Service) GetNotice(ctx context.Context, id int64) (*Notice, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	n, err := s.st.notice(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !s.noticeVisible(ctx, a, n) {
		return nil, apperr.New(apperr.NotFound, "监督文书不存在")
	}
	return s.decorateNotice(ctx, n)
}

func (s *Service) decorateNotice(ctx context.Context, n *Notice) (*Notice, error) {
	items, err := s.st.noticeItems(ctx, s.db, n.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.FindingID
	}
	states, err := s.ledger.States(ctx, ids)
	if err != nil {
		return nil, err
	}
	n.Rectified = 0
	for i := range items {
		st := states[items[i].FindingID]
		items[i].FindingCode, items[i].Status, items[i].StatusLabel = st.Code, st.Status, st.StatusLabel
		if st.Closed {
			n.Rectified++
		}
	}
	n.Items = items
	decorate(n, s.today(ctx).String())
	return n, nil
}

func decorate(n *Notice, today string) {
	n.KindLabel, n.StatusLabel = labelOf(NoticeKinds, n.Kind), labelOf(NoticeStatuses, n.Status)
	n.RepliedOnTime = n.RepliedOn != "" && n.RepliedOn <= n.ReplyDue
	n.Overdue = n.Status == NoticeIssued && n.ReplyDue < today
}

// NoticeDocument renders the notice in 公文 layout with its number.
func (s *Service) NoticeDocument(ctx context.Context, id int64) ([]byte, string, error) {
	n, err := s.GetNotice(ctx, id)
	if err != nil {
		return nil, "", err
	}
	b, err := renderNotice(n)
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("%s-%s.docx", n.KindLabel, n.Number), nil
}

func renderNotice(n *Notice) ([]byte, error) {
	d, err := docx.New()
	if err != nil {
		return nil, err
	}
	d.Title(n.KindLabel)
	d.DocNumber(n.Number)
	d.Addressee(n.BodyName)
	verb := "现提出如下监督意见"
	if n.Kind == "suggestion" {
		verb = "现提出如下监督建议"
	}
	d.Para(fmt.Sprintf("根据%s的规定，本机关在%s中发现你单位在行政执法工作中存在以下问题，%s：", n.Basis, n.Subject, verb))
	for _, it := range n.Items {
		d.Heading(1, it.Text)
	}
	req := n.Requirement
	if req == "" {
		req = "请你单位对上述问题认真研究，逐项整改，健全相关制度。"
	}
	issued, _ := calendar.ParseDate(n.IssuedOn)
	due, _ := calendar.ParseDate(n.ReplyDue)
	t := func(d calendar.Date) time.Time {
		return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, calendar.Shanghai)
	}
	d.Para(req)
	d.Para(fmt.Sprintf("请于%s前将整改落实情况书面答复本机关。逾期未答复的，本机关将依照有关规定予以督办。", docx.ChineseDate(t(due))))
	d.Signature(n.IssuerName, t(issued))
	d.Colophon(nil, n.IssuerName, t(issued))
	return d.Bytes()
}

// NoticeFilter narrows the notice register.
type NoticeFilter struct {
	Year          int    `query:"year" doc:"年度"`
	Kind          string `query:"kind" doc:"文书类别"`
	Status        string `query:"status" doc:"状态"`
	UnitID        int64  `query:"unit_id" doc:"被监督单位（含下级）"`
	DueFrom       string `query:"due_from" doc:"答复期限起"`
	DueTo         string `query:"due_to" doc:"答复期限止"`
	RepliedOnTime bool   `query:"replied_on_time" doc:"只看按期答复的"`
	Overdue       bool   `query:"overdue" doc:"只看逾期未答复的"`
}

func (s *Service) noticeSQL(ctx context.Context, f NoticeFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := scopeEither(a, PermRead, "n.unit_id", "n.issuer_unit_id")
	conds := []string{scope}
	var v apperr.Fields
	if f.Year != 0 {
		conds = append(conds, "n.year = ?")
		args = append(args, f.Year)
	}
	if f.Kind != "" {
		k, ok := option.Value(NoticeKinds, f.Kind)
		if !ok {
			v.Add("kind", "文书类别应为：%s", option.Joined(NoticeKinds))
		}
		conds = append(conds, "n.kind = ?")
		args = append(args, k)
	}
	if f.Status != "" {
		st, ok := option.Value(NoticeStatuses, f.Status)
		if !ok {
			v.Add("status", "状态应为：%s", option.Joined(NoticeStatuses))
		}
		conds = append(conds, "n.status = ?")
		args = append(args, st)
	}
	if f.UnitID > 0 {
		conds = append(conds, "n.unit_id"+subtree)
		args = append(args, f.UnitID)
	}
	for _, d := range []struct{ field, label, value, cond string }{
		{"due_from", "答复期限起", f.DueFrom, "n.reply_due >= ?"}, {"due_to", "答复期限止", f.DueTo, "n.reply_due <= ?"},
	} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		if day := calendar.CheckDate(&v, d.field, d.label, strings.TrimSpace(d.value), false, calendar.Span{}); !day.IsZero() {
			conds = append(conds, d.cond)
			args = append(args, day.String())
		}
	}
	if f.RepliedOnTime {
		conds = append(conds, "n.replied_on <> '' AND n.replied_on <= n.reply_due")
	}
	if f.Overdue {
		conds = append(conds, "n.status = 'issued' AND n.reply_due < ?")
		args = append(args, s.today(ctx).String())
	}
	if err := v.Err(); err != nil {
		return db.ListSQL{}, err
	}
	return db.ListSQL{Cols: noticeCols, From: noticeFrom, CountFrom: "supervision_notices n", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "n.id", Desc: true}}}, nil
}

// ListNotices pages the notices in scope (without items).
func (s *Service) ListNotices(ctx context.Context, f NoticeFilter, req db.ListReq) (db.Paged[Notice], error) {
	l, err := s.noticeSQL(ctx, f)
	if err != nil {
		return db.Paged[Notice]{Items: []Notice{}}, err
	}
	today := s.today(ctx).String()
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Notice, error) {
		n, err := scanNotice(sc)
		if err != nil {
			return Notice{}, err
		}
		decorate(n, today)
		n.Items = []NoticeItem{}
		return *n, nil
	}, func(n Notice) []any { return []any{n.ID} })
}

// ExportNotices streams the notice register as Excel.
func (s *Service) ExportNotices(ctx context.Context, w io.Writer, f NoticeFilter) error {
	l, err := s.noticeSQL(ctx, f)
	if err != nil {
		return err
	}
	today := s.today(ctx).String()
	cols := []xl.Column{{Title: "文号"}, {Title: "文书类别"}, {Title: "执法主体"}, {Title: "签发单位"}, {Title: "事由"}, {Title: "签发日期", Kind: xl.Date},
		{Title: "答复期限", Kind: xl.Date}, {Title: "状态"}, {Title: "答复日期", Kind: xl.Date}, {Title: "是否按期答复"}, {Title: "逾期督办日期", Kind: xl.Date}, {Title: "答复及整改情况"}}
	return xl.Stream(w, xl.Sheet{Name: "监督文书", Title: "行政执法监督意见书（建议书）台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			n, err := scanNotice(sc)
			if err != nil {
				return err
			}
			decorate(n, today)
			onTime := ""
			switch {
			case n.RepliedOnTime:
				onTime = "是"
			case n.RepliedOn != "" || n.Overdue:
				onTime = "否"
			}
			return add(n.Number, n.KindLabel, n.BodyName, n.IssuerName, n.Subject, n.IssuedOn, n.ReplyDue, n.StatusLabel, n.RepliedOn, onTime, n.EscalatedOn, n.Reply)
		})
	}))
}

// ---- store ----

const noticeCols = `n.id, n.number, n.year, n.kind, n.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), n.body_id, n.body_name, n.issuer_unit_id, n.issuer_name,
n.subject, n.basis, n.requirement, n.issued_on, n.reply_due, n.due_explain, n.status, n.replied_on, n.reply, n.escalated_on, n.escalation_finding_id, n.version`
const noticeFrom = `supervision_notices n LEFT JOIN org_unit_refs u ON u.id = n.unit_id`

func scanNotice(sc db.Scanner) (*Notice, error) {
	var n Notice
	err := sc.Scan(&n.ID, &n.Number, &n.Year, &n.Kind, &n.UnitID, &n.UnitName, &n.unitPath, &n.BodyID, &n.BodyName, &n.issuerUnitID, &n.IssuerName,
		&n.Subject, &n.Basis, &n.Requirement, &n.IssuedOn, &n.ReplyDue, &n.DueExplain, &n.Status, &n.RepliedOn, &n.Reply, &n.EscalatedOn, &n.escalationFind, &n.Version)
	n.KindLabel, n.StatusLabel = labelOf(NoticeKinds, n.Kind), labelOf(NoticeStatuses, n.Status)
	return &n, err
}

func (Store) notice(ctx context.Context, q db.Querier, id int64) (*Notice, error) {
	n, err := scanNotice(q.QueryRow(ctx, "SELECT "+noticeCols+" FROM "+noticeFrom+" WHERE n.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return n, nil
}

// nextNoticeSeq is one more than the year's last number (numbers are taken
// only by committed notices, and (year, seq) is unique).
func (Store) nextNoticeSeq(ctx context.Context, q db.Querier, year int) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM supervision_notices WHERE year = ?", year).Scan(&n)
	return n + 1, err
}

func (Store) insertNotice(ctx context.Context, q db.Querier, n *Notice, seq int, by int64, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO supervision_notices (year, seq, number, kind, unit_id, body_id, body_name, issuer_unit_id, issuer_name, subject, basis, requirement,
issued_on, reply_due, due_explain, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.Year, seq, n.Number, n.Kind, n.UnitID, n.BodyID, n.BodyName, n.issuerUnitID, n.IssuerName, n.Subject, n.Basis, n.Requirement,
		n.IssuedOn, n.ReplyDue, n.DueExplain, by, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) insertNoticeItem(ctx context.Context, q db.Querier, id int64, seq int, text string, findingID int64) error {
	_, err := q.Exec(ctx, "INSERT INTO supervision_notice_items (notice_id, seq, text, finding_id) VALUES (?, ?, ?, ?)", id, seq, text, findingID)
	return db.Classify(err)
}

func (Store) noticeItems(ctx context.Context, q db.Querier, id int64) ([]NoticeItem, error) {
	return db.All(ctx, q, func(sc db.Scanner) (NoticeItem, error) {
		var it NoticeItem
		err := sc.Scan(&it.Seq, &it.Text, &it.FindingID)
		return it, err
	}, "SELECT seq, text, finding_id FROM supervision_notice_items WHERE notice_id = ? ORDER BY notice_id, seq", id)
}

func (Store) replyNotice(ctx context.Context, q db.Querier, id, version int64, on, reply string, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE supervision_notices SET status = 'replied', replied_on = ?, reply = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ? AND status = 'issued'`, on, reply, at.UTC(), id, version))
}
