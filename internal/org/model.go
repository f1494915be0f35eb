// Package org owns the org tree (district → departments and towns →
// offices and villages), accounts, roles with their permissions, role
// assignments with data scope, sign-in and the security settings.
package org

import (
	"time"

	"fazhi/internal/platform/auth"
)

// UnitType is the kind of an org unit.
type UnitType string

const (
	TypeDistrict   UnitType = "district"   // 区（县）人民政府
	TypeDepartment UnitType = "department" // 区直部门
	TypeTown       UnitType = "town"       // 镇、街道
	TypeOffice     UnitType = "office"     // 内设机构、派出机构
	TypeVillage    UnitType = "village"    // 村、社区
)

// UnitTypeLabels are the Chinese names of unit types, in display order.
var UnitTypeLabels = []struct {
	Type  UnitType
	Label string
}{
	{TypeDistrict, "区县"}, {TypeDepartment, "部门"}, {TypeTown, "镇街"}, {TypeOffice, "科室"}, {TypeVillage, "村居"},
}

// Label returns the Chinese name of t.
func (t UnitType) Label() string {
	for _, l := range UnitTypeLabels {
		if l.Type == t {
			return l.Label
		}
	}
	return string(t)
}

// Valid reports whether t is a known type.
func (t UnitType) Valid() bool { return t.Label() != string(t) }

// Unit is one node of the org tree.
type Unit struct {
	ID        int64    `json:"id"`
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Type      UnitType `json:"type"`
	TypeLabel string   `json:"type_label"`
	ParentID  int64    `json:"parent_id,omitempty"`
	Path      string   `json:"path"`
	Sort      int      `json:"sort"`
	Status    string   `json:"status" doc:"active 或 disabled"`
	Version   int      `json:"version"`
}

// UnitRef is the short form of a unit inside other records.
type UnitRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// User is an account. Phone is masked unless the reader may manage users.
type User struct {
	ID                 int64        `json:"id"`
	Username           string       `json:"username"`
	Name               string       `json:"name"`
	Phone              string       `json:"phone"`
	Unit               UnitRef      `json:"unit"`
	Status             string       `json:"status" doc:"active 或 disabled"`
	Roles              []Assignment `json:"roles"`
	Locked             bool         `json:"locked"`
	MustChangePassword bool         `json:"must_change_password"`
	LastLoginAt        *time.Time   `json:"last_login_at,omitempty"`
	Version            int          `json:"version"`
	unitPath           string
	lockedUntil        *time.Time
	passwordHash       string
	passwordChangedAt  *time.Time
	failedCount        int
}

// Assignment is a role held by a user, with its data scope.
type Assignment struct {
	Role       string         `json:"role"`
	RoleName   string         `json:"role_name,omitempty"`
	Scope      auth.ScopeKind `json:"scope" doc:"own 本单位、subtree 本单位及下级、chosen 指定单位、all 全部"`
	ScopeUnits []int64        `json:"scope_units,omitempty" doc:"scope 为 chosen 时的单位"`
}

// Role is a role with its permissions and default scope.
type Role struct {
	ID           int64          `json:"id"`
	Code         string         `json:"code"`
	Name         string         `json:"name"`
	Description  string         `json:"description"`
	Admin        bool           `json:"admin" doc:"三员之一"`
	Builtin      bool           `json:"builtin"`
	DefaultScope auth.ScopeKind `json:"default_scope"`
	Perms        []string       `json:"perms"`
	Version      int            `json:"version"`
}

// Me is the signed-in user as the app shell sees it.
type Me struct {
	ID                 int64    `json:"id"`
	Username           string   `json:"username"`
	Name               string   `json:"name"`
	Unit               UnitRef  `json:"unit"`
	Roles              []string `json:"roles"`
	RoleNames          []string `json:"role_names" doc:"角色名称（与 roles 一一对应，页面显示用）"`
	Permissions        []string `json:"permissions"`
	MustChangePassword bool     `json:"must_change_password"`
	PasswordExpired    bool     `json:"password_expired"`
}
