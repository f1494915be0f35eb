package org

import (
	"context"
	"fmt"

	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// DemoPassword is the password of every demo account (README, Makefile and
// browser tests rely on it).
const DemoPassword = "Fazhi@2026demo"

// DemoDepartments are the fictional district's departments, in order. The
// second field is the code suffix and the pinyin stem of demo usernames.
var DemoDepartments = [][2]string{
	{"区司法局", "sfj"}, {"区发展改革局", "fgj"}, {"区教育局", "jyj"}, {"区公安分局", "gaj"}, {"区财政局", "czj"},
	{"区人力社保局", "rsj"}, {"区自然资源局", "zrj"}, {"区生态环境局", "sthj"}, {"区住房城乡建设局", "zjj"}, {"区交通运输局", "jtj"},
	{"区农业农村局", "nyj"}, {"区商务局", "swj"}, {"区文化旅游局", "wlj"}, {"区卫生健康局", "wjj"}, {"区应急管理局", "yjj"},
	{"区市场监管局", "sj"}, {"区城市管理局", "cgj"}, {"区医保局", "ybj"}, {"区退役军人事务局", "tyj"}, {"区民政局", "mzj"},
	{"区审计局", "sjj"}, {"区统计局", "tjj"}, {"区水务局", "slj"}, {"区信访局", "xfj"}, {"区政务服务数据管理局", "zsj"},
	{"区科技局", "kjj"}, {"区林业局", "lyj"}, {"区体育局", "tyuj"}, {"区档案馆", "dag"}, {"区机关事务管理局", "jgj"},
}

// DemoTowns are the towns and subdistricts with their villages/communities.
var DemoTowns = []struct {
	Name     string
	Villages []string
}{
	{"城关街道", []string{"东门社区", "西门社区", "南关社区", "北街社区"}},
	{"清河街道", []string{"河畔社区", "柳岸社区", "新桥社区", "滨河社区"}},
	{"文昌街道", []string{"文昌社区", "书院社区", "状元社区"}},
	{"东湖街道", []string{"东湖社区", "湖光社区", "荷塘社区", "渔港社区"}},
	{"新华街道", []string{"新华社区", "团结社区", "光明社区"}},
	{"望江街道", []string{"望江社区", "临江社区", "江岸社区"}},
	{"石桥镇", []string{"石桥村", "上坪村", "下坪村", "李家村", "枫林村"}},
	{"白沙镇", []string{"白沙村", "沙湾村", "杨柳村", "三合村"}},
	{"青山镇", []string{"青山村", "松岭村", "竹园村", "龙潭村"}},
	{"桃源镇", []string{"桃源村", "杏花村", "梨园村", "溪口村", "田心村"}},
	{"永丰镇", []string{"永丰村", "丰收村", "五里村", "长塘村"}},
	{"安宁乡", []string{"安宁村", "和平村", "太平村", "双河村"}},
}

var demoSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"}
var demoGiven = []string{"建国", "秀英", "伟", "芳", "志强", "丽娟", "海涛", "静", "晓明", "桂兰", "文华", "春燕", "国平", "玉梅", "建军", "红霞", "立新", "雪梅", "振华", "慧敏", "永明", "淑芬", "德胜", "小红"}

func demoName(i int) string {
	return demoSurnames[(i*7)%len(demoSurnames)] + demoGiven[(i*11)%len(demoGiven)]
}

// SeedDemo loads the fictional 清河区: the tree, the demo accounts (all with
// DemoPassword) and, with scale > 1, proportionally more villages and
// clerks.
func (s *Service) SeedDemo(ctx context.Context, scale int) error {
	if scale < 1 {
		scale = 1
	}
	ctx = auth.With(ctx, auth.SystemActor("演示数据"))
	if err := s.EnsureBuiltins(ctx); err != nil {
		return err
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		roles, err := s.store.roles(ctx, tx)
		if err != nil {
			return err
		}
		roleIDs := map[string]int64{}
		for _, r := range roles {
			roleIDs[r.Code] = r.ID
		}
		root, err := s.store.rootUnit(ctx, tx)
		if err != nil {
			return err
		}
		root.Code, root.Name = "QH000000", "清河区人民政府"
		if _, err := s.store.updateUnit(ctx, tx, root, root.Version); err != nil {
			return err
		}
		units := 1
		add := func(code, name string, t UnitType, parent Unit, sort int) (Unit, error) {
			u := Unit{Code: code, Name: name, Type: t, ParentID: parent.ID, Sort: sort, Status: "active"}
			units++
			return u, s.store.insertUnit(ctx, tx, &u, parent.Path)
		}
		depts := map[string]Unit{}
		for i, d := range DemoDepartments {
			u, err := add(fmt.Sprintf("QH1%02d000", i+1), d[0], TypeDepartment, root, i+1)
			if err != nil {
				return err
			}
			depts[d[1]] = u
		}
		for i, o := range []string{"办公室", "法治督察科", "行政执法协调监督科", "行政复议与应诉科", "立法与合法性审查科", "普法与依法治理科"} {
			if _, err := add(fmt.Sprintf("QH101%03d", i+1), o, TypeOffice, depts["sfj"], i+1); err != nil {
				return err
			}
		}
		for i, o := range []string{"办公室", "法规科", "综合执法大队"} {
			if _, err := add(fmt.Sprintf("QH116%03d", i+1), o, TypeOffice, depts["sj"], i+1); err != nil {
				return err
			}
		}
		var towns []Unit
		for i, t := range DemoTowns {
			tu, err := add(fmt.Sprintf("QH2%02d000", i+1), t.Name, TypeTown, root, 100+i)
			if err != nil {
				return err
			}
			towns = append(towns, tu)
			n := 0
			for k := 0; k < scale; k++ {
				for j, v := range t.Villages {
					name := v
					if k > 0 {
						name = fmt.Sprintf("%s%d组", v, k+1)
					}
					n++
					if _, err := add(fmt.Sprintf("QH2%02d%03d", i+1, n), name, TypeVillage, tu, j+1+k*100); err != nil {
						return err
					}
				}
			}
		}
		users := 0
		person := 0
		addUser := func(username, name string, unit Unit, role string, more ...string) error {
			person++
			if name == "" {
				name = demoName(person)
			}
			_, err := s.store.userByUsername(ctx, tx, username)
			if err == nil {
				// A first-start administrator account: take over as demo account.
				if _, err := tx.Exec(ctx, "UPDATE users SET name = ?, password_hash = ?, must_change_password = 0, unit_id = ? WHERE username = ?", name, hash, unit.ID, username); err != nil {
					return err
				}
				return nil
			}
			u := User{Username: username, Name: name, Phone: fmt.Sprintf("139%08d", 10000000+person*7919%90000000), Unit: UnitRef{ID: unit.ID}, Status: "active"}
			if err := s.store.insertUser(ctx, tx, &u, hash, false); err != nil {
				return err
			}
			users++
			as := []Assignment{{Role: role, Scope: defaultScope(role)}}
			for _, r := range more {
				as = append(as, Assignment{Role: r, Scope: defaultScope(r)})
			}
			return s.store.replaceAssignments(ctx, tx, u.ID, as, roleIDs)
		}
		for _, a := range []struct{ u, n, r string }{
			{"sysadmin", "系统管理员", RoleSysadmin}, {"secadmin", "安全管理员", RoleSecadmin}, {"auditor", "审计管理员", RoleAuditor},
		} {
			if err := addUser(a.u, a.n, root, a.r); err != nil {
				return err
			}
		}
		if err := addUser("leader", "陈志远", root, RoleLeader); err != nil {
			return err
		}
		if err := addUser("sifaju", "王建国", depts["sfj"], RoleSupervisor); err != nil {
			return err
		}
		if err := addUser("sifaju2", "李秀英", depts["sfj"], RoleSupervisor); err != nil {
			return err
		}
		if err := addUser("clerk_sj", "张晓明", depts["sj"], RoleClerk); err != nil {
			return err
		}
		if err := addUser("head_sj", "刘海涛", depts["sj"], RoleHead); err != nil {
			return err
		}
		for i, d := range DemoDepartments {
			if d[1] == "sfj" || d[1] == "sj" {
				continue
			}
			if err := addUser("head_"+d[1], "", depts[d[1]], RoleHead); err != nil {
				return err
			}
			for k := 0; k < scale; k++ {
				name := "clerk_" + d[1]
				if k > 0 {
					name = fmt.Sprintf("clerk_%s%d", d[1], k+1)
				}
				if err := addUser(name, "", depts[d[1]], RoleClerk); err != nil {
					return err
				}
			}
			_ = i
		}
		for i, t := range towns {
			if err := addUser(fmt.Sprintf("head_town%02d", i+1), "", t, RoleHead); err != nil {
				return err
			}
			if err := addUser(fmt.Sprintf("clerk_town%02d", i+1), "", t, RoleClerk); err != nil {
				return err
			}
		}
		// Added last so that the generated names of the accounts above do
		// not move. The district government's office: records the government's own
		// steps (collective decisions, party-committee reports,
		// publication, deliberation of the government's documents) and
		// reads the district's records to do so.
		if err := addUser("zfb", "赵文博", root, RoleGovOffice, RoleLeader); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "demo.load", ObjectType: "org", Summary: fmt.Sprintf("载入演示组织机构：%d 个单位、%d 个账号", units, users)})
	})
}

func defaultScope(role string) auth.ScopeKind {
	for _, r := range BuiltinRoles {
		if r.Code == role {
			return r.Scope
		}
	}
	return auth.ScopeOwn
}
