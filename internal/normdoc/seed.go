package normdoc

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// DemoDeps is what the demo loader needs from the rest of the program.
type DemoDeps interface {
	// UnitID finds a demo org unit by its code.
	UnitID(ctx context.Context, code string) (int64, error)
	// Actor loads a demo account (each step is taken by the account whose
	// step it is).
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	// PlayReview carries a legality review the document opened through
	// the legality review demo's script of the same title (its chain
	// steps, conclusion and the unit's feedback, on the script's days).
	PlayReview(ctx context.Context, reviewID int64) error
}

// demoIssuer is one body of the issuing-body list; clerk drafts its
// documents and head takes its unit's approvals and, for a department, its
// collective deliberation (the district government's deliberation is
// recorded by its office, zfb).
type demoIssuer struct {
	code, name, prefix, basis string
	active                    bool
	clerk, head               string
}

var demoIssuers = []demoIssuer{
	{"QH000000", "清河区人民政府", "清河府规", "《地方各级人民代表大会和地方各级人民政府组织法》第七十四条", true, "sifaju", "sifaju"},
	{"QH120000", "清河区民政局", "清河民规", "区政府授权（清河府发〔2020〕12号）", true, "clerk_mzj", "head_mzj"},
	{"QH103000", "清河区教育局", "清河教规", "区政府授权（清河府发〔2020〕12号）", true, "clerk_jyj", "head_jyj"},
	{"QH116000", "清河区市场监管局", "清河市监规", "区政府授权（清河府发〔2020〕12号）", true, "clerk_sj", "head_sj"},
	{"QH109000", "清河区住房城乡建设局", "清河建规", "区政府授权（清河府发〔2020〕12号）", true, "clerk_zjj", "head_zjj"},
	{"QH114000", "清河区卫生健康局", "清河卫规", "区政府授权（清河府发〔2020〕12号）", true, "clerk_wjj", "head_wjj"},
	{"QH106000", "清河区人力社保局", "清河人社规", "区政府授权（清河府发〔2020〕12号）", true, "clerk_rsj", "head_rsj"},
	{"QH111000", "清河区农业农村局", "清河农规", "区政府授权（清河府发〔2020〕12号）", true, "clerk_nyj", "head_nyj"},
	{"QH117000", "清河区城市管理局", "清河城管规", "机构改革后职责划入区住房城乡建设局，2024年移出清单", false, "clerk_cgj", "head_cgj"},
}

// demoGoLive is the day the district started keeping its documents in the
// platform: the issuing-body list is entered and the clerk's spreadsheet of
// earlier documents imported; every later document goes through the
// procedure in the platform.
const demoGoLive = "2026-01-05"

// demoPast is a document published before the platform was in use, as the
// clerk's spreadsheet records it. filed is the number of days after
// publication it was filed (-1: not filed).
type demoPast struct {
	issuer, title, summary, pub string
	filed                       int
	result                      string // 备案审查结果 as the spreadsheet writes it
}

var demoPastDocs = []demoPast{
	{"清河区人民政府", "清河区城市道路挖掘管理办法", "规范城市道路挖掘审批和修复", "2021-03-10", 12, "审查通过"},
	{"清河区民政局", "清河区最低生活保障审核确认办法", "规范最低生活保障的申请、审核和确认", "2021-06-18", 20, "审查通过"},
	{"清河区人民政府", "清河区政府投资项目管理办法", "规范政府投资项目的决策、建设和监督", "2021-12-20", 25, "审查通过"},
	{"清河区教育局", "清河区校外培训机构管理暂行办法", "规范校外培训机构的设立和日常监管", "2022-04-12", 15, "审查通过"},
	{"清河区市场监管局", "清河区食品小作坊登记管理办法", "规范食品小作坊登记和监督检查", "2022-08-30", 18, "审查通过"},
	{"清河区人力社保局", "清河区就业见习管理办法", "规范就业见习基地认定和补贴发放", "2022-11-15", 41, "审查通过"},
	{"清河区民政局", "清河区养老服务补贴管理办法", "规范养老服务补贴的对象、标准和发放", "2023-03-15", 15, "审查通过"},
	{"清河区住房城乡建设局", "清河区物业服务质量评价办法", "建立物业服务质量评价制度", "2023-06-01", 22, "审查通过"},
	{"清河区卫生健康局", "清河区家庭医生签约服务管理办法", "规范家庭医生签约服务和考核", "2023-09-20", 10, "审查通过"},
	{"清河区人民政府", "清河区信访工作规定", "规范信访事项的受理、办理和督办", "2024-01-10", 14, "审查通过"},
	{"清河区民政局", "清河区社区养老服务驿站运营补助办法（试行）", "规范社区养老服务驿站运营补助", "2024-05-20", 9, "审查通过"},
	{"清河区民政局", "清河区临时救助实施细则（试行）", "规范临时救助的对象、标准和程序", "2024-12-25", 16, "审查通过"},
	{"清河区市场监管局", "清河区网络交易监督管理办法（试行）", "规范网络交易经营者登记和平台责任", "2025-01-15", 20, "审查通过"},
	{"清河区人民政府", "清河区公共资源交易管理办法", "规范公共资源交易平台运行和监管", "2025-02-18", 21, "审查通过"},
	{"清河区市场监管局", "清河区市场主体信用分级分类监管办法", "建立市场主体信用分级分类监管制度", "2025-04-08", 19, "审查通过"},
	{"清河区教育局", "清河区中小学校园安全管理办法", "规范中小学校园安全管理责任", "2025-07-01", 13, ""},
	{"清河区住房城乡建设局", "清河区老旧小区改造资金管理办法", "规范老旧小区改造资金的筹集和使用", "2025-09-12", 17, "予以撤销"},
}

// demoLive is a document of this year, taken through the procedure in the
// platform step by step on the days given; a step without a day is not
// reached yet. submitted must be the day of the legality review demo's
// script of the same title (legalreview/seed.go), which plays the review:
// its chain, the full working-day review period, the conclusion and the
// unit's feedback on the opinions.
type demoLive struct {
	issuer, title, topic string
	important            bool
	drafted              string
	evaluated            string // important documents: 评估论证
	commentFrom          string // and 公开征求意见
	commentTo            string
	submitted            string
	deliberated          string
	registered           string
	published            string
	filed                string
	result               FilingResult
	resultOn, resultNote string
}

var demoLiveDocs = []demoLive{
	{issuer: "清河区人民政府", title: "清河区城市绿化管理办法", topic: "城市绿化", drafted: "2026-01-05", submitted: "2026-01-12",
		deliberated: "2026-02-03", registered: "2026-02-05", published: "2026-02-10", filed: "2026-03-03", result: FilingPassed, resultOn: "2026-04-02"},
	{issuer: "清河区卫生健康局", title: "清河区院前医疗急救管理办法", topic: "院前医疗急救", important: true, drafted: "2026-01-19",
		evaluated: "2026-01-26", commentFrom: "2026-02-02", commentTo: "2026-03-04", submitted: "2026-03-09",
		deliberated: "2026-03-31", registered: "2026-04-02", published: "2026-04-08", filed: "2026-04-28", result: FilingPassed, resultOn: "2026-05-29"},
	{issuer: "清河区住房城乡建设局", title: "清河区城市道路临时占用管理办法", topic: "城市道路临时占用", drafted: "2026-03-23", submitted: "2026-04-13",
		deliberated: "2026-05-08", registered: "2026-05-12", published: "2026-05-15", filed: "2026-06-05", result: FilingCorrection, resultOn: "2026-07-03",
		resultNote: "第九条对占用期限届满后未恢复原状的处以“暂停办理新的占用许可”，属增设限制措施，责令30日内纠正"},
	{issuer: "清河区人力社保局", title: "清河区创业担保贷款实施办法", topic: "创业担保贷款", drafted: "2026-04-20", submitted: "2026-05-06",
		deliberated: "2026-05-27", registered: "2026-05-29", published: "2026-06-03", filed: "2026-06-24", result: FilingPassed, resultOn: "2026-07-22"},
	// Filed a week after the 30-day deadline: the clerk's leave left it
	// unattended; the ledger and the figure show it late.
	{issuer: "清河区民政局", title: "清河区困难残疾人生活补贴发放办法", topic: "困难残疾人生活补贴", drafted: "2026-05-18", submitted: "2026-06-08",
		deliberated: "2026-06-30", registered: "2026-07-02", published: "2026-07-08", filed: "2026-08-14", result: FilingPassed, resultOn: "2026-09-10"},
	{issuer: "清河区农业农村局", title: "清河区农村宅基地管理实施细则", topic: "农村宅基地管理", drafted: "2026-07-13", submitted: "2026-08-03",
		deliberated: "2026-08-28", registered: "2026-09-01", published: "2026-09-07", filed: "2026-09-29"},
	{issuer: "清河区市场监管局", title: "清河区电动自行车停放充电管理办法（试行）", topic: "电动自行车停放充电", drafted: "2026-07-20", submitted: "2026-08-10",
		deliberated: "2026-11-10", registered: "2026-11-12", published: "2026-11-16"},
	{issuer: "清河区住房城乡建设局", title: "清河区公共租赁住房管理办法", topic: "公共租赁住房", drafted: "2026-09-14", submitted: "2026-10-12"},
	{issuer: "清河区民政局", title: "清河区殡葬管理办法", topic: "节地生态安葬和殡葬服务", drafted: "2026-09-21", submitted: "2026-10-19",
		deliberated: "2026-11-10", registered: "2026-11-13"},
	{issuer: "清河区市场监管局", title: "清河区户外广告设施设置管理办法", topic: "户外广告设施设置", drafted: "2026-10-19", submitted: "2026-11-05"},
	{issuer: "清河区人民政府", title: "清河区养犬管理规定", topic: "养犬管理", drafted: "2026-10-26", submitted: "2026-11-16"},
	{issuer: "清河区民政局", title: "清河区居家养老上门服务规范", topic: "居家养老上门服务", important: true, drafted: "2026-11-09", evaluated: "2026-11-20"},
	{issuer: "清河区教育局", title: "清河区中小学生课后服务管理办法", topic: "中小学生课后服务", drafted: "2026-11-23"},
}

func demoBody(issuer, title, topic string) string {
	return fmt.Sprintf("第一条 为了规范本区%s工作，保障公民、法人和其他组织的合法权益，根据有关法律、法规和规章的规定，结合本区实际，制定本办法。\n"+
		"第二条 本办法适用于本区行政区域内的%s及其监督管理活动。\n"+
		"第三条 %s负责本办法的组织实施，各镇人民政府、街道办事处和区有关部门按照职责分工做好相关工作。\n"+
		"第四条 %s应当坚持依法、公开、公平、便民的原则，相关信息通过区政府门户网站向社会公开。\n"+
		"第五条 本办法自施行之日起生效。《%s》由%s负责解释。", topic, topic, issuer, topic, title, issuer)
}

// demoStep is one dated act of the demo.
type demoStep struct {
	on   string
	hour int
	do   func(ctx context.Context) error
}

// SeedDemo loads the demo district's documents through the service under
// a simulated clock (platform/clock), each act on its day: the
// issuing-body list and the import of earlier documents on go-live day;
// this year's documents drafted, reviewed (a real legality review opened
// through LegalReviewer and played through its full period), deliberated,
// registered, published, filed (one late) and their filing reviews
// recorded, others still in drafting or review; a clean-up campaign from
// March to May; documents expiring within the reminder window.
func (s *Service) SeedDemo(ctx context.Context, deps DemoDeps) error {
	today := s.today(ctx)
	ctx, sim := clock.Simulate(ctx)
	at := func(date string, hour int) { sim.At(calendar.MustDate(date), hour) }
	as := func(username string) (context.Context, error) {
		a, err := deps.Actor(ctx, username)
		if err != nil {
			return nil, err
		}
		return auth.With(ctx, a), nil
	}
	at(demoGoLive, 9)
	staff, err := as("sifaju")
	if err != nil {
		return err
	}
	issuers := map[string]*Issuer{}
	people := map[string]demoIssuer{}
	for _, di := range demoIssuers {
		unit, err := deps.UnitID(ctx, di.code)
		if err != nil {
			return fmt.Errorf("normdoc demo: unit %s: %w", di.code, err)
		}
		in := IssuerInput{UnitID: unit, Name: di.name, Prefix: di.prefix, Basis: di.basis, ListedOn: "2020-12-30"}
		is, err := s.CreateIssuer(staff, in)
		if err != nil {
			return err
		}
		if !di.active {
			off := false
			in.Active, in.Version = &off, is.Version
			if is, err = s.UpdateIssuer(staff, is.ID, in); err != nil {
				return err
			}
		}
		issuers[di.name], people[di.name] = is, di
	}
	at(demoGoLive, 10)
	if err := s.seedImport(staff, issuers); err != nil {
		return err
	}

	var steps []demoStep
	add := func(on string, hour int, do func(ctx context.Context) error) {
		if on != "" {
			steps = append(steps, demoStep{on, hour, do})
		}
	}
	for _, dl := range demoLiveDocs {
		s.planLive(add, deps, as, issuers[dl.issuer], people[dl.issuer], dl)
	}
	s.planCleanup(add, as, issuers["清河区人民政府"])
	// Every act in date order, so that the audit log, the reminders and
	// the registration numbers follow the calendar.
	slices.SortStableFunc(steps, func(a, b demoStep) int {
		return cmp.Or(strings.Compare(a.on, b.on), cmp.Compare(a.hour, b.hour))
	})
	for _, st := range steps {
		if st.on > today.String() {
			return apperr.New(apperr.Internal, "normdoc demo: step dated %s after today %s", st.on, today)
		}
		at(st.on, st.hour)
		if err := st.do(ctx); err != nil {
			return fmt.Errorf("normdoc demo (%s): %w", st.on, err)
		}
	}
	// Documents whose validity ran out by the day the demo is loaded
	// become 已失效, as the hourly sweep does.
	sim.Set(s.opt.Now())
	_, err = s.ExpireDue(staff)
	return err
}

// seedImport imports the clerk's spreadsheet of earlier documents through
// the Excel import (mode all: every row valid or nothing written).
func (s *Service) seedImport(ctx context.Context, issuers map[string]*Issuer) error {
	seq := map[string]int{}
	cols := make([]xl.Column, len(importHeader))
	for i, h := range importHeader {
		cols[i] = xl.Column{Title: h}
	}
	data, err := xl.Bytes(ImportSheet, cols, func(add func(values ...any) error) error {
		for _, p := range demoPastDocs {
			is := issuers[p.issuer]
			if is == nil {
				return apperr.New(apperr.Internal, "demo issuer %s missing", p.issuer)
			}
			pub := calendar.MustDate(p.pub)
			key := fmt.Sprintf("%s/%d", is.Prefix, pub.Year)
			seq[key]++
			filed, to := "", ""
			if p.filed >= 0 {
				filed, to = pub.AddDays(p.filed).String(), "清河区人民政府（区司法局）"
				if is.UnitID == issuers["清河区人民政府"].UnitID {
					to = "清河市人民政府（市司法局）"
				}
			}
			if err := add(p.issuer, p.title, DocNo(is.Prefix, pub.Year, seq[key]), p.pub, "", "", filed, to, p.result, "", p.summary); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	rep, err := s.Import(ctx, data, ImportAll)
	if err != nil {
		return err
	}
	if rep.Imported != len(demoPastDocs) {
		return apperr.New(apperr.Internal, "normdoc demo import: %s %v", rep.Message, rep.Problems)
	}
	return nil
}

// planLive adds the acts of one document of this year.
func (s *Service) planLive(add func(string, int, func(context.Context) error), deps DemoDeps,
	as func(string) (context.Context, error), is *Issuer, who demoIssuer, dl demoLive) {
	var id int64
	// step runs fn as the account on the document's current version.
	step := func(user string, fn func(ctx context.Context, d *Document) error) func(context.Context) error {
		return func(ctx context.Context) error {
			c, err := as(user)
			if err != nil {
				return err
			}
			d, err := s.Get(c, id)
			if err != nil {
				return err
			}
			return fn(c, d)
		}
	}
	// The district government's deliberation is its office's to record.
	body := who.head
	if who.code == "QH000000" {
		body = "zfb"
	}
	filingTo := "清河区人民政府（区司法局）"
	if who.code == "QH000000" {
		filingTo = "清河市人民政府（市司法局）"
	}
	add(dl.drafted, 9, func(ctx context.Context) error {
		if is == nil {
			return apperr.New(apperr.Internal, "demo issuer %s missing", dl.issuer)
		}
		c, err := as(who.clerk)
		if err != nil {
			return err
		}
		d, err := s.CreateDraft(c, DraftInput{IssuerID: is.ID, Title: dl.title, Important: dl.important, DraftedOn: dl.drafted,
			Summary: "规范本区" + dl.topic + "工作", Body: demoBody(is.Name, dl.title, dl.topic)})
		if err == nil {
			id = d.ID
		}
		return err
	})
	add(dl.evaluated, 15, step(who.clerk, func(c context.Context, d *Document) error {
		_, err := s.RecordEvaluation(c, d.ID, EvaluationInput{Date: dl.evaluated, Version: d.Version,
			Note: "经评估论证，制定必要性充分，主要措施可行，社会风险可控，建议公开征求意见"})
		return err
	}))
	// The comment period's result is recorded the working day after it ends.
	if dl.commentTo != "" {
		add(s.cal.AddWorkingDays(calendar.MustDate(dl.commentTo), 1).String(), 10, step(who.clerk, func(c context.Context, d *Document) error {
			_, err := s.RecordComment(c, d.ID, CommentInput{From: dl.commentFrom, To: dl.commentTo, Count: 14, Version: d.Version,
				Summary: "收到意见 14 条，采纳 9 条，未采纳的 5 条已逐条说明理由并在区政府门户网站反馈"})
			return err
		}))
	}
	add(dl.submitted, 9, step(who.clerk, func(c context.Context, d *Document) error {
		d, err := s.SubmitReview(c, d.ID, VersionInput{Version: d.Version})
		if err != nil {
			return err
		}
		return deps.PlayReview(c, d.ReviewID)
	}))
	add(dl.deliberated, 10, step(body, func(c context.Context, d *Document) error {
		meeting := "区政府常务会议"
		if who.code != "QH000000" {
			meeting = strings.TrimPrefix(is.Name, "清河") + "局务会议"
		}
		_, err := s.Deliberate(c, d.ID, DeliberationInput{Meeting: meeting, Date: dl.deliberated, Version: d.Version,
			Note: "审议通过，按合法性审核意见修改后按程序登记编号、公布"})
		return err
	}))
	add(dl.registered, 11, step(who.head, func(c context.Context, d *Document) error {
		_, err := s.Register(c, d.ID, DateInput{Date: dl.registered, Version: d.Version})
		return err
	}))
	add(dl.published, 11, step(who.head, func(c context.Context, d *Document) error {
		_, err := s.Publish(c, d.ID, PublishInput{PublishedOn: dl.published, Version: d.Version})
		return err
	}))
	add(dl.filed, 14, step(who.head, func(c context.Context, d *Document) error {
		_, err := s.File(c, d.ID, FilingInput{FiledOn: dl.filed, FilingTo: filingTo, Version: d.Version})
		return err
	}))
	add(dl.resultOn, 15, step(who.head, func(c context.Context, d *Document) error {
		_, err := s.RecordFilingResult(c, d.ID, FilingResultInput{Result: dl.result, Date: dl.resultOn, Note: dl.resultNote, Version: d.Version})
		return err
	}))
}

// planCleanup adds this year's clean-up campaign of the district
// government: opened in March over four earlier documents, each decided,
// finished and published in May (the repealed one ends on publication).
func (s *Service) planCleanup(add func(string, int, func(context.Context) error), as func(string) (context.Context, error), gov *Issuer) {
	var c *Cleanup
	decisions := map[string]DecisionInput{
		"清河区最低生活保障审核确认办法": {OutcomeRepeal, "《最低生活保障审核确认办法》（民发〔2021〕57号）已作全面规定，本办法调整对象已由上位规定覆盖", "2026-04-14"},
		"清河区政府投资项目管理办法":   {OutcomeKeep, "与《政府投资条例》一致，继续施行；有效期届满前按程序评估", "2026-04-14"},
		"清河区食品小作坊登记管理办法":  {OutcomeAmend, "登记程序需与省食品小作坊条例修正案衔接，列入2026年修订计划", "2026-04-21"},
		"清河区养老服务补贴管理办法":   {OutcomeKeep, "补贴标准经评估仍适用，继续施行", "2026-04-21"},
	}
	act := func(fn func(ctx context.Context) error) func(context.Context) error {
		return func(ctx context.Context) error {
			c2, err := as("sifaju")
			if err != nil {
				return err
			}
			return fn(c2)
		}
	}
	add("2026-03-02", 10, act(func(ctx context.Context) error {
		docs, err := s.List(ctx, ListInput{UnitID: gov.UnitID, ListReq: db.ListReq{Size: 100}})
		if err != nil {
			return err
		}
		var ids []int64
		for _, d := range docs.Items {
			if _, ok := decisions[d.Title]; ok {
				ids = append(ids, d.ID)
			}
		}
		if len(ids) != len(decisions) {
			return apperr.New(apperr.Internal, "normdoc demo clean-up: %d of %d documents found", len(ids), len(decisions))
		}
		c, err = s.CreateCleanup(ctx, CleanupInput{UnitID: gov.UnitID, Title: "2026年度规范性文件集中清理",
			Basis: "《清河市人民政府办公室关于开展规范性文件清理工作的通知》", StartedOn: "2026-03-02", DocumentIDs: ids})
		return err
	}))
	for _, day := range []string{"2026-04-14", "2026-04-21"} {
		add(day, 16, act(func(ctx context.Context) error {
			for _, it := range c.Items {
				if in := decisions[it.Title]; in.Date == day {
					if _, err := s.DecideItem(ctx, c.ID, it.ID, in); err != nil {
						return err
					}
				}
			}
			return nil
		}))
	}
	add("2026-05-11", 10, act(func(ctx context.Context) error {
		cur, err := s.GetCleanup(ctx, c.ID)
		if err != nil {
			return err
		}
		c, err = s.FinishCleanup(ctx, c.ID, DateInput{Date: "2026-05-11", Version: cur.Version})
		return err
	}))
	add("2026-05-18", 10, act(func(ctx context.Context) error {
		_, err := s.PublishCleanup(ctx, c.ID, DateInput{Date: "2026-05-18", Version: c.Version})
		return err
	}))
}
