package enforcement

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// The provincial enforcement platform pushes cases with a machine
// credential: a random token per platform connection, shown once when it
// is created; only its SHA-256 is stored (a leaked database does not leak
// a usable token). Every push and every credential change is audited.
// Pushes are idempotent by the platform's case number: a re-sent case
// updates the record it created, never a second one.

// tokenPrefix marks fazhi platform tokens (recognisable in leaked logs).
const tokenPrefix = "fzp_"

// maxPushBatch bounds one push request.
const maxPushBatch = 1000

// PlatformToken is a stored credential (never the token itself).
type PlatformToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Active     bool       `json:"active"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// NewToken is a created credential with its token, shown only once.
type NewToken struct {
	PlatformToken
	Token string `json:"token" doc:"接入令牌，只显示这一次，请妥善保存"`
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// ListTokens lists the platform credentials.
func (s *Service) ListTokens(ctx context.Context) ([]PlatformToken, error) {
	if _, err := auth.Require(ctx, PermConfig); err != nil {
		return nil, err
	}
	return db.All(ctx, s.db, scanToken, "SELECT id, name, active, created_at, last_used_at FROM enforcement_platform_tokens ORDER BY id")
}

func scanToken(sc db.Scanner) (PlatformToken, error) {
	var t PlatformToken
	var active int
	err := sc.Scan(&t.ID, &t.Name, &active, &t.CreatedAt, &t.LastUsedAt)
	t.Active = active != 0
	return t, err
}

// TokenInput names a new credential.
type TokenInput struct {
	Name string `json:"name" doc:"接入平台名称"`
}

// CreateToken creates a credential for a platform connection (district
// wide: the platform's cases may belong to any body).
func (s *Service) CreateToken(ctx context.Context, in TokenInput) (*NewToken, error) {
	a, err := auth.Require(ctx, PermConfig)
	if err != nil {
		return nil, err
	}
	if sc, _ := a.ScopeFor(PermConfig); !sc.All {
		return nil, apperr.New(apperr.Forbidden, "省级平台接入令牌适用于全区，只有全区范围的维护人员可以创建")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return nil, apperr.Field("name", "请填写接入平台名称（不超过 60 个字）")
	}
	token := tokenPrefix + auth.NewToken()
	out := &NewToken{Token: token}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var id int64
		now := s.clock(ctx).UTC()
		if err := tx.QueryRow(ctx, "INSERT INTO enforcement_platform_tokens (name, token_hash, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id",
			name, hashToken(token), a.UserID, now).Scan(&id); err != nil {
			return db.Classify(err)
		}
		t, err := scanToken(tx.QueryRow(ctx, "SELECT id, name, active, created_at, last_used_at FROM enforcement_platform_tokens WHERE id = ?", id))
		if err != nil {
			return err
		}
		out.PlatformToken = t
		return audit.Record(ctx, tx, audit.Event{Action: "enforcement.token.create", ObjectType: "enforcement_platform_token", ObjectID: itoa(id),
			Summary: "创建省级执法平台接入令牌：" + name})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevokeToken disables a credential at once.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	if _, err := auth.Require(ctx, PermConfig); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		t, err := scanToken(tx.QueryRow(ctx, "SELECT id, name, active, created_at, last_used_at FROM enforcement_platform_tokens WHERE id = ?", id))
		if err != nil {
			return db.Classify(err)
		}
		if _, err := tx.Exec(ctx, "UPDATE enforcement_platform_tokens SET active = 0 WHERE id = ?", id); err != nil {
			return db.Classify(err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "enforcement.token.revoke", ObjectType: "enforcement_platform_token", ObjectID: itoa(id),
			Summary: "停用省级执法平台接入令牌：" + t.Name})
	})
}

// platformActor checks the bearer credential and returns the context the
// push runs in: the system acting for the named platform.
func (s *Service) platformActor(ctx context.Context, authorization string) (context.Context, error) {
	tok, ok := strings.CutPrefix(strings.TrimSpace(authorization), "Bearer ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.HasPrefix(tok, tokenPrefix) {
		return nil, apperr.New(apperr.Unauthenticated, "缺少省级执法平台接入令牌（Authorization: Bearer …）")
	}
	h := hashToken(tok)
	var id int64
	var name, stored string
	var active int
	err := s.db.QueryRow(ctx, "SELECT id, name, token_hash, active FROM enforcement_platform_tokens WHERE token_hash = ?", h).Scan(&id, &name, &stored, &active)
	if err != nil || active == 0 || subtle.ConstantTimeCompare([]byte(stored), []byte(h)) != 1 {
		return nil, apperr.New(apperr.Unauthenticated, "接入令牌无效或已停用")
	}
	if _, err := s.db.Exec(ctx, "UPDATE enforcement_platform_tokens SET last_used_at = ? WHERE id = ?", s.clock(ctx).UTC(), id); err != nil {
		return nil, db.Classify(err)
	}
	return auth.With(ctx, auth.SystemActor("省级执法平台："+name)), nil
}

// PushItem is one case's answer in a push.
type PushItem struct {
	PlatformNo string   `json:"platform_no"`
	CaseID     int64    `json:"case_id,omitempty"`
	Code       string   `json:"code,omitempty"`
	Result     string   `json:"result" doc:"created 新增；updated 已存在，已更新；unchanged 已存在且相同；invalid 有错误未写入"`
	Errors     []string `json:"errors,omitempty"`
}

// PushReport is the answer to a push.
type PushReport struct {
	Created   int        `json:"created"`
	Updated   int        `json:"updated"`
	Unchanged int        `json:"unchanged" doc:"已存在且内容相同，未改动"`
	Invalid   int        `json:"invalid"`
	Items     []PushItem `json:"items"`
}

// Push receives a batch of cases from the provincial platform. Every case
// must carry the platform's case number; a batch with any invalid case is
// refused whole (nothing written; each case's problems answered). A case
// number already in the register updates that case.
func (s *Service) Push(ctx context.Context, authorization string, cases []CaseInput) (*PushReport, error) {
	ctx, err := s.platformActor(ctx, authorization)
	if err != nil {
		return nil, err
	}
	if len(cases) == 0 {
		return nil, apperr.Field("cases", "请至少推送一件案件")
	}
	if len(cases) > maxPushBatch {
		return nil, apperr.Field("cases", "一次最多推送 %d 件案件，请分批推送", maxPushBatch)
	}
	rep := &PushReport{Items: make([]PushItem, len(cases))}
	checked := make([]*checkedCase, len(cases))
	seen := map[string]int{}
	lk := newLookups()
	for i, in := range cases {
		it := &rep.Items[i]
		it.PlatformNo = strings.TrimSpace(in.PlatformNo)
		c, v, err := s.checkCase(ctx, s.db, in, lk)
		if err != nil {
			return nil, err
		}
		if it.PlatformNo == "" {
			v.Add("platform_no", "请提供平台案件编号")
		} else if j, dup := seen[it.PlatformNo]; dup {
			v.Add("platform_no", "平台案件编号与本批第 %d 件重复", j+1)
		} else {
			seen[it.PlatformNo] = i
		}
		for _, f := range v {
			it.Errors = append(it.Errors, fmt.Sprintf("%s：%s", f.Field, f.Message))
		}
		if len(v) > 0 {
			it.Result = "invalid"
			rep.Invalid++
		}
		checked[i] = c
	}
	if rep.Invalid > 0 {
		return rep, nil
	}
	for i, c := range checked {
		it := &rep.Items[i]
		id, version, err := s.st.caseByPlatformNo(ctx, s.db, it.PlatformNo)
		switch {
		case err == nil:
			old, err := s.st.caseRow(ctx, s.db, id)
			if err != nil {
				return nil, err
			}
			if sameCase(old, c) {
				it.CaseID, it.Code, it.Result = id, old.Code, "unchanged"
				rep.Unchanged++
				continue
			}
			in := c.in
			in.Version = version
			in.BodyID = c.body.ID
			k, err := s.updateCase(ctx, id, in, true)
			if err != nil {
				return nil, err
			}
			it.CaseID, it.Code, it.Result = id, k.Code, "updated"
			rep.Updated++
		case apperr.Is(err, apperr.NotFound):
			err := s.db.WithTx(ctx, func(tx *db.Tx) error {
				nid, err := s.insertCase(ctx, tx, c, "platform")
				it.CaseID = nid
				return err
			})
			if err != nil {
				return nil, err
			}
			k, err := s.st.caseRow(ctx, s.db, it.CaseID)
			if err != nil {
				return nil, err
			}
			it.Code, it.Result = k.Code, "created"
			rep.Created++
		default:
			return nil, err
		}
	}
	return rep, nil
}

// sameCase reports whether a re-sent case equals the stored one (every
// written column and the officers), so a re-sent batch writes nothing.
func sameCase(old *Case, c *checkedCase) bool {
	stored := &checkedCase{body: &Body{ID: old.BodyID, UnitID: old.UnitID}, in: CaseInput{
		PlatformNo: old.PlatformNo, Kind: old.Kind, Title: old.Title, PartyType: old.PartyType, PartyName: old.PartyName,
		PartyIDNo: old.PartyIDNo, PartyPhone: old.PartyPhone, PartyAddress: old.PartyAddress, Procedure: old.Procedure,
		AmountFen: old.AmountFen, LegalBasis: old.LegalBasis, DiscretionBand: old.DiscretionBand, Major: old.Major,
		HearingMeasure: old.HearingMeasure, Extended: old.Extended, ExtensionNote: old.ExtensionNote, FiledOn: old.FiledOn,
		PriorNoticeOn: old.PriorNoticeOn, HearingNoticeOn: old.HearingNoticeOn, HearingOn: old.HearingOn, DecidedOn: old.DecidedOn,
		ServedOn: old.ServedOn, ClosedOn: old.ClosedOn, DisclosedOn: old.DisclosedOn}}
	if !slices.Equal(caseValues(stored), caseValues(c)) || len(old.Officers) != len(c.officers) {
		return false
	}
	ids := map[int64]bool{}
	for _, o := range old.Officers {
		ids[o.ID] = true
	}
	for _, o := range c.officers {
		if !ids[o.ID] {
			return false
		}
	}
	return true
}
