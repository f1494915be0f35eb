package org

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
)

// ---- users ----

// UserInput is what an administrator enters for an account.
type UserInput struct {
	Username string       `json:"username" maxLength:"64"`
	Name     string       `json:"name" maxLength:"50"`
	Phone    string       `json:"phone" maxLength:"20"`
	UnitID   int64        `json:"unit_id"`
	Status   string       `json:"status" doc:"active 或 disabled"`
	Password string       `json:"password,omitempty" doc:"新建时的初始密码（用户首次登录须修改）"`
	Roles    []Assignment `json:"roles,omitempty" doc:"新建时授予的角色（需要角色授权权限）"`
	Version  int          `json:"version"`
}

func (in *UserInput) validate(create bool) error {
	var v apperr.Fields
	in.Username = strings.TrimSpace(in.Username)
	in.Name = strings.TrimSpace(in.Name)
	in.Phone = strings.TrimSpace(in.Phone)
	if create {
		if in.Username == "" {
			v.Add("username", "用户名不能为空")
		} else if !validUsername(in.Username) {
			v.Add("username", "用户名只能包含字母、数字、下划线、点和短横线，长度 2–64")
		}
	}
	if in.Name == "" {
		v.Add("name", "姓名不能为空")
	}
	if in.UnitID == 0 {
		v.Add("unit_id", "请选择所属单位")
	}
	if in.Status == "" {
		in.Status = "active"
	}
	if in.Status != "active" && in.Status != "disabled" {
		v.Add("status", "状态应为 active（启用）或 disabled（停用）")
	}
	for _, r := range in.Phone {
		if (r < '0' || r > '9') && r != '-' && r != '+' {
			v.Add("phone", "手机号只能包含数字")
			break
		}
	}
	return v.Err()
}

func validUsername(u string) bool {
	if len(u) < 2 || len(u) > 64 {
		return false
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

func (s *Service) withRoles(ctx context.Context, q db.Querier, us []User, maskPhone bool) error {
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	m, err := s.store.assignments(ctx, q, ids)
	if err != nil {
		return err
	}
	for i := range us {
		if as, ok := m[us[i].ID]; ok {
			us[i].Roles = as
		}
		if maskPhone {
			us[i].Phone = mask.Phone(us[i].Phone)
		}
	}
	return nil
}

// ListUsers returns accounts of units in the actor's user.read scope. Phone
// numbers are masked except for the actor who manages accounts.
func (s *Service) ListUsers(ctx context.Context, f UserFilter, p db.Page) ([]User, int, error) {
	a, err := auth.Require(ctx, "user.read")
	if err != nil {
		return nil, 0, err
	}
	cl, args := auth.ScopeClause(a, "user.read", "us.unit_id")
	limit, offset := p.Limit()
	us, total, err := s.store.users(ctx, s.db, cl, args, f, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	return us, total, s.withRoles(ctx, s.db, us, !a.Can("user.write"))
}

// GetUser returns one account in scope.
func (s *Service) GetUser(ctx context.Context, id int64) (*User, error) {
	a, err := auth.Require(ctx, "user.read")
	if err != nil {
		return nil, err
	}
	u, err := s.store.user(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, "user.read", u.unitPath); err != nil {
		return nil, err
	}
	us := []User{u}
	if err := s.withRoles(ctx, s.db, us, !a.CanIn("user.write", u.unitPath)); err != nil {
		return nil, err
	}
	return &us[0], nil
}

// CreateUser adds an account. The initial password must be changed at first
// sign-in. Roles may be given only by an actor who may assign roles.
func (s *Service) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	a, err := auth.Require(ctx, "user.write")
	if err != nil {
		return nil, err
	}
	if err := in.validate(true); err != nil {
		return nil, err
	}
	if len(in.Roles) > 0 && !a.Can("role.write") {
		return nil, apperr.New(apperr.Forbidden, "没有权限授予角色：请由安全管理员分配角色（三员分立）")
	}
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if err := auth.CheckPolicy(in.Password, in.Username, set.PasswordMinLength); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	var out User
	err = s.guarded(ctx, func(tx *db.Tx) error {
		unit, err := s.store.unit(ctx, tx, in.UnitID)
		if err != nil {
			return apperr.Field("unit_id", "所属单位不存在")
		}
		if _, err := auth.RequireIn(ctx, "user.write", unit.Path); err != nil {
			return err
		}
		out = User{Username: in.Username, Name: in.Name, Phone: in.Phone, Unit: UnitRef{unit.ID, unit.Code, unit.Name}, Status: in.Status}
		if err := s.store.insertUser(ctx, tx, &out, hash, !a.System); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("username", "用户名 %s 已被使用", in.Username)
			}
			return err
		}
		out.unitPath = unit.Path
		if err := audit.Record(ctx, tx, audit.Event{Action: "user.create", ObjectType: "user", ObjectID: fmt.Sprint(out.ID), UnitID: unit.ID,
			Summary: fmt.Sprintf("新建账号 %s（%s）", out.Username, out.Name), After: out}); err != nil {
			return err
		}
		if len(in.Roles) > 0 {
			return s.setRoles(ctx, tx, a, out, in.Roles)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.reload(ctx, out.ID)
}

func (s *Service) reload(ctx context.Context, id int64) (*User, error) {
	u, err := s.store.user(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	us := []User{u}
	if err := s.withRoles(ctx, s.db, us, false); err != nil {
		return nil, err
	}
	return &us[0], nil
}

// UpdateUser changes name, phone, unit or status. Disabling an account ends
// its sessions.
func (s *Service) UpdateUser(ctx context.Context, id int64, in UserInput) (*User, error) {
	a, err := auth.Require(ctx, "user.write")
	if err != nil {
		return nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, err
	}
	_, err = update.Run(ctx, s.db, int64(in.Version), update.Update[User]{
		Load: func(ctx context.Context, tx *db.Tx) (User, error) {
			u, err := s.store.user(ctx, tx, id)
			if err != nil {
				return User{}, err
			}
			if _, err := auth.RequireIn(ctx, "user.write", u.unitPath); err != nil {
				return User{}, err
			}
			return u, nil
		},
		Version: func(u User) int64 { return int64(u.Version) },
		Change: func(ctx context.Context, tx *db.Tx, u *User) (audit.Event, error) {
			unit, err := s.store.unit(ctx, tx, in.UnitID)
			if err != nil {
				return audit.Event{}, apperr.Field("unit_id", "所属单位不存在")
			}
			if _, err := auth.RequireIn(ctx, "user.write", unit.Path); err != nil {
				return audit.Event{}, err
			}
			// One's own name and phone are details; unit and status are privileges.
			own := a.UserID == id && unit.ID == u.Unit.ID && in.Status == u.Status
			if !own {
				if err := s.mayManage(ctx, tx, a, *u, "修改"); err != nil {
					return audit.Event{}, err
				}
			}
			u.Name, u.Phone, u.Status, u.Unit = in.Name, in.Phone, in.Status, UnitRef{unit.ID, unit.Code, unit.Name}
			if u.Status == "disabled" {
				if _, err := auth.DeleteUserSessions(ctx, tx, id); err != nil {
					return audit.Event{}, err
				}
			}
			return audit.Event{Action: "user.update", ObjectType: "user", ObjectID: fmt.Sprint(id), UnitID: unit.ID,
				Summary: "修改账号 " + u.Username}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, u User, loaded int64) (bool, error) {
			return s.store.updateUser(ctx, tx, u, int(loaded))
		},
	})
	if err = s.auditRefusal(ctx, err); err != nil {
		return nil, err
	}
	return s.reload(ctx, id)
}

// ResetPassword sets a new password that the user must change at next
// sign-in, and ends the user's sessions.
func (s *Service) ResetPassword(ctx context.Context, id int64, password string) error {
	return s.manageAccount(ctx, id, "重置密码", func(tx *db.Tx, a *auth.Actor, u User) error {
		if err := s.setPasswordTx(ctx, tx, u, password, !a.System); err != nil {
			return err
		}
		if _, err := auth.DeleteUserSessions(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "user.reset_password", ObjectType: "user", ObjectID: fmt.Sprint(id), UnitID: u.Unit.ID,
			Summary: "重置账号 " + u.Username + " 的密码"})
	})
}

// setPasswordTx checks the policy and history and stores the new hash.
func (s *Service) setPasswordTx(ctx context.Context, tx *db.Tx, u User, password string, mustChange bool) error {
	set, err := auth.LoadSettings(ctx, tx)
	if err != nil {
		return err
	}
	if err := auth.CheckPolicy(password, u.Username, set.PasswordMinLength); err != nil {
		return err
	}
	recent, err := s.store.recentHashes(ctx, tx, u.ID, set.PasswordHistory)
	if err != nil {
		return err
	}
	for _, h := range recent {
		if auth.CheckPassword(h, password) {
			return apperr.Field("password", "新密码不能与最近 %d 次使用过的密码相同", set.PasswordHistory)
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.setPassword(ctx, tx, u.ID, hash, mustChange)
}

// Unlock clears a lockout.
func (s *Service) Unlock(ctx context.Context, id int64) error {
	return s.manageAccount(ctx, id, "解锁", func(tx *db.Tx, _ *auth.Actor, u User) error {
		if err := s.store.unlock(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "user.unlock", ObjectType: "user", ObjectID: fmt.Sprint(id), UnitID: u.Unit.ID, Summary: "解锁账号 " + u.Username})
	})
}

// manageAccount runs change on user id's account in one transaction after
// the checks every administrator's change of an account makes: user.write
// in the account's unit, and 三员分立 (mayManage; what names the change in a
// refusal, which is audited).
func (s *Service) manageAccount(ctx context.Context, id int64, what string, change func(tx *db.Tx, a *auth.Actor, u User) error) error {
	a, err := auth.Require(ctx, "user.write")
	if err != nil {
		return err
	}
	return s.guarded(ctx, func(tx *db.Tx) error {
		u, err := s.store.user(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, "user.write", u.unitPath); err != nil {
			return err
		}
		if err := s.mayManage(ctx, tx, a, u, what); err != nil {
			return err
		}
		return change(tx, a, u)
	})
}

// SetRoles replaces a user's role assignments. No account may hold two of
// the three administrator roles, and nobody changes their own roles.
func (s *Service) SetRoles(ctx context.Context, id int64, as []Assignment) (*User, error) {
	a, err := auth.Require(ctx, "role.write")
	if err != nil {
		return nil, err
	}
	err = s.guarded(ctx, func(tx *db.Tx) error {
		u, err := s.store.user(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, "role.write", u.unitPath); err != nil {
			return err
		}
		return s.setRoles(ctx, tx, a, u, as)
	})
	if err != nil {
		return nil, err
	}
	return s.reload(ctx, id)
}

func adminName(code string) string {
	for _, r := range BuiltinRoles {
		if r.Code == code {
			return r.Name
		}
	}
	return code
}

func (s *Service) setRoles(ctx context.Context, tx *db.Tx, a *auth.Actor, u User, as []Assignment) error {
	roles, err := s.store.roles(ctx, tx)
	if err != nil {
		return err
	}
	byCode := map[string]Role{}
	ids := map[string]int64{}
	for _, r := range roles {
		byCode[r.Code] = r
		ids[r.Code] = r.ID
	}
	var v apperr.Fields
	var codes []string
	seen := map[string]bool{}
	for i := range as {
		r, ok := byCode[as[i].Role]
		if !ok {
			v.Add("roles", "角色 %s 不存在", as[i].Role)
			continue
		}
		if seen[r.Code] {
			v.Add("roles", "角色 %s 重复", r.Name)
			continue
		}
		seen[r.Code] = true
		codes = append(codes, r.Code)
		if as[i].Scope == "" {
			as[i].Scope = r.DefaultScope
		}
		if !ValidScope(as[i].Scope) {
			v.Add("roles", "角色 %s 的数据范围不正确", r.Name)
		}
		if as[i].Scope == auth.ScopeChosen {
			if len(as[i].ScopeUnits) == 0 {
				v.Add("roles", "角色 %s 选择了“指定单位”，请至少选择一个单位", r.Name)
			}
			paths, err := s.store.unitPaths(ctx, tx, as[i].ScopeUnits)
			if err != nil {
				return err
			}
			for _, uid := range as[i].ScopeUnits {
				if _, ok := paths[uid]; !ok {
					v.Add("roles", "角色 %s 的指定单位 %d 不存在", r.Name, uid)
				}
			}
		} else {
			as[i].ScopeUnits = nil
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := CheckSeparation(codes); err != nil {
		return err
	}
	if err := mayGrant(a, u, codes); err != nil {
		return err
	}
	if err := s.mayManage(ctx, tx, a, u, "修改角色"); err != nil {
		return err
	}
	before, err := s.store.assignments(ctx, tx, []int64{u.ID})
	if err != nil {
		return err
	}
	if err := s.store.replaceAssignments(ctx, tx, u.ID, as, ids); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Event{Action: "user.roles", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID,
		Summary: fmt.Sprintf("设置账号 %s 的角色：%s", u.Username, strings.Join(codes, ",")), Before: before[u.ID], After: as})
}
