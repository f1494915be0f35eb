package counsel

import (
	"context"
	"io"
	"net/http"

	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/httpx"
	xl "fazhi/internal/platform/xlsx"

	"github.com/danielgtaylor/huma/v2"
)

// Meta lists the register's code tables.
type Meta struct {
	Levels    []Option `json:"levels"`
	Kinds     []Option `json:"kinds"`
	WorkKinds []Option `json:"work_kinds"`
	Grades    []Option `json:"grades"`
}

type detailOut struct{ Body *Detail }

// Register declares the register's routes.
func (s *Service) Register(api huma.API) {
	tags := []string{"法律顾问"}
	op := func(id, method, path, summary string) huma.Operation {
		o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Tags: tags}
		if method == http.MethodPost && (id == "createCounselAdviser") {
			o.DefaultStatus = http.StatusCreated
		}
		return o
	}
	huma.Register(api, op("counselMeta", http.MethodGet, "/api/counsel/meta", "法律顾问代码表"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body Meta }, error) {
			if _, err := auth.Require(ctx, PermRead); err != nil {
				return nil, err
			}
			return &struct{ Body Meta }{Body: Meta{Levels: Levels, Kinds: Kinds, WorkKinds: WorkKinds, Grades: Grades}}, nil
		})
	huma.Register(api, op("counselFigures", http.MethodGet, "/api/counsel/figures", "法律顾问统计指标"),
		func(ctx context.Context, in *struct {
			From   string `query:"from"`
			To     string `query:"to"`
			UnitID int64  `query:"unit_id"`
		}) (*struct{ Body []metric.Figure }, error) {
			f, err := s.Figures(ctx, metric.Query{From: in.From, To: in.To, UnitID: in.UnitID})
			return &struct{ Body []metric.Figure }{Body: f}, err
		})
	huma.Register(api, op("counselCoverage", http.MethodGet, "/api/counsel/coverage", "法律顾问覆盖情况（含未覆盖单位）"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body *Coverage }, error) {
			c, err := s.Coverage(ctx)
			return &struct{ Body *Coverage }{Body: c}, err
		})
	huma.Register(api, op("listCounselAdvisers", http.MethodGet, "/api/counsel/advisers", "法律顾问库"),
		func(ctx context.Context, in *struct {
			AdviserFilter
			db.ListReq
		}) (*struct{ Body db.Paged[Adviser] }, error) {
			p, err := s.List(ctx, in.AdviserFilter, in.ListReq)
			return &struct{ Body db.Paged[Adviser] }{Body: p}, err
		})
	huma.Register(api, op("exportCounselAdvisers", http.MethodGet, "/api/counsel/advisers/export.xlsx", "导出法律顾问库（Excel）"),
		func(ctx context.Context, in *struct {
			AdviserFilter
		}) (*huma.StreamResponse, error) {
			actor, l, err := s.listSQL(ctx, in.AdviserFilter)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				httpx.Download(hc, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", files.ContentDisposition("法律顾问库.xlsx", "counsel-advisers.xlsx"),
					func(w io.Writer) error { return s.exportTo(hc.Context(), w, actor, l) })
			}}, nil
		})
	huma.Register(api, op("createCounselAdviser", http.MethodPost, "/api/counsel/advisers", "法律顾问选聘入库"),
		func(ctx context.Context, in *struct{ Body AdviserInput }) (*detailOut, error) {
			d, err := s.CreateAdviser(ctx, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, op("getCounselAdviser", http.MethodGet, "/api/counsel/advisers/{id}", "法律顾问详情"),
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*detailOut, error) {
			d, err := s.Get(ctx, in.ID)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, op("updateCounselAdviser", http.MethodPut, "/api/counsel/advisers/{id}", "修改法律顾问"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body AdviserInput
		}) (*detailOut, error) {
			d, err := s.UpdateAdviser(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, op("addCounselContract", http.MethodPost, "/api/counsel/advisers/{id}/contracts", "签订聘用合同"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body ContractInput
		}) (*detailOut, error) {
			d, err := s.AddContract(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, op("updateCounselContract", http.MethodPut, "/api/counsel/contracts/{id}", "修改聘用合同"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body ContractInput
		}) (*detailOut, error) {
			d, err := s.UpdateContract(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, op("addCounselWork", http.MethodPost, "/api/counsel/advisers/{id}/works", "登记工作记录"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body WorkInput
		}) (*detailOut, error) {
			d, err := s.AddWork(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	huma.Register(api, op("evaluateCounselAdviser", http.MethodPost, "/api/counsel/advisers/{id}/evaluations", "年度考核"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body EvaluationInput
		}) (*detailOut, error) {
			d, err := s.Evaluate(ctx, in.ID, in.Body)
			return &detailOut{Body: d}, err
		})
	const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	type fileOut struct {
		ContentType        string `header:"Content-Type"`
		ContentDisposition string `header:"Content-Disposition"`
		Body               []byte
	}
	type importIn struct {
		RawBody []byte
	}
	for _, t := range []struct {
		what, path, name, ascii string
		template                func() ([]byte, error)
		load                    func(context.Context, []byte) (*ImportReport, error)
	}{
		{"Advisers", "/api/counsel/advisers", "法律顾问库", "counsel-advisers", AdviserTemplate, s.ImportAdvisers},
		{"Works", "/api/counsel/works", "法律顾问工作记录", "counsel-works", WorkTemplate, s.ImportWorks},
	} {
		huma.Register(api, op("counsel"+t.what+"Template", http.MethodGet, t.path+"/template.xlsx", t.name+"导入模板"),
			func(ctx context.Context, _ *struct{}) (*fileOut, error) {
				if _, err := auth.Require(ctx, PermWrite); err != nil {
					return nil, err
				}
				b, err := t.template()
				if err != nil {
					return nil, err
				}
				return &fileOut{xlsxType, files.ContentDisposition(t.name+"导入模板.xlsx", t.ascii+"-template.xlsx"), b}, nil
			})
		imp := op("importCounsel"+t.what, http.MethodPost, t.path+"/import", "导入"+t.name+"（Excel；任何一行有误时整批不导入）")
		imp.MaxBodyBytes = xl.MaxFile
		huma.Register(api, imp, func(ctx context.Context, in *importIn) (*struct{ Body *ImportReport }, error) {
			rep, err := t.load(ctx, in.RawBody)
			return &struct{ Body *ImportReport }{Body: rep}, err
		})
	}
	huma.Register(api, op("exportCounselWorks", http.MethodGet, "/api/counsel/works/export.xlsx", "导出法律顾问工作记录（Excel）"),
		func(ctx context.Context, in *struct {
			WorkFilter
		}) (*huma.StreamResponse, error) {
			l, err := s.WorksSQL(ctx, in.WorkFilter)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				httpx.Download(hc, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", files.ContentDisposition("法律顾问工作记录.xlsx", "counsel-works.xlsx"),
					func(w io.Writer) error { return s.ExportWorksTo(hc.Context(), w, l) })
			}}, nil
		})
	huma.Register(api, op("listCounselWorks", http.MethodGet, "/api/counsel/works", "法律顾问工作记录"),
		func(ctx context.Context, in *struct {
			WorkFilter
			db.ListReq
		}) (*struct{ Body db.Paged[Work] }, error) {
			p, err := s.Works(ctx, in.WorkFilter, in.ListReq)
			return &struct{ Body db.Paged[Work] }{Body: p}, err
		})
}

// exportTo streams the advisers of l to w as .xlsx.
func (s *Service) exportTo(ctx context.Context, w io.Writer, actor *auth.Actor, l db.ListSQL) error {
	heads := []string{"姓名", "层级", "类别", "执业机构", "执业证号", "资格、专长", "联系电话", "管理单位", "当前服务单位数", "是否在册"}
	cols := make([]xl.Column, len(heads))
	for i, h := range heads {
		cols[i] = xl.Column{Title: h}
	}
	scan := s.scanner(actor)
	return xl.Stream(w, xl.Sheet{Name: "法律顾问库", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			a, err := scan(sc)
			if err != nil {
				return err
			}
			active := "在册"
			if !a.Active {
				active = "已出库"
			}
			return add(a.Name, a.LevelLabel, a.KindLabel, a.Firm, a.LicenseNo, a.Qualification, a.Phone, a.UnitName, a.Serving, active)
		})
	}))
}
