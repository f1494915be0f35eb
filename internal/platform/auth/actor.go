// Package auth knows who is acting: sessions, passwords, single sign-on, and
// the Actor every Service method starts from. The Actor carries, for each
// permission, the data scope granted by the roles that grant that
// permission — not the widest scope for everything.
package auth

import (
	"context"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
)

// ScopeKind is how far a role's reach extends from a unit.
type ScopeKind string

const (
	ScopeOwn     ScopeKind = "own"     // the actor's own unit only
	ScopeSubtree ScopeKind = "subtree" // the actor's unit and everything below
	ScopeChosen  ScopeKind = "chosen"  // chosen subtrees (configured per role assignment)
	ScopeAll     ScopeKind = "all"     // the whole district
)

// UnitRange is one visible part of the org tree, by materialized path
// ("/1/4/17/"). Subtree includes every unit whose path starts with Path.
type UnitRange struct {
	Path    string `json:"path"`
	Subtree bool   `json:"subtree"`
}

// Scope is the union of ranges an actor may see for one permission.
type Scope struct {
	All    bool        `json:"all"`
	Ranges []UnitRange `json:"ranges,omitempty"`
}

// Contains reports whether a unit with path is inside the scope.
func (s Scope) Contains(path string) bool {
	if s.All {
		return true
	}
	for _, r := range s.Ranges {
		if r.Path == path || (r.Subtree && strings.HasPrefix(path, r.Path)) {
			return true
		}
	}
	return false
}

// Merge adds other's ranges to s.
func (s Scope) Merge(other Scope) Scope {
	if s.All || other.All {
		return Scope{All: true}
	}
	out := Scope{Ranges: slices.Clone(s.Ranges)}
	for _, r := range other.Ranges {
		if !slices.Contains(out.Ranges, r) {
			out.Ranges = append(out.Ranges, r)
		}
	}
	return out
}

// Actor is the authenticated user (or the system) behind a call.
type Actor struct {
	UserID    int64            `json:"id"`
	Username  string           `json:"username"`
	Name      string           `json:"name"`
	UnitID    int64            `json:"unit_id"`
	UnitPath  string           `json:"-"`
	UnitName  string           `json:"unit_name"`
	Roles     []string         `json:"roles"`
	Perms     map[string]Scope `json:"-"`
	SessionID string           `json:"-"`
	IP        string           `json:"-"`
	System    bool             `json:"-"` // background jobs, demo loader, CLI
}

// Can reports whether the actor holds perm anywhere.
func (a *Actor) Can(perm string) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	_, ok := a.Perms[perm]
	return ok
}

// ScopeFor returns the data scope the actor has for perm.
func (a *Actor) ScopeFor(perm string) (Scope, bool) {
	if a == nil {
		return Scope{}, false
	}
	if a.System {
		return Scope{All: true}, true
	}
	s, ok := a.Perms[perm]
	return s, ok
}

// CanIn reports whether the actor holds perm for a record of the unit with
// unitPath.
func (a *Actor) CanIn(perm, unitPath string) bool {
	s, ok := a.ScopeFor(perm)
	return ok && s.Contains(unitPath)
}

// HasRole reports whether the actor holds role.
func (a *Actor) HasRole(role string) bool { return a != nil && slices.Contains(a.Roles, role) }

type ctxKey struct{}

// With returns ctx carrying a.
func With(ctx context.Context, a *Actor) context.Context { return context.WithValue(ctx, ctxKey{}, a) }

// From returns the actor in ctx, or nil.
func From(ctx context.Context) *Actor {
	a, _ := ctx.Value(ctxKey{}).(*Actor)
	return a
}

// SystemActor acts for background jobs, the demo loader and CLI commands.
func SystemActor(name string) *Actor {
	return &Actor{Username: "system", Name: name, System: true}
}

// Require returns the actor in ctx if it holds perm; otherwise an
// unauthenticated or forbidden error. Every Service method starts here.
func Require(ctx context.Context, perm string) (*Actor, error) {
	a := From(ctx)
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	if !a.Can(perm) {
		return nil, apperr.New(apperr.Forbidden, "没有权限执行此操作（需要权限：%s）", PermLabel(perm))
	}
	return a, nil
}

// RequireIn is Require plus a check that the record's unit is in scope.
// Records outside the scope are reported as not found, so that their
// existence does not leak.
func RequireIn(ctx context.Context, perm, unitPath string) (*Actor, error) {
	a, err := Require(ctx, perm)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(perm, unitPath) {
		return nil, apperr.New(apperr.NotFound, "记录不存在或无权查看")
	}
	return a, nil
}

// ScopeClause returns a SQL condition restricting unitIDColumn to the
// actor's scope for perm, with its arguments ('?' placeholders). It is the
// one helper every list and read query in every module uses. The org_units
// table keeps materialized paths, so a subtree is one indexed LIKE.
func ScopeClause(a *Actor, perm, unitIDColumn string) (string, []any) {
	s, ok := a.ScopeFor(perm)
	if !ok {
		return "1=0", nil
	}
	if s.All {
		return "1=1", nil
	}
	if len(s.Ranges) == 0 {
		return "1=0", nil
	}
	var conds []string
	var args []any
	for _, r := range s.Ranges {
		if r.Subtree {
			conds = append(conds, "u.path LIKE ?")
			args = append(args, r.Path+"%")
		} else {
			conds = append(conds, "u.path = ?")
			args = append(args, r.Path)
		}
	}
	return unitIDColumn + " IN (SELECT u.id FROM org_units u WHERE " + strings.Join(conds, " OR ") + ")", args
}

// permLabels gives Chinese names for permission codes; modules add theirs
// with RegisterPerms at init.
var permLabels = map[string]string{}

// Permission describes one permission code for the roles screen.
type Permission struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Module string `json:"module"`
}

var permList []Permission

// RegisterPerms declares a module's permissions (called from module init).
func RegisterPerms(module string, perms map[string]string) {
	for code, label := range perms {
		if _, dup := permLabels[code]; dup {
			continue
		}
		permLabels[code] = label
		permList = append(permList, Permission{Code: code, Label: label, Module: module})
	}
	slices.SortFunc(permList, func(a, b Permission) int { return strings.Compare(a.Code, b.Code) })
}

// Permissions lists every declared permission.
func Permissions() []Permission { return slices.Clone(permList) }

// PermLabel returns the Chinese label of perm (or the code itself).
func PermLabel(perm string) string {
	if l, ok := permLabels[perm]; ok {
		return l
	}
	return perm
}

// ActsFor reports whether the actor holds perm for exactly the unit with
// unitPath: a scope range names the units it was granted for, and a
// subtree range does not pass the right down (a department is its own
// decision body or issuing body, not its parent's). It is the check for
// steps a body records in its own name — a government's collective
// decision, an issuing body's deliberation, a reviewing body's conclusion.
// The whole-district scope acts for every unit.
func (a *Actor) ActsFor(perm, unitPath string) bool {
	s, ok := a.ScopeFor(perm)
	if !ok || unitPath == "" && !s.All {
		return false
	}
	if s.All {
		return true
	}
	for _, r := range s.Ranges {
		if r.Path == unitPath {
			return true
		}
	}
	return false
}

// Within reports whether the actor's own unit is unitPath or below it.
func (a *Actor) Within(unitPath string) bool {
	return a != nil && !a.System && unitPath != "" && strings.HasPrefix(a.UnitPath, unitPath)
}
