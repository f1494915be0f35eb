package disclosure

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fazhi/internal/platform/option"
	"fmt"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"

	"github.com/emmansun/gmsm/sm3"
)

// CreateInput registers a request.
type CreateInput struct {
	UnitID        int64  `json:"unit_id" doc:"办理机关"`
	Channel       string `json:"channel" doc:"申请渠道：in_person 当面、post 邮寄、mail 平常信函、online 网络、fax 传真"`
	ApplicantType string `json:"applicant_type" doc:"申请人类型"`
	ApplicantName string `json:"applicant_name"`
	IDNumber      string `json:"id_number,omitempty" doc:"身份证件号码或统一社会信用代码"`
	Phone         string `json:"phone,omitempty"`
	Address       string `json:"address,omitempty"`
	Content       string `json:"content" doc:"申请公开的政府信息的名称、文号或便于查询的其他特征性描述"`
	Purpose       string `json:"purpose,omitempty"`
	SubmittedOn   string `json:"submitted_on" doc:"申请日期 YYYY-MM-DD（当面提交之日、寄出之日或在线提交之日）"`
	SignedOn      string `json:"signed_on,omitempty" doc:"邮寄申请的签收日期"`
	ConfirmedOn   string `json:"confirmed_on,omitempty" doc:"网络、传真、平常信函申请的双方确认日期"`
}

// earliest is the earliest date the register takes: the 2019 regulation
// took effect on 2019-05-15; an earlier date is a typing error here.
var earliest = calendar.NewDate(2019, 5, 15)

type checked struct {
	in                           CreateInput
	unit                         UnitInfo
	submitted, signed, confirmed calendar.Date
	received                     calendar.Date
	rule                         ReceiptRule
}

// check validates a CreateInput; Create, Import and PublicIntake share it.
// actor nil is the public portal (any active unit may receive a request).
func (s *Service) check(ctx context.Context, actor *auth.Actor, in CreateInput) (*checked, apperr.Fields, error) {
	var v apperr.Fields
	c := &checked{in: in}
	c.in.ApplicantName = checkText(&v, "applicant_name", "申请人姓名或名称", in.ApplicantName, true, maxName)
	c.in.IDNumber = checkText(&v, "id_number", "证件号码", in.IDNumber, false, 30)
	c.in.Phone = checkText(&v, "phone", "联系电话", in.Phone, false, 30)
	c.in.Address = checkText(&v, "address", "通信地址", in.Address, false, 200)
	c.in.Content = checkText(&v, "content", "申请公开的政府信息", in.Content, true, maxText)
	c.in.Purpose = checkText(&v, "purpose", "申请用途", in.Purpose, false, 500)
	if t, ok := option.Value(ApplicantTypes, strings.TrimSpace(in.ApplicantType)); ok {
		c.in.ApplicantType = t
	} else {
		v.Add("applicant_type", "申请人类型「%s」无效，应为：%s", in.ApplicantType, strings.Join(option.Labels(ApplicantTypes), "、"))
	}
	ch, chOK := option.Value(Channels, strings.TrimSpace(in.Channel))
	if !chOK {
		v.Add("channel", "申请渠道「%s」无效，应为：%s", in.Channel, strings.Join(option.Labels(Channels), "、"))
	}
	c.in.Channel = ch
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择办理机关")
	} else if u, err := s.dir.Unit(ctx, in.UnitID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return nil, nil, err
		}
		v.Add("unit_id", "办理机关不存在")
	} else if actor != nil && !actor.CanIn(PermWrite, u.Path) {
		v.Add("unit_id", "无权为「%s」登记申请（不在您的数据权限范围内）", u.Name)
	} else {
		c.unit = u
	}
	today := s.today(ctx)
	span := calendar.Happened(earliest, today)
	c.submitted = calendar.CheckDate(&v, "submitted_on", "申请日期", strings.TrimSpace(in.SubmittedOn), true, span)
	c.signed = calendar.CheckDate(&v, "signed_on", "签收日期", strings.TrimSpace(in.SignedOn), false, span)
	c.confirmed = calendar.CheckDate(&v, "confirmed_on", "确认日期", strings.TrimSpace(in.ConfirmedOn), false, span)
	if chOK && !has(v, "submitted_on", "signed_on", "confirmed_on") {
		d, rule, err := ReceivedOn(ch, c.submitted, c.signed, c.confirmed)
		if err != nil {
			for _, f := range apperr.As(err).Fields {
				v.Add(f.Field, "%s", f.Message)
			}
		}
		c.received, c.rule = d, rule
	}
	return c, v, nil
}

// Create registers a request and starts its reply clock on the receipt
// date its channel's rule gives.
func (s *Service) Create(ctx context.Context, in CreateInput) (*Detail, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	if in.UnitID > 0 {
		if u, err := s.dir.Unit(ctx, in.UnitID); err == nil && !actor.CanIn(PermWrite, u.Path) {
			return nil, apperr.New(apperr.NotFound, "办理机关不存在或不在您的数据权限范围内")
		}
	}
	c, bad, err := s.check(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		id, err = s.insert(ctx, tx, actor.UserID, c, "create")
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// insert writes a checked request with its started clock, its code, the
// timeline entry and the audit event.
func (s *Service) insert(ctx context.Context, tx *db.Tx, by int64, c *checked, action string) (int64, error) {
	reply, err := s.rules.Get(RuleReply)
	if err != nil {
		return 0, err
	}
	corr, err := s.rules.Get(RuleCorrection)
	if err != nil {
		return 0, err
	}
	var clk calendar.Clock
	if err := clk.Start(reply, c.received); err != nil {
		return 0, err
	}
	e := &edit{}
	if err := s.saveClock(e, &clk); err != nil {
		return 0, err
	}
	cr, err := s.cal.Compute(corr.Period, c.received)
	if err != nil {
		return 0, err
	}
	row := insertRow{UnitID: c.unit.ID, Channel: c.in.Channel, ApplicantType: c.in.ApplicantType, ApplicantName: c.in.ApplicantName,
		IDNumber: c.in.IDNumber, Phone: c.in.Phone, Address: c.in.Address, Content: c.in.Content, Purpose: c.in.Purpose,
		SubmittedOn: c.submitted.String(), SignedOn: dateText(c.signed), ConfirmedOn: dateText(c.confirmed), ReceivedOn: c.received.String(),
		Rule: c.rule.Name, Clock: e.args[0].(string), ReplyDue: e.args[1].(string), DueExplain: e.args[2].(string),
		Provisional: e.args[3].(int) == 1, CorrectionDue: cr.Due.String(), StatusCode: StatusProcessing, CreatedBy: by, At: s.clock(ctx)}
	tmp := fmt.Sprintf("tmp-%d-%d", s.clock(ctx).UnixNano(), by)
	id, err := s.st.insert(ctx, tx, row, tmp)
	if err != nil {
		return 0, err
	}
	if err := s.st.setCode(ctx, tx, id, fmt.Sprintf("YSQ%d-%05d", c.received.Year, id)); err != nil {
		return 0, err
	}
	r, err := s.load(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	note := fmt.Sprintf("%s收到申请，答复期限 %s", r.ReceivedOn, r.ReplyDue)
	if err := s.timeline(ctx, tx, id, action, note); err != nil {
		return 0, err
	}
	ev := auditEvent(r, action, note)
	ev.After = r
	return id, audit.Record(ctx, tx, ev)
}

func dateText(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// ---- public portal ----

// PublicInput is an online request from the public portal. The portal
// chooses the receiving agency from the public list of units.
type PublicInput struct {
	UnitID        int64  `json:"unit_id" doc:"受理机关"`
	ApplicantType string `json:"applicant_type"`
	ApplicantName string `json:"applicant_name"`
	IDNumber      string `json:"id_number"`
	Phone         string `json:"phone"`
	Address       string `json:"address"`
	Content       string `json:"content"`
	Purpose       string `json:"purpose"`
}

// PublicReceipt is all the portal learns back: the code to quote, the
// secret query code (shown this once; only its hash is kept) and the dates
// of the statutory clock. No other record, unit path or person leaks.
type PublicReceipt struct {
	Code       string `json:"code" doc:"申请编号"`
	Secret     string `json:"secret" doc:"查询码：凭申请编号和查询码查询办理进度（只显示这一次，请妥善保存）"`
	ReceivedOn string `json:"received_on" doc:"收到申请之日"`
	ReplyDue   string `json:"reply_due" doc:"答复期限"`
}

// PublicIntake registers an online request from the portal (no login).
// The submission is confirmed by the system's receipt on the day it is
// made, so that day is the receipt date (条例 art. 31(3), the online
// receipt rule). Anti-abuse: length limits, required contact details,
// and at most PublicPerHour submissions per address per hour, counted in
// the database by a hash of the address (the address itself is not kept).
func (s *Service) PublicIntake(ctx context.Context, in PublicInput, address string) (*PublicReceipt, error) {
	today := s.today(ctx).String()
	c, bad, err := s.check(ctx, nil, CreateInput{UnitID: in.UnitID, Channel: ChannelOnline, ApplicantType: in.ApplicantType,
		ApplicantName: in.ApplicantName, IDNumber: in.IDNumber, Phone: in.Phone, Address: in.Address, Content: in.Content,
		Purpose: in.Purpose, SubmittedOn: today, ConfirmedOn: today})
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Phone) == "" {
		bad.Add("phone", "请填写联系电话，以便告知补正或答复")
	}
	if strings.TrimSpace(in.IDNumber) == "" {
		bad.Add("id_number", "请填写身份证件号码或统一社会信用代码")
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	hash := hashAddress(address)
	since := s.clock(ctx).Add(-time.Hour).UTC().Format(time.RFC3339)
	pub := auth.With(ctx, auth.SystemActor("公众（网上申请）"))
	var out *PublicReceipt
	err = s.db.WithTx(pub, func(tx *db.Tx) error {
		n, err := s.st.publicSince(pub, tx, hash, since)
		if err != nil {
			return err
		}
		if n >= s.PublicPerHour {
			return apperr.New(apperr.RateLimited, "提交过于频繁：同一地址每小时最多提交 %d 件申请，请稍后再试", s.PublicPerHour)
		}
		id, err := s.insert(pub, tx, 0, c, "public_intake")
		if err != nil {
			return err
		}
		secret := newSecret()
		if err := s.st.addPublic(pub, tx, hash, s.clock(ctx).UTC().Format(time.RFC3339), id, hashSecret(secret)); err != nil {
			return err
		}
		r, err := s.st.request(pub, tx, id)
		if err != nil {
			return err
		}
		out = &PublicReceipt{Code: r.Code, Secret: secret, ReceivedOn: r.ReceivedOn, ReplyDue: r.ReplyDue}
		return nil
	})
	return out, err
}

// PublicStatusView is what the portal shows an applicant who quotes the
// request's code and its secret query code: where the request stands and
// its dates — no personal data, no handler, no internal note.
type PublicStatusView struct {
	Code            string `json:"code" doc:"申请编号"`
	UnitName        string `json:"unit_name" doc:"办理机关"`
	ReceivedOn      string `json:"received_on" doc:"收到申请之日"`
	Status          string `json:"status"`
	StatusLabel     string `json:"status_label" doc:"办理状态"`
	ReplyDue        string `json:"reply_due" doc:"答复期限（征求意见、待缴费期间暂停计算）"`
	CorrectionItems string `json:"correction_items" doc:"需要补正的事项"`
	CorrectionUntil string `json:"correction_until" doc:"补正期限"`
	ExtendedOn      string `json:"extended_on" doc:"延长答复期限的日期"`
	ReplyTypeLabel  string `json:"reply_type_label" doc:"答复类型"`
	DoneOn          string `json:"done_on" doc:"答复或终止日期"`
}

// secretAlphabet has no look-alike characters (0/O, 1/I/L), for a code
// read off a screen and typed again; 12 of them carry 60 bits.
const secretAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newSecret() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	for i := range b {
		b[i] = secretAlphabet[int(b[i])%len(secretAlphabet)]
	}
	return string(b)
}

func hashSecret(secret string) string {
	h := sm3.New()
	h.Write([]byte("fazhi.disclosure.secret|" + secret))
	return hex.EncodeToString(h.Sum(nil))
}

// PublicStatus answers the portal's status lookup (no login) for the
// request with code when secret is the query code handed out at intake.
// A wrong code, a wrong secret, and a request not submitted online get the
// same answer, so the lookup tells nothing about which codes exist; the
// secret is compared by its hash in constant time.
func (s *Service) PublicStatus(ctx context.Context, code, secret string) (*PublicStatusView, error) {
	code, secret = strings.TrimSpace(code), strings.ToUpper(strings.TrimSpace(secret))
	var v apperr.Fields
	if code == "" || len(code) > 40 || strings.ContainsRune(code, 0) {
		v.Add("code", "请填写正确的申请编号")
	}
	if secret == "" || len(secret) > 40 || strings.ContainsRune(secret, 0) {
		v.Add("secret", "请填写查询码")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	notFound := apperr.New(apperr.NotFound, "申请编号或查询码不正确")
	id, stored, err := s.st.publicByCode(ctx, s.db, code)
	if err != nil {
		return nil, err
	}
	if id == 0 || stored == "" || subtle.ConstantTimeCompare([]byte(stored), []byte(hashSecret(secret))) != 1 {
		return nil, notFound
	}
	r, err := s.st.request(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	s.decorate(ctx, r)
	out := &PublicStatusView{Code: r.Code, UnitName: r.UnitName, ReceivedOn: r.ReceivedOn, Status: r.Status, StatusLabel: r.StatusLabel,
		ReplyDue: r.ReplyDue, ExtendedOn: r.ExtendedOn, ReplyTypeLabel: r.ReplyTypeLabel, DoneOn: r.DoneOn}
	if r.Status == StatusCorrecting {
		out.CorrectionItems, out.CorrectionUntil = r.CorrectionItems, r.CorrectionUntil
	}
	return out, nil
}

// hashAddress keys the rate limit without storing addresses.
func hashAddress(addr string) string {
	h := sm3.New()
	h.Write([]byte("fazhi.disclosure.public|" + addr))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// has reports whether v already names one of the fields.
func has(v apperr.Fields, fields ...string) bool {
	for _, f := range v {
		for _, name := range fields {
			if f.Field == name {
				return true
			}
		}
	}
	return false
}
