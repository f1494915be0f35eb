// Package audit keeps fazhi's append-only, signed audit log. Record writes
// one event inside the caller's transaction; each event carries a keyed MAC
// (HMAC-SM3 or HMAC-SHA-256) over its content and the previous event's MAC,
// with a key held outside the database (auditkey, loaded from Config and
// carried by the db handle), and a one-row chain head holds the newest
// sequence number and MAC. Signed checkpoints of the head are written outside
// the database too (checkpoint.go). So editing, deleting or reordering any
// row, recomputing the chain from some row on, or deleting the tail and
// moving the head, is detected by Verify. Nothing in the application updates
// or deletes audit rows.
package audit

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/audit/auditkey"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
)

// Hash algorithms of the chain. Rows written before the audit key existed
// carry a plain hash (SM3, SHA256: the legacy segment at the start of the
// chain); every later row carries a keyed MAC (HMACSM3, HMACSHA256) and the
// id of the key that made it.
const (
	SM3        = auditkey.SM3
	SHA256     = auditkey.SHA256
	HMACSM3    = hmacPrefix + auditkey.SM3
	HMACSHA256 = hmacPrefix + auditkey.SHA256
	hmacPrefix = "hmac-"
)

// keysOf returns the key ring the handle q carries (db.DB and db.Tx do).
func keysOf(q db.Querier) *auditkey.Keyring {
	if k, ok := q.(interface{ AuditKeys() *auditkey.Keyring }); ok {
		return k.AuditKeys()
	}
	return nil
}

// errNoKeys is a wiring bug: the handle was opened without SetAuditKeys.
var errNoKeys = errors.New("audit: the database handle carries no audit key (db.SetAuditKeys at start)")

// Event is one audited action.
type Event struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id,omitempty"`
	ActorName  string    `json:"actor_name"`
	IP         string    `json:"ip"`
	Action     string    `json:"action" doc:"如 auth.login、org.unit.update"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	UnitID     int64     `json:"unit_id,omitempty"`
	Summary    string    `json:"summary"`
	Before     any       `json:"-"`
	After      any       `json:"-"`
	BeforeJSON string    `json:"before,omitempty"`
	AfterJSON  string    `json:"after,omitempty"`
	Result     string    `json:"result" doc:"ok 或 fail"`
	Alg        string    `json:"alg" doc:"hmac-sm3 或 hmac-sha256（带密钥签名）；sm3、sha256 为启用密钥前的旧事件"`
	KeyID      string    `json:"key_id,omitempty" doc:"签名密钥的编号（密钥指纹）"`
	PrevHash   string    `json:"-"`
	Hash       string    `json:"hash"`
}

type clientKey struct{}

// Client is where a request came from.
type Client struct {
	IP        string
	UserAgent string
}

// WithClient records the client address in ctx (set by the session
// middleware for every request, signed in or not).
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFrom returns the client in ctx.
func ClientFrom(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

const timeLayout = "2006-01-02T15:04:05.000000Z"

// Record appends ev to the chain inside q (the caller's transaction, so the
// event commits or rolls back with the change it describes). Actor and
// client address come from ctx unless ev sets them.
func Record(ctx context.Context, q db.Querier, ev Event) error {
	return RecordBatch(ctx, q, []Event{ev})
}

// RecordBatch appends evs to the chain inside q in their order — one event
// per record of an import, each chained to the one before and signed as
// Record signs it — reading the chain head once, writing the events with
// multi-row INSERTs and moving the head once. Verify cannot tell a batch
// from events recorded one by one.
//
// In a transaction (a *db.Tx) the events are filled in now (actor, address,
// time) and chained just before the commit (db.Tx.Local), after the
// transaction's other writes: the chain head, which every audited write
// locks, is then held for the commit only, so concurrent writers on
// PostgreSQL do not queue behind each other's whole transactions.
func RecordBatch(ctx context.Context, q db.Querier, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	kr := keysOf(q)
	if kr == nil {
		return errNoKeys
	}
	// A seeder running under a simulated clock (platform/clock) stamps the
	// event with the step's simulated time, so the demo's audit log tells
	// the same story as its records; requests carry no clock and get the
	// wall clock. The chain orders events by seq, not by time.
	at := clock.Now(ctx, time.Now).UTC().Truncate(time.Microsecond)
	a := auth.From(ctx)
	clientIP := ClientFrom(ctx).IP
	filled := make([]Event, len(evs))
	for i := range evs {
		ev := evs[i]
		if err := ev.fill(a, clientIP); err != nil {
			return err
		}
		ev.At = at
		ev.Alg = hmacPrefix + kr.Hash()
		ev.KeyID = kr.Current()
		filled[i] = ev
	}
	tx, ok := q.(*db.Tx)
	if !ok {
		return appendChain(ctx, q, kr, filled)
	}
	p := tx.Local(pendingKey{}, commitOrder, func() (any, func(context.Context) error) {
		p := &pendingEvents{}
		return p, func(ctx context.Context) error { return appendChain(ctx, tx, kr, p.evs) }
	}).(*pendingEvents)
	p.evs = append(p.evs, filled...)
	return nil
}

// pendingEvents are a transaction's events not yet chained.
type pendingEvents struct{ evs []Event }

type pendingKey struct{}

// commitOrder puts the chain last among a transaction's commit hooks.
const commitOrder = 100

// appendChain links evs to the chain head, signs and inserts them, and
// moves the head.
func appendChain(ctx context.Context, q db.Querier, kr *auditkey.Keyring, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	// Take the chain head. On PostgreSQL FOR UPDATE serializes concurrent
	// appends; SQLite write transactions are already serialized (and the
	// statement without FOR UPDATE is what it accepts).
	lock := ""
	if q.Dialect() == db.Postgres {
		lock = " FOR UPDATE"
	}
	var last int64
	var prev string
	if err := q.QueryRow(ctx, "SELECT last_seq, hash FROM audit_chain_head WHERE id = 1"+lock).Scan(&last, &prev); err != nil {
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	rows := make([][]any, len(evs))
	for i := range evs {
		ev := &evs[i]
		ev.Seq = last + 1 + int64(i)
		ev.PrevHash = prev
		h, err := ev.digest(kr)
		if err != nil {
			return err
		}
		ev.Hash, prev = h, h
		rows[i] = []any{ev.Seq, ev.At.Format(timeLayout), nullID(ev.ActorID), ev.ActorName, ev.IP, ev.Action, ev.ObjectType, ev.ObjectID,
			nullID(ev.UnitID), ev.Summary, ev.BeforeJSON, ev.AfterJSON, ev.Result, ev.Alg, ev.KeyID, ev.PrevHash, ev.Hash}
	}
	if err := db.InsertMany(ctx, q, "audit_events", insertCols, rows); err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	newest := evs[len(evs)-1]
	res, err := q.Exec(ctx, "UPDATE audit_chain_head SET last_seq = ?, hash = ? WHERE id = 1 AND last_seq = ?", newest.Seq, newest.Hash, last)
	if err != nil {
		return fmt.Errorf("audit: update chain head: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("audit: chain head moved concurrently")
	}
	return nil
}

var insertCols = []string{"seq", "at", "actor_id", "actor_name", "ip", "action", "object_type", "object_id", "unit_id", "summary",
	"before_data", "after_data", "result", "alg", "key_id", "prev_hash", "hash"}

// fill completes ev before it is signed: actor and address from the
// request unless set, result, before and after as JSON.
func (ev *Event) fill(a *auth.Actor, clientIP string) error {
	if ev.Action == "" {
		return fmt.Errorf("audit: empty action")
	}
	if a != nil {
		if ev.ActorID == 0 && ev.ActorName == "" {
			ev.ActorID = a.UserID
			ev.ActorName = a.Username
			if a.Name != "" && a.Name != a.Username {
				ev.ActorName = a.Username + "（" + a.Name + "）"
			}
		}
		if ev.IP == "" {
			ev.IP = a.IP
		}
	}
	if ev.IP == "" {
		ev.IP = clientIP
	}
	if ev.Result == "" {
		ev.Result = "ok"
	}
	if ev.Before != nil {
		b, err := json.Marshal(ev.Before)
		if err != nil {
			return err
		}
		ev.BeforeJSON = string(b)
	}
	if ev.After != nil {
		b, err := json.Marshal(ev.After)
		if err != nil {
			return err
		}
		ev.AfterJSON = string(b)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// canonical is the event's signed form: every stored field, length-prefixed
// so that no two different events encode alike. Signed rows add their key id.
func (ev *Event) canonical() []byte {
	fields := []string{
		strconv.FormatInt(ev.Seq, 10), ev.At.UTC().Format(timeLayout), strconv.FormatInt(ev.ActorID, 10), ev.ActorName, ev.IP,
		ev.Action, ev.ObjectType, ev.ObjectID, strconv.FormatInt(ev.UnitID, 10), ev.Summary, ev.BeforeJSON, ev.AfterJSON,
		ev.Result, ev.Alg, ev.PrevHash,
	}
	if ev.signed() {
		fields = append(fields, ev.KeyID)
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte('|')
	}
	return []byte(b.String())
}

// signed reports whether the row carries a keyed MAC (not a legacy hash).
func (ev *Event) signed() bool { return strings.HasPrefix(ev.Alg, hmacPrefix) }

// digest is what the row's hash column must hold: the keyed MAC under the
// row's key for signed rows, the plain hash for legacy rows.
func (ev *Event) digest(kr *auditkey.Keyring) (string, error) {
	if !ev.signed() {
		nh, err := auditkey.NewHash(ev.Alg)
		if err != nil {
			return "", errUnknownAlg
		}
		h := nh()
		h.Write(ev.canonical())
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	if kr == nil {
		return "", errNoKeys
	}
	mac, ok := kr.MAC(ev.KeyID, strings.TrimPrefix(ev.Alg, hmacPrefix), ev.canonical())
	if !ok {
		if _, err := auditkey.NewHash(strings.TrimPrefix(ev.Alg, hmacPrefix)); err != nil {
			return "", errUnknownAlg
		}
		return "", errUnknownKey
	}
	return mac, nil
}

var (
	errUnknownAlg = errors.New("unknown audit algorithm")
	errUnknownKey = errors.New("unknown audit key")
)

// Break describes the first broken link found by Verify.
type Break struct {
	Seq    int64  `json:"seq"`
	Action string `json:"action"`
	At     string `json:"at"`
	Reason string `json:"reason"`
}

func (b *Break) Error() string {
	at := b.At
	if at == "" {
		at = "时间不详"
	}
	return fmt.Sprintf("审计日志第 %d 条事件（%s，%s）校验失败：%s", b.Seq, b.Action, at, b.Reason)
}

// VerifyResult is what Verify found.
type VerifyResult struct {
	Events int64 `json:"events"`
	// Legacy counts the events at the start of the chain written before the
	// audit key existed: their plain hash is checked, and the first signed
	// event's MAC covers the last of them, so they cannot be rewritten
	// without breaking it.
	Legacy int64 `json:"legacy"`
	// Checkpoints counts the signed checkpoints the chain was compared with.
	Checkpoints int    `json:"checkpoints"`
	Broken      *Break `json:"broken,omitempty"`
}

const eventCols = `seq, at, COALESCE(actor_id, 0), actor_name, ip, action, object_type, object_id, COALESCE(unit_id, 0),
	summary, before_data, after_data, result, alg, key_id, prev_hash, hash`

const selectEvent = "SELECT " + eventCols + " FROM audit_events"

func scanEvent(sc interface{ Scan(...any) error }) (Event, error) {
	var ev Event
	var at string
	err := sc.Scan(&ev.Seq, &at, &ev.ActorID, &ev.ActorName, &ev.IP, &ev.Action, &ev.ObjectType, &ev.ObjectID, &ev.UnitID,
		&ev.Summary, &ev.BeforeJSON, &ev.AfterJSON, &ev.Result, &ev.Alg, &ev.KeyID, &ev.PrevHash, &ev.Hash)
	if err != nil {
		return ev, err
	}
	ev.At, _ = time.Parse(timeLayout, at)
	return ev, nil
}

func localTime(t time.Time) string { return t.In(shanghai).Format("2006-01-02 15:04:05") }

// Verify walks the whole chain in order, with the keys q carries, and
// reports the first broken link: an edited event (its MAC no longer
// matches), a chain recomputed from some event on without the key (an
// unsigned event after a signed one, or a MAC that does not verify), a
// deleted or inserted event (a gap in sequence numbers or a previous-MAC
// mismatch), a deleted newest event (the chain head is ahead of the last
// row), and — against the signed checkpoints cps written outside the
// database — a rewritten prefix or a deleted tail with the head moved back.
func Verify(ctx context.Context, q db.Querier, cps ...Checkpoint) (*VerifyResult, error) {
	kr := keysOf(q)
	res := &VerifyResult{Checkpoints: len(cps)}
	// Checkpoints first: one whose signature fails was forged or edited.
	at := map[int64][]Checkpoint{}
	var newest *Checkpoint
	for i, cp := range cps {
		if kr == nil {
			return nil, errNoKeys
		}
		if !cp.valid(kr) {
			res.Broken = &Break{Seq: cp.Seq, Action: "（检查点）", At: cp.localAt(),
				Reason: fmt.Sprintf("检查点文件第 %d 行的签名无效：检查点被改写或伪造（或由不在密钥文件中的密钥签名）", cp.Line)}
			return res, nil
		}
		at[cp.Seq] = append(at[cp.Seq], cp)
		if newest == nil || cp.Seq > newest.Seq {
			newest = &cps[i]
		}
	}
	progress, _ := ctx.Value(progressKey{}).(func(int64))
	rows, err := q.Query(ctx, selectEvent+" ORDER BY seq")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var prevHash string
	var prevSeq int64
	var prevEv Event
	signedSeen := false
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		res.Events++
		if progress != nil && res.Events%2000 == 0 {
			progress(res.Events)
		}
		brk := func(reason string) (*VerifyResult, error) {
			res.Broken = &Break{Seq: ev.Seq, Action: ev.Action, At: localTime(ev.At), Reason: reason}
			return res, nil
		}
		if ev.Seq != prevSeq+1 {
			return brk(fmt.Sprintf("序号不连续：上一条为第 %d 条（%s），其后的事件已被删除", prevSeq, prevEv.Action))
		}
		if ev.PrevHash != prevHash {
			return brk("前序签名与上一条事件不符（上一条事件被修改或删除）")
		}
		if !ev.signed() && signedSeen {
			return brk("未签名的事件出现在已签名的事件之后：该事件被改写或伪造，链从此处被不带密钥地重算")
		}
		want, err := ev.digest(kr)
		switch {
		case errors.Is(err, errUnknownAlg):
			return brk("未知的签名算法 " + ev.Alg)
		case errors.Is(err, errUnknownKey):
			return brk(fmt.Sprintf("签名密钥 %s 不在密钥文件中：事件被伪造，或缺少轮换前的旧密钥", ev.KeyID))
		case err != nil:
			return nil, err
		}
		if want != ev.Hash {
			if ev.signed() {
				return brk("内容与签名不符：该事件被修改，或链从此处被不带密钥地重算")
			}
			return brk("内容与哈希不符（该事件被修改）")
		}
		for _, cp := range at[ev.Seq] {
			if cp.Hash != ev.Hash {
				return brk(fmt.Sprintf("与 %s 的检查点不符（检查点文件第 %d 行）：该事件或其之前的事件被改写，链被重算", cp.localAt(), cp.Line))
			}
		}
		if ev.signed() {
			signedSeen = true
		} else {
			res.Legacy++
		}
		prevHash, prevSeq, prevEv = ev.Hash, ev.Seq, ev
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var headSeq int64
	var headHash string
	if err := q.QueryRow(ctx, "SELECT last_seq, hash FROM audit_chain_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return nil, err
	}
	if headSeq != prevSeq || headHash != prevHash {
		res.Broken = &Break{Seq: headSeq, Action: "(已删除)", At: "", Reason: fmt.Sprintf("链头记录最新事件为第 %d 条，但日志只到第 %d 条：最新的事件已被删除或链头被篡改", headSeq, prevSeq)}
		return res, nil
	}
	if newest != nil && newest.Seq > prevSeq {
		res.Broken = &Break{Seq: newest.Seq, Action: "(已删除)", At: newest.localAt(),
			Reason: fmt.Sprintf("%s 的检查点（检查点文件第 %d 行）记录链头为第 %d 条事件，但日志只到第 %d 条：其后的事件已被删除，链头被移回",
				newest.localAt(), newest.Line, newest.Seq, prevSeq)}
	}
	return res, nil
}

// shanghai is Beijing time (China has kept UTC+8 without daylight saving
// since 1991), shared with the calendar so no zoneinfo files are needed.
var shanghai = calendar.Shanghai

func init() {
	auth.WithClientHook = func(ctx context.Context, ip, ua string) context.Context {
		return WithClient(ctx, Client{IP: ip, UserAgent: ua})
	}
}
