// Package audit keeps fazhi's append-only, hash-chained audit log. Record
// writes one event inside the caller's transaction; each event's hash covers
// its content and the previous event's hash, and a one-row chain head holds
// the newest sequence number and hash, so that editing, deleting or
// reordering any row — including the newest — is detected by Verify.
// Nothing in the application updates or deletes audit rows.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"

	"github.com/emmansun/gmsm/sm3"
)

// Hash algorithms for the chain.
const (
	SM3    = "sm3"
	SHA256 = "sha256"
)

// Algorithm is the hash used for new events (set from configuration at
// start-up: FAZHI_AUDIT_HASH). Each event records its own algorithm, so a
// change applies from the next event on and Verify still checks old ones.
var Algorithm = SM3

func newHash(alg string) (hash.Hash, error) {
	switch alg {
	case SM3:
		return sm3.New(), nil
	case SHA256:
		return sha256.New(), nil
	}
	return nil, fmt.Errorf("unknown audit hash algorithm %q", alg)
}

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
	Alg        string    `json:"alg"`
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
	if ev.Action == "" {
		return fmt.Errorf("audit: empty action")
	}
	if a := auth.From(ctx); a != nil {
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
		ev.IP = ClientFrom(ctx).IP
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
	ev.At = time.Now().UTC().Truncate(time.Microsecond)
	ev.Alg = Algorithm

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
	ev.Seq = last + 1
	ev.PrevHash = prev
	h, err := ev.computeHash()
	if err != nil {
		return err
	}
	ev.Hash = h
	if _, err := q.Exec(ctx, `INSERT INTO audit_events
		(seq, at, actor_id, actor_name, ip, action, object_type, object_id, unit_id, summary, before_data, after_data, result, alg, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.Seq, ev.At.Format(timeLayout), nullID(ev.ActorID), ev.ActorName, ev.IP, ev.Action, ev.ObjectType, ev.ObjectID,
		nullID(ev.UnitID), ev.Summary, ev.BeforeJSON, ev.AfterJSON, ev.Result, ev.Alg, ev.PrevHash, ev.Hash); err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	res, err := q.Exec(ctx, "UPDATE audit_chain_head SET last_seq = ?, hash = ? WHERE id = 1 AND last_seq = ?", ev.Seq, ev.Hash, last)
	if err != nil {
		return fmt.Errorf("audit: update chain head: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("audit: chain head moved concurrently")
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// computeHash hashes the canonical form of the event: every stored field,
// length-prefixed so that no two different events encode alike.
func (ev *Event) computeHash() (string, error) {
	h, err := newHash(ev.Alg)
	if err != nil {
		return "", err
	}
	fields := []string{
		strconv.FormatInt(ev.Seq, 10), ev.At.UTC().Format(timeLayout), strconv.FormatInt(ev.ActorID, 10), ev.ActorName, ev.IP,
		ev.Action, ev.ObjectType, ev.ObjectID, strconv.FormatInt(ev.UnitID, 10), ev.Summary, ev.BeforeJSON, ev.AfterJSON,
		ev.Result, ev.Alg, ev.PrevHash,
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte('|')
	}
	h.Write([]byte(b.String()))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Break describes the first broken link found by Verify.
type Break struct {
	Seq    int64  `json:"seq"`
	Action string `json:"action"`
	At     string `json:"at"`
	Reason string `json:"reason"`
}

func (b *Break) Error() string {
	return fmt.Sprintf("审计日志第 %d 条事件（%s，%s）校验失败：%s", b.Seq, b.Action, b.At, b.Reason)
}

// VerifyResult is what Verify found.
type VerifyResult struct {
	Events int64  `json:"events"`
	Broken *Break `json:"broken,omitempty"`
}

const selectEvent = `SELECT seq, at, COALESCE(actor_id, 0), actor_name, ip, action, object_type, object_id, COALESCE(unit_id, 0),
	summary, before_data, after_data, result, alg, prev_hash, hash FROM audit_events`

func scanEvent(sc interface{ Scan(...any) error }) (Event, error) {
	var ev Event
	var at string
	err := sc.Scan(&ev.Seq, &at, &ev.ActorID, &ev.ActorName, &ev.IP, &ev.Action, &ev.ObjectType, &ev.ObjectID, &ev.UnitID,
		&ev.Summary, &ev.BeforeJSON, &ev.AfterJSON, &ev.Result, &ev.Alg, &ev.PrevHash, &ev.Hash)
	if err != nil {
		return ev, err
	}
	ev.At, _ = time.Parse(timeLayout, at)
	return ev, nil
}

// Verify walks the whole chain in order and reports the first broken link:
// an edited event (its hash no longer matches), a deleted or inserted event
// (a gap in sequence numbers or a previous-hash mismatch), or a deleted
// newest event (the chain head is ahead of the last row).
func Verify(ctx context.Context, q db.Querier) (*VerifyResult, error) {
	rows, err := q.Query(ctx, selectEvent+" ORDER BY seq")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &VerifyResult{}
	var prevHash string
	var prevSeq int64
	var prevEv Event
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		res.Events++
		at := ev.At.In(shanghai).Format("2006-01-02 15:04:05")
		brk := func(reason string) (*VerifyResult, error) {
			res.Broken = &Break{Seq: ev.Seq, Action: ev.Action, At: at, Reason: reason}
			return res, nil
		}
		if ev.Seq != prevSeq+1 {
			return brk(fmt.Sprintf("序号不连续：上一条为第 %d 条（%s），其后的事件已被删除", prevSeq, prevEv.Action))
		}
		if ev.PrevHash != prevHash {
			return brk("前序哈希与上一条事件不符（上一条事件被修改或删除）")
		}
		want, err := ev.computeHash()
		if err != nil {
			return brk("未知的哈希算法 " + ev.Alg)
		}
		if want != ev.Hash {
			return brk("内容与哈希不符（该事件被修改）")
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
