package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
)

// Service holds every rule of the org module.
type Service struct {
	db    *db.DB
	store Store
}

// NewService returns the org service on d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// DB exposes the database (for the session middleware).
func (s *Service) DB() *db.DB { return s.db }

// conflict is the platform's one lost-update error.
func conflict() error { return update.Conflict() }

// ---- units ----

// UnitInput is what a user enters for a unit.
type UnitInput struct {
	Code     string   `json:"code" maxLength:"64" doc:"单位编码（唯一）"`
	Name     string   `json:"name" maxLength:"100" doc:"单位名称"`
	Type     UnitType `json:"type" doc:"district/department/town/office/village"`
	ParentID int64    `json:"parent_id" doc:"上级单位"`
	Sort     int      `json:"sort"`
	Status   string   `json:"status" doc:"active 或 disabled，默认 active"`
	Version  int      `json:"version" doc:"修改时必填：读取时的版本号"`
}

func (in *UnitInput) validate(root bool) error {
	var v apperr.Fields
	in.Code = strings.TrimSpace(in.Code)
	in.Name = strings.TrimSpace(in.Name)
	if in.Code == "" {
		v.Add("code", "单位编码不能为空")
	}
	if in.Name == "" {
		v.Add("name", "单位名称不能为空")
	}
	if !in.Type.Valid() {
		v.Add("type", "单位类型不正确（应为 区县、部门、镇街、科室、村居 之一）")
	}
	if in.ParentID == 0 && !root {
		v.Add("parent_id", "请选择上级单位")
	}
	if in.Status == "" {
		in.Status = "active"
	}
	if in.Status != "active" && in.Status != "disabled" {
		v.Add("status", "状态应为 active（启用）或 disabled（停用）")
	}
	return v.Err()
}

// ListUnits returns units in the actor's org.read scope.
func (s *Service) ListUnits(ctx context.Context, f UnitFilter, p db.Page) ([]Unit, int, error) {
	a, err := auth.Require(ctx, "org.read")
	if err != nil {
		return nil, 0, err
	}
	cl, args := auth.ScopeClause(a, "org.read", "id")
	limit, offset := p.Limit()
	return s.store.units(ctx, s.db, cl, args, f, limit, offset)
}

// Tree returns every unit in scope, ordered by path (the client nests them).
func (s *Service) Tree(ctx context.Context, f UnitFilter) ([]Unit, error) {
	a, err := auth.Require(ctx, "org.read")
	if err != nil {
		return nil, err
	}
	cl, args := auth.ScopeClause(a, "org.read", "id")
	out, _, err := s.store.units(ctx, s.db, cl, args, f, 100000, 0)
	return out, err
}

// GetUnit returns one unit in scope.
func (s *Service) GetUnit(ctx context.Context, id int64) (*Unit, error) {
	if _, err := auth.Require(ctx, "org.read"); err != nil {
		return nil, err
	}
	u, err := s.store.unit(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, "org.read", u.Path); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUnit adds a unit under a parent in the actor's org.write scope.
func (s *Service) CreateUnit(ctx context.Context, in UnitInput) (*Unit, error) {
	if _, err := auth.Require(ctx, "org.write"); err != nil {
		return nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, err
	}
	var out Unit
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		parent, err := s.store.unit(ctx, tx, in.ParentID)
		if err != nil {
			return apperr.Field("parent_id", "上级单位不存在")
		}
		if _, err := auth.RequireIn(ctx, "org.write", parent.Path); err != nil {
			return err
		}
		out = Unit{Code: in.Code, Name: in.Name, Type: in.Type, ParentID: in.ParentID, Sort: in.Sort, Status: in.Status}
		if err := s.store.insertUnit(ctx, tx, &out, parent.Path); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("code", "单位编码 %s 已存在", in.Code)
			}
			return err
		}
		out.TypeLabel = out.Type.Label()
		return audit.Record(ctx, tx, audit.Event{Action: "org.unit.create", ObjectType: "org_unit", ObjectID: fmt.Sprint(out.ID), UnitID: out.ID,
			Summary: "新增单位 " + out.Name, After: out})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateUnit changes a unit's code, name, type, order or status. The parent
// changes only through MoveUnit.
func (s *Service) UpdateUnit(ctx context.Context, id int64, in UnitInput) (*Unit, error) {
	if _, err := auth.Require(ctx, "org.write"); err != nil {
		return nil, err
	}
	var out Unit
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		before, err := s.store.unit(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, "org.write", before.Path); err != nil {
			return err
		}
		in.ParentID = before.ParentID
		if err := in.validate(before.ParentID == 0); err != nil {
			return err
		}
		if in.Status == "disabled" && before.Status == "active" {
			n, err := s.store.countChildren(ctx, tx, id)
			if err != nil {
				return err
			}
			if n > 0 {
				return apperr.Field("status", "该单位还有 %d 个启用的下级单位，不能停用", n)
			}
		}
		out = before
		out.Code, out.Name, out.Type, out.Sort, out.Status = in.Code, in.Name, in.Type, in.Sort, in.Status
		ok, err := s.store.updateUnit(ctx, tx, out, in.Version)
		if err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("code", "单位编码 %s 已存在", in.Code)
			}
			return err
		}
		if !ok {
			return conflict()
		}
		out.Version = in.Version + 1
		out.TypeLabel = out.Type.Label()
		return audit.Record(ctx, tx, audit.Event{Action: "org.unit.update", ObjectType: "org_unit", ObjectID: fmt.Sprint(id), UnitID: id,
			Summary: "修改单位 " + out.Name, Before: before, After: out})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// MoveUnit puts a unit (with its whole subtree) under a new parent, rewriting
// the subtree's paths in one transaction.
func (s *Service) MoveUnit(ctx context.Context, id, newParentID int64, version int) (*Unit, error) {
	if _, err := auth.Require(ctx, "org.write"); err != nil {
		return nil, err
	}
	var out Unit
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		u, err := s.store.unit(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, "org.write", u.Path); err != nil {
			return err
		}
		if u.ParentID == 0 {
			return apperr.Field("parent_id", "根单位不能移动")
		}
		np, err := s.store.unit(ctx, tx, newParentID)
		if err != nil {
			return apperr.Field("parent_id", "新的上级单位不存在")
		}
		if _, err := auth.RequireIn(ctx, "org.write", np.Path); err != nil {
			return err
		}
		if strings.HasPrefix(np.Path, u.Path) {
			return apperr.Field("parent_id", "不能把单位移动到它自己或它的下级单位之下")
		}
		newPath := np.Path + fmt.Sprint(u.ID) + "/"
		ok, err := s.store.moveSubtree(ctx, tx, id, newParentID, u.Path, newPath, version)
		if err != nil {
			return err
		}
		if !ok {
			return conflict()
		}
		out, err = s.store.unit(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "org.unit.move", ObjectType: "org_unit", ObjectID: fmt.Sprint(id), UnitID: id,
			Summary: fmt.Sprintf("将 %s 移至 %s 之下", u.Name, np.Name), Before: u, After: out})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

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
	err = s.guarded(ctx, func(tx *db.Tx) error {
		before, err := s.store.user(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, "user.write", before.unitPath); err != nil {
			return err
		}
		unit, err := s.store.unit(ctx, tx, in.UnitID)
		if err != nil {
			return apperr.Field("unit_id", "所属单位不存在")
		}
		if _, err := auth.RequireIn(ctx, "user.write", unit.Path); err != nil {
			return err
		}
		// One's own name and phone are details; unit and status are privileges.
		own := a.UserID == id && unit.ID == before.Unit.ID && in.Status == before.Status
		if !own {
			if err := s.mayManage(ctx, tx, a, before, "修改"); err != nil {
				return err
			}
		}
		after := before
		after.Name, after.Phone, after.Status, after.Unit = in.Name, in.Phone, in.Status, UnitRef{unit.ID, unit.Code, unit.Name}
		ok, err := s.store.updateUser(ctx, tx, after, in.Version)
		if err != nil {
			return err
		}
		if !ok {
			return conflict()
		}
		if after.Status == "disabled" {
			if _, err := auth.DeleteUserSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "user.update", ObjectType: "user", ObjectID: fmt.Sprint(id), UnitID: unit.ID,
			Summary: "修改账号 " + before.Username, Before: before, After: after})
	})
	if err != nil {
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

// ---- roles ----

// ListRoles returns every role with its permissions.
func (s *Service) ListRoles(ctx context.Context) ([]Role, error) {
	if _, err := auth.Require(ctx, "role.read"); err != nil {
		return nil, err
	}
	return s.store.roles(ctx, s.db)
}

// RoleInput changes a role's permissions and default scope.
type RoleInput struct {
	Name         string         `json:"name"`
	Description  string         `json:"description"`
	DefaultScope auth.ScopeKind `json:"default_scope"`
	Perms        []string       `json:"perms"`
	Version      int            `json:"version"`
}

// adminOnly are permissions that only the matching administrator role may
// hold, so that editing roles cannot undo 三员分立.
var adminOnly = map[string]string{
	"audit.read": RoleAuditor, "role.write": RoleSecadmin, "security.write": RoleSecadmin, "user.write": RoleSecadmin,
}

// UpdateRole edits a role (the security administrator's job).
func (s *Service) UpdateRole(ctx context.Context, code string, in RoleInput) (*Role, error) {
	if _, err := auth.Require(ctx, "role.write"); err != nil {
		return nil, err
	}
	var v apperr.Fields
	if strings.TrimSpace(in.Name) == "" {
		v.Add("name", "角色名称不能为空")
	}
	if !ValidScope(in.DefaultScope) {
		v.Add("default_scope", "默认数据范围不正确")
	}
	known := map[string]bool{}
	for _, p := range auth.Permissions() {
		known[p.Code] = true
	}
	for _, p := range in.Perms {
		if !known[p] {
			v.Add("perms", "权限 %s 不存在", p)
		}
		if owner, ok := adminOnly[p]; ok && owner != code {
			v.Add("perms", "权限“%s”只能授予%s（三员分立）", auth.PermLabel(p), adminName(owner))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Role
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		roles, err := s.store.roles(ctx, tx)
		if err != nil {
			return err
		}
		var before *Role
		for i := range roles {
			if roles[i].Code == code {
				before = &roles[i]
			}
		}
		if before == nil {
			return apperr.New(apperr.NotFound, "角色 %s 不存在", code)
		}
		out = *before
		out.Name, out.Description, out.DefaultScope = strings.TrimSpace(in.Name), in.Description, in.DefaultScope
		out.Perms = slices.Compact(slices.Sorted(slices.Values(in.Perms)))
		ok, err := s.store.updateRole(ctx, tx, out, in.Version)
		if err != nil {
			return err
		}
		if !ok {
			return conflict()
		}
		out.Version = in.Version + 1
		return audit.Record(ctx, tx, audit.Event{Action: "role.update", ObjectType: "role", ObjectID: code, Summary: "修改角色 " + out.Name + " 的权限", Before: before, After: out})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ---- security settings ----

// Settings returns the security settings.
func (s *Service) Settings(ctx context.Context) (*auth.Settings, error) {
	if _, err := auth.Require(ctx, "security.write"); err != nil {
		return nil, err
	}
	set, err := auth.LoadSettings(ctx, s.db)
	return &set, err
}

// UpdateSettings saves the security settings.
func (s *Service) UpdateSettings(ctx context.Context, in auth.Settings) (*auth.Settings, error) {
	if _, err := auth.Require(ctx, "security.write"); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		before, err := auth.LoadSettings(ctx, tx)
		if err != nil {
			return err
		}
		if err := auth.SaveSettings(ctx, tx, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "security.settings", ObjectType: "settings", ObjectID: "security", Summary: "修改安全策略", Before: before, After: in})
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// ---- sign-in ----

// Login checks credentials with per-(account, address) throttling and
// per-account lockout, and starts a session. Every attempt is audited; a
// failed attempt is committed before the error is returned. A username
// that does not exist answers exactly like a real account — the same
// messages, a lockout after the same number of failures, one password
// check per attempt — so that neither answers nor timing reveal which
// accounts exist.
func (s *Service) Login(ctx context.Context, username, password string) (string, *Me, error) {
	client := audit.ClientFrom(ctx)
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return "", nil, err
	}
	username = strings.TrimSpace(username)
	if err := auth.Throttle(ctx, s.db, client.IP, username, set); err != nil {
		if apperr.Is(err, apperr.RateLimited) {
			_ = s.db.WithTx(ctx, func(tx *db.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorName: username, Result: "fail", Summary: "登录过于频繁，已限流"})
			})
		}
		return "", nil, err
	}
	badCreds := apperr.New(apperr.Unauthenticated, "用户名或密码错误")
	var token string
	var userID int64
	var outErr error
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		now := auth.Now()
		u, err := s.store.userByUsername(ctx, tx, username)
		known := err == nil
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		failed, lockedUntil := u.failedCount, u.lockedUntil
		if !known {
			if failed, lockedUntil, err = s.store.unknownLogin(ctx, tx, username); err != nil {
				return err
			}
		}
		fail := func(msg string, e error) error {
			outErr = e
			if !known {
				return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorName: username, Result: "fail", Summary: "用户名不存在：" + msg})
			}
			return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorID: u.ID, ActorName: u.Username, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Result: "fail", Summary: msg})
		}
		if lockedUntil != nil && lockedUntil.After(now) {
			auth.CheckNothing(password) // the same cost as any other attempt
			mins := int(math.Ceil(lockedUntil.Sub(now).Minutes()))
			return fail("账号锁定期间尝试登录", apperr.New(apperr.Locked, "账号已锁定，请 %d 分钟后再试", mins))
		}
		ok := false
		if known && u.passwordHash != "" {
			ok = auth.CheckPassword(u.passwordHash, password)
		} else {
			auth.CheckNothing(password)
		}
		if !ok {
			n, until, locked := nextFailure(set, failed, lockedUntil, now)
			if known {
				err = s.store.recordFailure(ctx, tx, u.ID, n, until)
			} else {
				err = s.store.recordUnknown(ctx, tx, username, n, until, now)
			}
			if err != nil {
				return err
			}
			if locked != nil {
				return fail(fmt.Sprintf("密码错误（连续第 %d 次），账号已锁定", set.LockoutThreshold), locked)
			}
			return fail(fmt.Sprintf("密码错误（连续第 %d 次）", n), badCreds)
		}
		if u.Status != "active" {
			return fail("账号已停用", apperr.New(apperr.Unauthenticated, "账号已停用，请联系系统管理员"))
		}
		if err := s.store.recordSuccess(ctx, tx, u.ID); err != nil {
			return err
		}
		token, err = auth.CreateSession(ctx, tx, u.ID, set, client.IP, client.UserAgent)
		if err != nil {
			return err
		}
		userID = u.ID
		return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorID: u.ID, ActorName: u.Username, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Summary: "登录成功"})
	})
	if err != nil {
		return "", nil, err
	}
	if outErr != nil {
		return "", nil, outErr
	}
	a, err := s.LoadActor(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	me, err := s.me(ctx, a)
	return token, me, err
}

// nextFailure counts one more wrong password against an account whose
// count is failed (a lock that has run out starts a fresh count). At the
// threshold the count restarts and the account locks: until is the lock's
// end and locked the error to answer with; otherwise both are nil.
func nextFailure(set auth.Settings, failed int, lockedUntil *time.Time, now time.Time) (n int, until *time.Time, locked error) {
	n = failed + 1
	if lockedUntil != nil && !lockedUntil.After(now) {
		n = 1
	}
	if n < set.LockoutThreshold {
		return n, nil, nil
	}
	t := now.Add(time.Duration(set.LockoutMinutes) * time.Minute)
	return 0, &t, apperr.New(apperr.Locked, "密码连续错误 %d 次，账号已锁定，请 %d 分钟后再试", set.LockoutThreshold, set.LockoutMinutes)
}

// Logout ends the session with token.
func (s *Service) Logout(ctx context.Context, token string) error {
	a := auth.From(ctx)
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := auth.DeleteSession(ctx, tx, token); err != nil {
			return err
		}
		if a == nil {
			return nil
		}
		return audit.Record(ctx, tx, audit.Event{Action: "auth.logout", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID), UnitID: a.UnitID, Summary: "退出登录"})
	})
}

// LogoutEverywhere ends every session of the signed-in user.
func (s *Service) LogoutEverywhere(ctx context.Context) (int64, error) {
	a := auth.From(ctx)
	if a == nil || a.System {
		return 0, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	var n int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if n, err = auth.DeleteUserSessions(ctx, tx, a.UserID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "auth.logout_all", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID), UnitID: a.UnitID, Summary: fmt.Sprintf("在所有设备退出登录（%d 个会话）", n)})
	})
	return n, err
}

// ChangePassword changes the signed-in user's own password; other sessions
// of the user end.
func (s *Service) ChangePassword(ctx context.Context, old, new string) error {
	a := auth.From(ctx)
	if a == nil || a.System {
		return apperr.New(apperr.Unauthenticated, "请先登录")
	}
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return err
	}
	var outErr error
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		u, err := s.store.user(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		now := auth.Now()
		if u.lockedUntil != nil && u.lockedUntil.After(now) {
			mins := int(math.Ceil(u.lockedUntil.Sub(now).Minutes()))
			return apperr.New(apperr.Locked, "账号已锁定，请 %d 分钟后再试", mins)
		}
		if !auth.CheckPassword(u.passwordHash, old) {
			// A wrong old password counts toward the lockout like a wrong
			// password at sign-in; the lock also ends the account's sessions.
			n, until, locked := nextFailure(set, u.failedCount, u.lockedUntil, now)
			if err := s.store.recordFailure(ctx, tx, u.ID, n, until); err != nil {
				return err
			}
			summary := fmt.Sprintf("修改密码时原密码错误（连续第 %d 次）", n)
			outErr = apperr.Field("old_password", "原密码不正确")
			if locked != nil {
				if _, err := auth.DeleteUserSessions(ctx, tx, u.ID); err != nil {
					return err
				}
				summary, outErr = fmt.Sprintf("修改密码时原密码连续错误 %d 次，账号已锁定", set.LockoutThreshold), locked
			}
			return audit.Record(ctx, tx, audit.Event{Action: "auth.change_password", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Result: "fail", Summary: summary})
		}
		if err := s.setPasswordTx(ctx, tx, u, new, false); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", u.ID, a.SessionID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "auth.change_password", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Summary: "修改本人密码"})
	})
	if err != nil {
		return err
	}
	return outErr
}

// LoadActor builds the Actor of userID: for each permission, the union of
// the scopes of the role assignments that grant it. An account that must
// change its password (first sign-in, reset, expiry) gets no permissions
// until it has.
func (s *Service) LoadActor(ctx context.Context, userID int64) (*auth.Actor, error) {
	u, err := s.store.user(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	if u.Status != "active" {
		return nil, apperr.New(apperr.Unauthenticated, "账号已停用")
	}
	a := &auth.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, UnitID: u.Unit.ID, UnitPath: u.unitPath, UnitName: u.Unit.Name, Perms: map[string]auth.Scope{}}
	// Roles and their permissions in one query; the chosen subtrees of
	// every assignment in one more, only when some assignment has them.
	grants, err := s.store.grants(ctx, s.db, u.ID)
	if err != nil {
		return nil, err
	}
	var chosen []int64
	for i, g := range grants {
		if i > 0 && g.role == grants[i-1].role {
			continue
		}
		a.Roles = append(a.Roles, g.role)
		if g.scope == auth.ScopeChosen {
			chosen = append(chosen, parseIDs(g.scopeUnits)...)
		}
	}
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if u.MustChangePassword || passwordExpired(u, set) {
		return a, nil
	}
	paths, err := s.store.unitPaths(ctx, s.db, chosen)
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		if g.perm == "" {
			continue
		}
		var sc auth.Scope
		switch g.scope {
		case auth.ScopeAll:
			sc = auth.Scope{All: true}
		case auth.ScopeOwn:
			sc = auth.Scope{Ranges: []auth.UnitRange{{Path: u.unitPath}}}
		case auth.ScopeSubtree:
			sc = auth.Scope{Ranges: []auth.UnitRange{{Path: u.unitPath, Subtree: true}}}
		case auth.ScopeChosen:
			for _, id := range parseIDs(g.scopeUnits) {
				if p, ok := paths[id]; ok {
					sc.Ranges = append(sc.Ranges, auth.UnitRange{Path: p, Subtree: true})
				}
			}
			slices.SortFunc(sc.Ranges, func(x, y auth.UnitRange) int { return strings.Compare(x.Path, y.Path) })
			sc.Ranges = slices.Compact(sc.Ranges)
		}
		a.Perms[g.perm] = a.Perms[g.perm].Merge(sc)
	}
	return a, nil
}

func passwordExpired(u User, set auth.Settings) bool {
	if set.PasswordExpiryDays <= 0 || u.passwordChangedAt == nil {
		return false
	}
	return auth.Now().After(u.passwordChangedAt.Add(time.Duration(set.PasswordExpiryDays) * 24 * time.Hour))
}

// Me describes the signed-in user.
func (s *Service) Me(ctx context.Context) (*Me, error) {
	a := auth.From(ctx)
	if a == nil || a.System {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	return s.me(ctx, a)
}

func (s *Service) me(ctx context.Context, a *auth.Actor) (*Me, error) {
	u, err := s.store.user(ctx, s.db, a.UserID)
	if err != nil {
		return nil, err
	}
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return nil, err
	}
	m := &Me{ID: u.ID, Username: u.Username, Name: u.Name, Unit: u.Unit, Roles: []string{}, Permissions: []string{},
		MustChangePassword: u.MustChangePassword, PasswordExpired: passwordExpired(u, set)}
	m.Roles = append(m.Roles, a.Roles...)
	for p := range a.Perms {
		m.Permissions = append(m.Permissions, p)
	}
	slices.Sort(m.Permissions)
	return m, nil
}

// ---- bootstrap and operator commands ----

// EnsureBuiltins inserts the built-in roles that are missing and the root
// unit when the tree is empty. It never changes roles the security
// administrator has edited.
func (s *Service) EnsureBuiltins(ctx context.Context) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		roles, err := s.store.roles(ctx, tx)
		if err != nil {
			return err
		}
		have := map[string]bool{}
		for _, r := range roles {
			have[r.Code] = true
		}
		for i, r := range BuiltinRoles {
			if !have[r.Code] {
				if err := s.store.insertRole(ctx, tx, r, i+1); err != nil {
					return err
				}
			}
		}
		if _, err := s.store.rootUnit(ctx, tx); err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		root := Unit{Code: "000000", Name: "区人民政府", Type: TypeDistrict, Status: "active"}
		return s.store.insertUnit(ctx, tx, &root, "/")
	})
}

// Bootstrap prepares a database on first start: built-in roles, the root
// unit, and — when no account exists — the three administrator accounts
// with random one-time passwords. It returns what it printed.
func (s *Service) Bootstrap(ctx context.Context, w io.Writer) error {
	if err := s.EnsureBuiltins(ctx); err != nil {
		return err
	}
	n, err := s.store.countUsers(ctx, s.db)
	if err != nil || n > 0 {
		return err
	}
	ctx = auth.With(ctx, auth.SystemActor("首次启动"))
	root, err := s.store.rootUnit(ctx, s.db)
	if err != nil {
		return err
	}
	for _, r := range AdminRoles {
		pw := auth.RandomPassword()
		_, err := s.CreateUser(ctx, UserInput{Username: r, Name: adminName(r), UnitID: root.ID, Password: pw, Roles: []Assignment{{Role: r}}})
		if err != nil {
			if apperr.Is(err, apperr.Invalid) && strings.Contains(err.Error(), "已被使用") {
				continue // another process created them at the same moment
			}
			return err
		}
		// Created by the system: still must be changed at first sign-in.
		if _, err := s.db.Exec(ctx, "UPDATE users SET must_change_password = 1 WHERE username = ?", r); err != nil {
			return err
		}
		fmt.Fprintf(w, "已创建%s账号 %s，一次性密码 %s（首次登录须修改）。也可用命令设置密码：fazhi user reset-password --username %s --password '新密码' --db …\n", adminName(r), r, pw, r)
	}
	return nil
}

// AddUserCLI creates an account from the command line (system actor):
// roles by code, unit by code (the root when empty). The password is set as
// given, without a forced change.
func (s *Service) AddUserCLI(ctx context.Context, username, password, name, unitCode string, roles []string) (*User, error) {
	ctx = auth.With(ctx, auth.SystemActor("命令行"))
	if err := CheckSeparation(roles); err != nil {
		return nil, err
	}
	var unit Unit
	var err error
	if unitCode == "" {
		unit, err = s.store.rootUnit(ctx, s.db)
	} else {
		unit, err = s.store.unitByCode(ctx, s.db, unitCode)
	}
	if err != nil {
		return nil, apperr.Field("unit", "单位编码 %s 不存在", unitCode)
	}
	if name == "" {
		name = username
	}
	as := make([]Assignment, len(roles))
	for i, r := range roles {
		as[i] = Assignment{Role: strings.TrimSpace(r)}
	}
	return s.CreateUser(ctx, UserInput{Username: username, Name: name, UnitID: unit.ID, Password: password, Roles: as})
}

// ResetPasswordCLI sets a password from the command line and clears any
// lockout and forced change.
func (s *Service) ResetPasswordCLI(ctx context.Context, username, password string) error {
	ctx = auth.With(ctx, auth.SystemActor("命令行"))
	u, err := s.store.userByUsername(ctx, s.db, username)
	if err != nil {
		return apperr.Field("username", "用户 %s 不存在", username)
	}
	return s.ResetPassword(ctx, u.ID, password)
}
