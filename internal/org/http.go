package org

import (
	"context"
	"net/http"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	xl "fazhi/internal/platform/xlsx"

	"github.com/danielgtaylor/huma/v2"
)

type loginInput struct {
	Body struct {
		Username string `json:"username" maxLength:"64"`
		Password string `json:"password" maxLength:"256"`
	}
}

type loginBody struct {
	User *Me `json:"user"`
}

type loginOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      loginBody
}

type logoutInput struct {
	Session string `cookie:"fazhi_session"`
}

type logoutOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}

type meOutput struct{ Body *Me }

type passwordInput struct {
	Body struct {
		OldPassword string `json:"old_password" maxLength:"256"`
		NewPassword string `json:"new_password" maxLength:"256"`
	}
}

type idPath struct {
	ID int64 `path:"id"`
}

type unitListInput struct {
	Q        string `query:"q"`
	Type     string `query:"type"`
	ParentID int64  `query:"parent_id"`
	Status   string `query:"status"`
	Page     int    `query:"page"`
	PageSize int    `query:"page_size"`
}

// List is a page of records.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

type unitListOutput struct{ Body List[Unit] }
type unitsOutput struct{ Body []Unit }
type unitOutput struct{ Body *Unit }

type unitInput struct{ Body UnitInput }
type unitUpdateInput struct {
	ID   int64 `path:"id"`
	Body UnitInput
}
type unitMoveInput struct {
	ID   int64 `path:"id"`
	Body struct {
		ParentID int64 `json:"parent_id"`
		Version  int   `json:"version"`
	}
}

type userListInput struct {
	Q        string `query:"q"`
	UnitID   int64  `query:"unit_id"`
	Role     string `query:"role"`
	Status   string `query:"status"`
	Page     int    `query:"page"`
	PageSize int    `query:"page_size"`
}
type userListOutput struct{ Body List[User] }
type userOutput struct{ Body *User }
type userInput struct{ Body UserInput }
type userUpdateInput struct {
	ID   int64 `path:"id"`
	Body UserInput
}
type resetInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Password string `json:"password" maxLength:"256"`
	}
}
type rolesInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Roles []Assignment `json:"roles"`
	}
}
type rolesOutput struct{ Body []Role }
type roleOutput struct{ Body *Role }
type roleUpdateInput struct {
	Code string `path:"code"`
	Body RoleInput
}
type permsOutput struct{ Body []auth.Permission }
type settingsOutput struct{ Body *auth.Settings }
type settingsInput struct{ Body auth.Settings }
type countOutput struct {
	Body struct {
		Ended int64 `json:"ended"`
	}
}

// xlsxOutput is an Excel download.
type xlsxOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type importInput struct {
	ValidOnly bool `query:"valid_only" doc:"只导入无误的行"`
	RawBody   []byte
}

type importOutput struct{ Body *ImportReport }

// Register declares the org module's routes.
func (s *Service) Register(api huma.API) {
	tagAuth := []string{"登录与账号"}
	huma.Register(api, huma.Operation{OperationID: "auth-login", Method: http.MethodPost, Path: "/api/auth/login", Summary: "登录", Tags: tagAuth},
		func(ctx context.Context, in *loginInput) (*loginOutput, error) {
			token, me, err := s.Login(ctx, in.Body.Username, in.Body.Password)
			if err != nil {
				return nil, err
			}
			out := &loginOutput{SetCookie: auth.Cookie(ctx, token, 0)}
			out.Body.User = me
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "auth-logout", Method: http.MethodPost, Path: "/api/auth/logout", Summary: "退出登录", Tags: tagAuth, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *logoutInput) (*logoutOutput, error) {
			if in.Session != "" {
				if err := s.Logout(ctx, in.Session); err != nil {
					return nil, err
				}
			}
			return &logoutOutput{SetCookie: auth.Cookie(ctx, "", -1)}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "auth-logout-all", Method: http.MethodPost, Path: "/api/auth/logout-all", Summary: "在所有设备退出", Tags: tagAuth},
		func(ctx context.Context, _ *struct{}) (*countOutput, error) {
			n, err := s.LogoutEverywhere(ctx)
			if err != nil {
				return nil, err
			}
			out := &countOutput{}
			out.Body.Ended = n
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "auth-me", Method: http.MethodGet, Path: "/api/auth/me", Summary: "当前用户", Tags: tagAuth},
		func(ctx context.Context, _ *struct{}) (*meOutput, error) {
			me, err := s.Me(ctx)
			if err != nil {
				return nil, err
			}
			return &meOutput{Body: me}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "auth-change-password", Method: http.MethodPost, Path: "/api/auth/password", Summary: "修改本人密码", Tags: tagAuth, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *passwordInput) (*struct{}, error) {
			return nil, s.ChangePassword(ctx, in.Body.OldPassword, in.Body.NewPassword)
		})

	tagOrg := []string{"组织机构"}
	huma.Register(api, huma.Operation{OperationID: "org-units-tree", Method: http.MethodGet, Path: "/api/org/tree", Summary: "组织机构树（数据范围内全部单位，按层级排序）", Tags: tagOrg},
		func(ctx context.Context, in *unitListInput) (*unitsOutput, error) {
			us, err := s.Tree(ctx, UnitFilter{Q: in.Q, Type: in.Type, Status: in.Status})
			if err != nil {
				return nil, err
			}
			return &unitsOutput{Body: us}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "org-units-list", Method: http.MethodGet, Path: "/api/org/units", Summary: "单位列表", Tags: tagOrg},
		func(ctx context.Context, in *unitListInput) (*unitListOutput, error) {
			us, total, err := s.ListUnits(ctx, UnitFilter{Q: in.Q, Type: in.Type, ParentID: in.ParentID, Status: in.Status}, db.Page{Page: in.Page, Size: in.PageSize})
			if err != nil {
				return nil, err
			}
			return &unitListOutput{Body: List[Unit]{Items: us, Total: total}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "org-units-get", Method: http.MethodGet, Path: "/api/org/units/{id}", Summary: "单位详情", Tags: tagOrg},
		func(ctx context.Context, in *idPath) (*unitOutput, error) {
			u, err := s.GetUnit(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &unitOutput{Body: u}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "org-units-create", Method: http.MethodPost, Path: "/api/org/units", Summary: "新增单位", Tags: tagOrg, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *unitInput) (*unitOutput, error) {
			u, err := s.CreateUnit(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &unitOutput{Body: u}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "org-units-update", Method: http.MethodPut, Path: "/api/org/units/{id}", Summary: "修改单位", Tags: tagOrg},
		func(ctx context.Context, in *unitUpdateInput) (*unitOutput, error) {
			u, err := s.UpdateUnit(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &unitOutput{Body: u}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "org-units-move", Method: http.MethodPost, Path: "/api/org/units/{id}/move", Summary: "移动单位（连同下级）", Tags: tagOrg},
		func(ctx context.Context, in *unitMoveInput) (*unitOutput, error) {
			u, err := s.MoveUnit(ctx, in.ID, in.Body.ParentID, in.Body.Version)
			if err != nil {
				return nil, err
			}
			return &unitOutput{Body: u}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "org-units-export", Method: http.MethodGet, Path: "/api/org/units/export.xlsx", Summary: "导出组织机构（Excel）", Tags: tagOrg},
		func(ctx context.Context, _ *struct{}) (*xlsxOutput, error) {
			b, err := s.ExportUnits(ctx)
			if err != nil {
				return nil, err
			}
			return xlsx("组织机构.xlsx", "org-units.xlsx", b), nil
		})
	huma.Register(api, huma.Operation{OperationID: "org-units-import", Method: http.MethodPost, Path: "/api/org/import", Summary: "导入组织机构（Excel）", Tags: tagOrg,
		MaxBodyBytes: xl.MaxFile,
		RequestBody:  &huma.RequestBody{Content: map[string]*huma.MediaType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}},
		func(ctx context.Context, in *importInput) (*importOutput, error) {
			rep, err := s.ImportUnits(ctx, in.RawBody, in.ValidOnly)
			if err != nil {
				return nil, err
			}
			return &importOutput{Body: rep}, nil
		})

	tagUser := []string{"用户管理"}
	huma.Register(api, huma.Operation{OperationID: "users-list", Method: http.MethodGet, Path: "/api/users", Summary: "用户列表", Tags: tagUser},
		func(ctx context.Context, in *userListInput) (*userListOutput, error) {
			us, total, err := s.ListUsers(ctx, UserFilter{Q: in.Q, UnitID: in.UnitID, Role: in.Role, Status: in.Status}, db.Page{Page: in.Page, Size: in.PageSize})
			if err != nil {
				return nil, err
			}
			return &userListOutput{Body: List[User]{Items: us, Total: total}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "users-get", Method: http.MethodGet, Path: "/api/users/{id}", Summary: "用户详情", Tags: tagUser},
		func(ctx context.Context, in *idPath) (*userOutput, error) {
			u, err := s.GetUser(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &userOutput{Body: u}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "users-create", Method: http.MethodPost, Path: "/api/users", Summary: "新建用户", Tags: tagUser, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *userInput) (*userOutput, error) {
			u, err := s.CreateUser(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &userOutput{Body: u}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "users-update", Method: http.MethodPut, Path: "/api/users/{id}", Summary: "修改用户", Tags: tagUser},
		func(ctx context.Context, in *userUpdateInput) (*userOutput, error) {
			u, err := s.UpdateUser(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &userOutput{Body: u}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "users-reset-password", Method: http.MethodPost, Path: "/api/users/{id}/reset-password", Summary: "重置密码", Tags: tagUser, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *resetInput) (*struct{}, error) {
			return nil, s.ResetPassword(ctx, in.ID, in.Body.Password)
		})
	huma.Register(api, huma.Operation{OperationID: "users-unlock", Method: http.MethodPost, Path: "/api/users/{id}/unlock", Summary: "解除锁定", Tags: tagUser, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *idPath) (*struct{}, error) {
			return nil, s.Unlock(ctx, in.ID)
		})
	huma.Register(api, huma.Operation{OperationID: "users-set-roles", Method: http.MethodPut, Path: "/api/users/{id}/roles", Summary: "分配角色与数据范围", Tags: tagUser},
		func(ctx context.Context, in *rolesInput) (*userOutput, error) {
			u, err := s.SetRoles(ctx, in.ID, in.Body.Roles)
			if err != nil {
				return nil, err
			}
			return &userOutput{Body: u}, nil
		})

	tagRole := []string{"角色权限"}
	huma.Register(api, huma.Operation{OperationID: "roles-list", Method: http.MethodGet, Path: "/api/roles", Summary: "角色列表", Tags: tagRole},
		func(ctx context.Context, _ *struct{}) (*rolesOutput, error) {
			rs, err := s.ListRoles(ctx)
			if err != nil {
				return nil, err
			}
			return &rolesOutput{Body: rs}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "roles-update", Method: http.MethodPut, Path: "/api/roles/{code}", Summary: "修改角色权限", Tags: tagRole},
		func(ctx context.Context, in *roleUpdateInput) (*roleOutput, error) {
			r, err := s.UpdateRole(ctx, in.Code, in.Body)
			if err != nil {
				return nil, err
			}
			return &roleOutput{Body: r}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "permissions-list", Method: http.MethodGet, Path: "/api/permissions", Summary: "权限清单", Tags: tagRole},
		func(ctx context.Context, _ *struct{}) (*permsOutput, error) {
			if _, err := auth.Require(ctx, "role.read"); err != nil {
				return nil, err
			}
			return &permsOutput{Body: auth.Permissions()}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "security-settings-get", Method: http.MethodGet, Path: "/api/settings/security", Summary: "安全策略", Tags: tagRole},
		func(ctx context.Context, _ *struct{}) (*settingsOutput, error) {
			st, err := s.Settings(ctx)
			if err != nil {
				return nil, err
			}
			return &settingsOutput{Body: st}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "security-settings-update", Method: http.MethodPut, Path: "/api/settings/security", Summary: "修改安全策略", Tags: tagRole},
		func(ctx context.Context, in *settingsInput) (*settingsOutput, error) {
			st, err := s.UpdateSettings(ctx, in.Body)
			if err != nil {
				return nil, err
			}
			return &settingsOutput{Body: st}, nil
		})
}

func xlsx(name, ascii string, b []byte) *xlsxOutput {
	return &xlsxOutput{
		ContentType:        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		ContentDisposition: files.ContentDisposition(name, ascii),
		Body:               b,
	}
}

var _ = apperr.Invalid
