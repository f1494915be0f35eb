package decision

import (
	"context"
	"fazhi/internal/platform/auth"

	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
)

// DefaultCategories are 渝北's five catalogue categories with their sixteen
// kinds of matters; they are data, edited on the categories page.
var DefaultCategories = []Category{
	{Name: "公共服务", Kinds: []string{"教育", "医疗卫生", "社会保障", "公共文化体育"}},
	{Name: "市场监管", Kinds: []string{"价格管理", "市场准入", "产业政策"}},
	{Name: "社会管理", Kinds: []string{"城乡规划建设", "交通管理", "公共安全"}},
	{Name: "环境保护", Kinds: []string{"生态环境保护", "自然资源开发利用", "污染防治"}},
	{Name: "其他重大事项", Kinds: []string{"重大公共建设项目", "政府投资", "其他"}},
}

// SeedCategories inserts the default categories when there are none.
func (s *Service) SeedCategories(ctx context.Context) error {
	existing, err := s.st.ListCategories(ctx, s.db, false)
	if err != nil || len(existing) > 0 {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		for i, c := range DefaultCategories {
			c.Sort, c.Active = i+1, true
			if _, err := s.st.CreateCategory(ctx, tx, c); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.category.seed", ObjectType: "decision_category", Summary: "载入默认决策事项目录类别（5 类 16 种）"})
	})
}

// DemoReviewer acts on a legality review for the demo as the actor in ctx
// (provided at wiring over the legality review module).
type DemoReviewer interface {
	Approve(ctx context.Context, reviewID int64, opinion string) error
	// ConcludePassed concludes "passed"; an early conclusion (before the
	// review time limit) carries its recorded reason and approver.
	ConcludePassed(ctx context.Context, reviewID int64, summary, earlyReason, earlyApprover string) error
}

// demoReviewChain is the scripted demo legality review: 初审, 法律顾问会签
// (two counsel), 负责人审定, then the conclusion.
var demoReviewChain = []struct{ user, opinion string }{
	{"sifaju2", "送审材料齐全，主体适格，程序完备。"},
	{"counsel_zhao", "草案内容符合上位法规定。"},
	{"counsel_qian", "同意，建议完善居民出资协商程序。"},
	{"sifaju", "同意出具审查通过意见。"},
}

// PassDemoReview carries a legality review through the demo chain to
// "passed", each step acted by its demo account (the decision and normdoc
// demos both use it).
func PassDemoReview(ctx context.Context, people interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
}, r DemoReviewer, reviewID int64) error {
	for _, step := range demoReviewChain {
		a, err := people.Actor(ctx, step.user)
		if err != nil {
			return err
		}
		if err := r.Approve(auth.With(ctx, a), reviewID, step.opinion); err != nil {
			return err
		}
	}
	a, err := people.Actor(ctx, "sifaju")
	if err != nil {
		return err
	}
	// The demo concludes on the day of submission: an early conclusion,
	// with the recorded reason the service requires.
	return r.ConcludePassed(auth.With(ctx, a), reviewID, "草案主体适格、程序合法、内容合法，审查通过。",
		"列入区政府常务会议当周议程的民生实事，经批准缩短审查时间", "区政府常务副区长陈志远")
}

// DemoEnv is what the demo loader needs from other modules (provided at
// wiring): units by code, actors by username, evidence upload, and a way
// to carry a legality review through its chain to a passing conclusion.
type DemoEnv interface {
	UnitID(ctx context.Context, code string) (int64, error)
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	Upload(ctx context.Context, decisionID int64, name, content string) (int64, error)
	// PlayReview carries a review the decision opened through the
	// legality review demo's script of the same title (its opinions,
	// conclusion and the unit's feedback, on the script's days).
	PlayReview(ctx context.Context, reviewID int64) error
}

type demoItem struct {
	category, kind, title, unit, planned string
}

// demoItems are the 2026 catalogue of the fictional 清河区.
var demoItems = []demoItem{
	{"其他重大事项", "重大公共建设项目", "清河区老旧小区改造三年行动方案（2026—2028年）", "QH109000", "2026年第二季度"},
	{"公共服务", "教育", "清河区中小学校布局专项规划（2026—2035年）", "QH103000", "2026年第四季度"},
	{"社会管理", "交通管理", "清河区中心城区停车收费标准调整方案", "QH102000", "2026年第三季度"},
	{"环境保护", "污染防治", "清河区生活垃圾分类管理实施方案", "QH117000", "2026年第四季度"},
	{"公共服务", "医疗卫生", "清河区紧密型县域医共体建设实施方案", "QH114000", "2026年第三季度"},
	{"市场监管", "产业政策", "清河区促进中小微企业高质量发展若干措施", "QH112000", "2026年第二季度"},
	{"环境保护", "自然资源开发利用", "清河区河道采砂管理规划", "QH123000", "2026年第四季度"},
	{"公共服务", "社会保障", "清河区困难群众基本生活救助实施办法", "QH120000", "2026年第三季度"},
}

// SeedDemo loads the 2026 catalogue (published after 区委 agreement) with
// eight matters, an expert pool, and decisions at several stages: one
// published and being implemented with evidence on every step, one in
// public consultation with comments, one waiting for legality review, and
// others just started or drafted.
func (s *Service) SeedDemo(ctx context.Context, env DemoEnv) error {
	// Every step under a simulated clock on ctx (platform/clock), set to
	// the day the step is dated: recorded-at times, gates and the legality
	// review (opened through the other module) all see that day.
	today := s.today(ctx)
	ctx, sim := clock.Simulate(ctx)
	at := func(date string) { sim.At(calendar.MustDate(date), 10) }
	at("2026-01-12")
	sys := auth.With(ctx, auth.SystemActor("演示数据"))
	if err := s.SeedCategories(sys); err != nil {
		return err
	}
	cats, err := s.st.ListCategories(ctx, s.db, true)
	if err != nil {
		return err
	}
	catID := map[string]int64{}
	for _, c := range cats {
		catID[c.Name] = c.ID
	}
	gov, err := env.UnitID(ctx, "QH000000")
	if err != nil {
		return err
	}
	staff, err := env.Actor(ctx, "sifaju")
	if err != nil {
		return err
	}
	as := auth.With(ctx, staff)
	// The district government's office records the government's own acts.
	office, err := env.Actor(ctx, "zfb")
	if err != nil {
		return err
	}
	gs := auth.With(ctx, office)
	cat, err := s.CreateCatalogue(as, CatalogueInput{Year: 2026, UnitID: gov, Title: "清河区人民政府2026年度重大行政决策事项目录"})
	if err != nil {
		return err
	}
	items := map[string]int64{}
	for i, it := range demoItems {
		unit, err := env.UnitID(ctx, it.unit)
		if err != nil {
			return err
		}
		if cat, err = s.AddItem(as, cat.ID, ItemInput{CatalogueVersion: cat.Version, CategoryID: catID[it.category], Kind: it.kind, Title: it.title, UnitID: unit,
			Basis: "《重大行政决策程序暂行条例》第三条；区政府2026年工作要点", Planned: it.planned, Sort: i + 1}); err != nil {
			return err
		}
	}
	for _, it := range cat.Items {
		items[it.Title] = it.ID
	}
	at("2026-01-16")
	if cat, err = s.ApproveCatalogue(as, cat.ID, ApproveInput{Version: cat.Version, PartyAgreedOn: "2026-01-16", PartyNote: "中共清河区委常委会2026年第2次会议研究同意"}); err != nil {
		return err
	}
	at("2026-01-20")
	if _, err = s.PublishCatalogue(as, cat.ID, PublishInput{Version: cat.Version, PublishedOn: "2026-01-20"}); err != nil {
		return err
	}

	experts := []ExpertInput{
		{Name: "周立群", Title: "教授", Field: "城市规划", Employer: "清河大学建筑与城市规划学院", Phone: "13908310001"},
		{Name: "吴海燕", Title: "研究员", Field: "公共管理", Employer: "市社会科学院", Phone: "13908310002"},
		{Name: "郑国华", Title: "高级工程师", Field: "建筑结构", Employer: "市建筑设计研究院", Phone: "13908310003"},
		{Name: "孙丽", Title: "律师", Field: "行政法", Employer: "清河明德律师事务所", Phone: "13908310004"},
		{Name: "冯建新", Title: "高级经济师", Field: "财政金融", Employer: "市财经研究中心", Phone: "13908310005"},
		{Name: "陈晓明", Title: "高级工程师", Field: "住房建设", Employer: "区住房城乡建设局", Phone: "13908310006"},
	}
	// Assessing organisations of the pool, each one record by its credit code.
	orgID := map[string]int64{}
	for _, o := range []ExpertInput{
		{Kind: PoolOrg, Name: "清河社会稳定风险评估中心", Field: "社会稳定风险评估", CreditCode: "52500113MJP123456K"},
		{Kind: PoolOrg, Name: "清河公共政策研究所", Field: "公共政策评估", CreditCode: "52500113MJP654321H"},
		{Kind: PoolOrg, Name: "市决策咨询评估研究院", Field: "决策后评估", CreditCode: "12500000MB1234567T"},
	} {
		x, err := s.SaveExpert(as, 0, o)
		if err != nil {
			return err
		}
		orgID[o.Name] = x.ID
	}
	var expertIDs []int64
	for _, e := range experts {
		if e.Employer == "区住房城乡建设局" {
			e.UnitID, _ = env.UnitID(ctx, "QH109000")
		}
		x, err := s.SaveExpert(as, 0, e)
		if err != nil {
			return err
		}
		expertIDs = append(expertIDs, x.ID)
	}

	start := func(title, unitCode, on, reason string) (*Detail, error) {
		at(on)
		unit, err := env.UnitID(ctx, unitCode)
		if err != nil {
			return nil, err
		}
		return s.Start(as, StartInput{Title: title, CatalogueItemID: items[title], UnitID: unit, DecisionBody: "清河区人民政府", StartedOn: on,
			Proposer: "区政府办公室", Reason: reason, Approver: "区政府主要负责同志批示同意启动"})
	}
	upload := func(d *Detail, name, content string) []int64 {
		id, err := env.Upload(as, d.ID, name, content)
		if err != nil {
			return nil
		}
		return []int64{id}
	}

	// 1. Published and being implemented: every step with its evidence.
	d, err := start(demoItems[0].title, "QH109000", "2026-02-09", "全区2000年前建成的老旧小区共126个，设施老化，群众改造意愿强烈，列入区政府2026年民生实事。")
	if err != nil {
		return err
	}
	steps := []func() (*Detail, error){
		func() (*Detail, error) {
			at("2026-02-09")
			return s.AttachEvidence(as, d.ID, EvidenceInput{Version: d.Version, Step: StepStart, FileIDs: upload(d, "启动决策请示.txt", "关于启动老旧小区改造三年行动方案决策程序的请示")})
		},
		func() (*Detail, error) {
			at("2026-03-02")
			return s.RecordDraft(as, d.ID, DraftInput{Version: d.Version, DraftData: DraftData{
				Options:         []string{"方案一：三年完成全部126个小区改造，政府投资为主", "方案二：分类推进，基础类改造政府投资，完善类、提升类引入社会资本"},
				CostBenefit:     "方案二总投资约9.6亿元，其中区级财政4.1亿元，惠及居民3.2万户；较方案一减少财政支出2.3亿元。",
				ConsultedBodies: "区财政局、区自然资源局、各街道办事处", Summary: "明确改造范围、内容、资金筹措、居民参与和长效管理机制。"},
				DoneOn: "2026-03-02", FileIDs: upload(d, "起草说明.txt", "老旧小区改造三年行动方案起草说明：调研126个小区，形成两个方案。")})
		},
		func() (*Detail, error) {
			at("2026-03-03")
			return s.OpenConsultation(as, d.ID, ConsultationInput{Version: d.Version, Channels: []string{"区政府门户网站", "社区公告栏", "居民座谈会"},
				Summary: "《清河区老旧小区改造三年行动方案（征求意见稿）》全文及起草说明", CommentStart: "2026-03-03", CommentEnd: "2026-04-07"})
		},
		func() (*Detail, error) {
			at("2026-04-10")
			return s.CloseConsultation(as, d.ID, CloseInput{Version: d.Version, Feedback: "征求意见期间共收到意见建议47条，采纳29条（增设电梯加装、停车位改造内容），部分采纳8条，未采纳10条（超出改造范围）。",
				DoneOn: "2026-04-10", FileIDs: upload(d, "意见采纳情况说明.txt", "公众意见采纳情况说明：收到47条，采纳29条。")})
		},
		func() (*Detail, error) {
			at("2026-04-14")
			return s.AddOpinion(as, d.ID, OpinionInput{Version: d.Version, ExpertID: expertIDs[0], Opinion: "方案二分类推进符合实际，建议补充海绵城市改造内容。", Signed: true, SignedOn: "2026-04-14",
				FileIDs: upload(d, "周立群论证意见（签名）.txt", "专家论证意见：同意方案二。签名：周立群")})
		},
		func() (*Detail, error) {
			return s.AddOpinion(as, d.ID, OpinionInput{Version: d.Version, ExpertID: expertIDs[2], Opinion: "结构安全鉴定应前置，建议对1990年前建成房屋先行鉴定。", Signed: true, SignedOn: "2026-04-14"})
		},
		func() (*Detail, error) {
			at("2026-04-15")
			return s.CompleteExpert(as, d.ID, CompleteExpertInput{Version: d.Version, Summary: "专家一致同意方案二，建议已全部吸收进草案。", DoneOn: "2026-04-15"})
		},
		func() (*Detail, error) {
			at("2026-04-24")
			return s.RecordRisk(as, d.ID, RiskInput{Version: d.Version, RiskData: RiskData{AssessorID: orgID["清河社会稳定风险评估中心"], Level: "中",
				Report:          "改造涉及居民出资、施工扰民、停车位调整，总体风险可控。",
				RiskPoints:      []string{"居民出资比例争议", "施工期间噪声扰民", "加装电梯低层住户反对"},
				Measures:        []string{"一楼一策协商出资", "限定施工时段", "加装电梯实行三分之二同意并补偿低层住户"},
				ContingencyPlan: "成立街道、社区、施工单位三级矛盾调处小组，24小时内响应群体性诉求。"}, DoneOn: "2026-04-24",
				FileIDs: upload(d, "社会稳定风险评估报告.txt", "社会稳定风险评估报告：风险等级中，可控。")})
		},
		func() (*Detail, error) {
			at("2026-04-27")
			return s.SubmitLegalReview(as, d.ID, SubmitReviewInput{Version: d.Version, Summary: "送审稿、起草说明、征求意见采纳情况、专家论证意见、风险评估报告"})
		},
	}
	for _, step := range steps {
		if d, err = step(); err != nil {
			return err
		}
	}
	if err := env.PlayReview(ctx, d.LegalReviewID); err != nil {
		return err
	}
	at("2026-05-14")
	if d, err = s.RefreshLegalReview(as, d.ID, VersionInput{Version: d.Version}); err != nil {
		return err
	}
	var on string
	day := func(date string) { on = date; at(date) }
	more := []func() (*Detail, error){
		func() (*Detail, error) {
			day("2026-05-21")
			return s.RecordCollective(gs, d.ID, CollectiveInput{Version: d.Version, MeetingType: "常务会议", MeetingName: "区政府2026年第31次常务会议", MeetingOn: on,
				Attendees: []string{"刘区长", "陈常务副区长", "杨副区长", "黄副区长", "区政府办主任"},
				Votes: []Vote{{Name: "陈常务副区长", Opinion: "agree"}, {Name: "杨副区长", Opinion: "agree"},
					{Name: "黄副区长", Opinion: "disagree", Note: "财政压力较大，建议第三年改造量视财力调整"}},
				HeadName: "刘区长", HeadDecision: "adopt_amended",
				FileIDs: upload(d, "常务会议纪要.txt", "区政府2026年第31次常务会议纪要：原则通过老旧小区改造三年行动方案。")})
		},
		func() (*Detail, error) {
			day("2026-05-26")
			return s.RecordPartyReport(gs, d.ID, PartyReportInput{Version: d.Version, PartyReportData: PartyReportData{Committee: "中共清河区委", ReportedOn: on,
				DocNo: "清河府文〔2026〕58号", Reply: "区委常委会研究同意印发实施"}, FileIDs: upload(d, "请示件.txt", "关于老旧小区改造三年行动方案的请示")})
		},
		func() (*Detail, error) {
			day("2026-06-02")
			return s.Publish(gs, d.ID, PublicationInput{Version: d.Version, PublicationData: PublicationData{PublishedOn: on, DocNo: "清河府发〔2026〕12号",
				Channels: []string{"区政府公报", "区政府门户网站", "清河日报"}, AdoptionNote: "公众意见采纳29条、部分采纳8条；专家意见全部采纳。",
				Text: "清河区人民政府关于印发《清河区老旧小区改造三年行动方案（2026—2028年）》的通知"}, FileIDs: upload(d, "政策解读.txt", "老旧小区改造三年行动方案政策解读")})
		},
		func() (*Detail, error) {
			day("2026-06-03")
			return s.RecordImplementation(as, d.ID, ImplementationInput{Version: d.Version, ImplementationData: ImplementationData{ExecutionUnit: "区住房城乡建设局",
				Supervisor: "区政府督查室", Plan: "2026年完成42个小区，2027年45个，2028年39个；每季度报送进展。"}})
		},
		func() (*Detail, error) {
			day("2026-11-16")
			return s.AddProgress(as, d.ID, ProgressInput{Version: d.Version, ReportedOn: on, Content: "已完成首批12个小区设计招标，东门社区3个小区开工。", Percent: 15})
		},
	}
	for _, step := range more {
		if d, err = step(); err != nil {
			return err
		}
	}

	// 2. In public consultation, with comments.
	d, err = start(demoItems[1].title, "QH103000", "2026-06-01", "城区学位供需矛盾突出，原布局规划已到期。")
	if err != nil {
		return err
	}
	at("2026-10-20")
	if d, err = s.RecordDraft(as, d.ID, DraftInput{Version: d.Version, DraftData: DraftData{Options: []string{"新建小学4所、初中2所，撤并农村教学点7个"},
		CostBenefit: "新增学位1.08万个，总投资约14亿元，分十年实施。", Summary: "规划期内中小学校布局、规模和建设时序。"}, DoneOn: "2026-10-20"}); err != nil {
		return err
	}
	cStart := today.AddDays(-10)
	minEnd, _, err := s.CommentWindow(cStart)
	if err != nil {
		return err
	}
	at(cStart.String())
	if d, err = s.OpenConsultation(as, d.ID, ConsultationInput{Version: d.Version, Channels: []string{"区政府门户网站", "区教育局微信公众号"},
		Summary:      "《清河区中小学校布局专项规划（2026—2035年）（征求意见稿）》：规划新建小学4所、初中2所，撤并农村教学点7个，新增学位1.08万个。欢迎社会各界提出意见建议。",
		CommentStart: cStart.String(), CommentEnd: minEnd.String()}); err != nil {
		return err
	}
	for i, c := range []CommentInput{
		{Author: "李女士", Contact: "13700001234", Content: "建议在文昌街道新建小学时同步规划校门口接送车道，缓解交通拥堵。"},
		{Author: "王老师", Content: "撤并农村教学点要保障低年级学生就近入学，建议保留石桥镇上坪村教学点。"},
		{Content: "希望新建初中尽快开工，东湖片区现有学校班额过大。"},
	} {
		at(cStart.AddDays(2 + 3*i).String())
		if err := s.PublicComment(ctx, d.ID, c, "demo-"+itoa(i)); err != nil {
			return err
		}
	}

	// 3. Waiting for legality review (consultation done, expert review and
	// risk assessment done).
	d, err = start(demoItems[3].title, "QH117000", "2026-04-07", "落实省生活垃圾分类工作要求，2026年底前实现城区全覆盖。")
	if err != nil {
		return err
	}
	if d, err = s.demoToReview(as, at, d, demoPath{
		draft: DraftData{Options: []string{"城区全覆盖、农村逐步推开"},
			CostBenefit: "年运行经费约3200万元，可减少填埋量35%。", Summary: "明确分类标准、投放收运、处理设施和激励约束措施。"},
		drafted: "2026-06-15",
		consultation: ConsultationInput{Channels: []string{"区政府门户网站"}, Summary: "《清河区生活垃圾分类管理实施方案（征求意见稿）》",
			CommentStart: "2026-06-16", CommentEnd: "2026-07-20"},
		closed: "2026-07-24", feedback: "收到意见18条，采纳11条。",
		expertSkip: "属于执行上级已定标准的事项，技术问题已在省级标准中论证", skipped: "2026-07-27",
		risk: RiskData{AssessorID: orgID["清河公共政策研究所"], Level: "低",
			Report: "分类投放点设置可能引发邻避问题，总体风险低。", RiskPoints: []string{"投放点选址争议"}, Measures: []string{"投放点选址征求楼栋居民意见"},
			ContingencyPlan: "社区网格员现场协调，必要时调整点位。"},
		assessed: "2026-08-05", submitted: "2026-11-09",
	}); err != nil {
		return err
	}
	if err := env.PlayReview(ctx, d.LegalReviewID); err != nil {
		return err
	}

	// 4–5. Just started, and drafted.
	if _, err = start(demoItems[4].title, "QH114000", "2026-09-14", "落实省医共体建设部署。"); err != nil {
		return err
	}
	d, err = start(demoItems[5].title, "QH112000", "2026-05-06", "稳定中小微企业预期，优化营商环境。")
	if err != nil {
		return err
	}
	at("2026-06-01")
	if _, err = s.RecordDraft(as, d.ID, DraftInput{Version: d.Version, DraftData: DraftData{Options: []string{"普惠性措施为主", "普惠与定向奖励结合"},
		CostBenefit: "年度财政奖补约5000万元，预计带动新增就业2000人。", Summary: "融资、用地、人才、奖补等十条措施。"}, DoneOn: "2026-06-01"}); err != nil {
		return err
	}

	// 6. Legality review failed (no legal basis for a new fee): the
	// decision may not go to the collective discussion (art. 28).
	d, err = start(demoItems[2].title, "QH102000", "2026-03-16", "中心城区停车供需矛盾突出，现行收费标准已执行十年。")
	if err != nil {
		return err
	}
	if d, err = s.demoToReview(as, at, d, demoPath{
		draft: DraftData{Options: []string{"分区域、分时段差别化收费"},
			CostBenefit: "预计中心城区路内停车周转率提高30%。", Summary: "调整路内、路外公共停车场收费标准，新设夜间占道管理费。"},
		drafted: "2026-04-20",
		consultation: ConsultationInput{Channels: []string{"区政府门户网站"}, Summary: "《清河区中心城区停车收费标准调整方案（征求意见稿）》",
			CommentStart: "2026-04-21", CommentEnd: "2026-05-25"},
		closed: "2026-05-27", feedback: "收到意见63条，采纳21条。",
		expertSkip: "收费标准按价格主管部门成本监审结论测算，不属于专业性、技术性较强的事项", skipped: "2026-05-28",
		risk: RiskData{AssessorID: orgID["清河公共政策研究所"], Level: "中",
			Report: "收费上调可能引发车主不满，总体风险可控。", RiskPoints: []string{"车主对上调幅度有异议"}, Measures: []string{"分步实施，设置过渡期"},
			ContingencyPlan: "设立咨询热线，及时回应诉求。"},
		assessed: "2026-06-18", submitted: "2026-07-06",
	}); err != nil {
		return err
	}
	if err := env.PlayReview(ctx, d.LegalReviewID); err != nil {
		return err
	}
	at("2026-07-20")
	_, err = s.RefreshLegalReview(as, d.ID, VersionInput{Version: d.Version})
	return err
}

// demoPath is a demo decision's way from its draft to the legality review,
// each step on its day: the draft, the public consultation, the expert
// review lawfully not required, the risk assessment and the submission.
type demoPath struct {
	draft               DraftData
	drafted             string
	consultation        ConsultationInput // channels, summary and comment period
	closed, feedback    string
	expertSkip, skipped string
	risk                RiskData
	assessed            string
	submitted           string
}

// demoToReview takes a started decision along p, moving the simulated
// clock to each step's day.
func (s *Service) demoToReview(as context.Context, at func(string), d *Detail, p demoPath) (*Detail, error) {
	steps := []struct {
		on string
		do func() (*Detail, error)
	}{
		{p.drafted, func() (*Detail, error) {
			return s.RecordDraft(as, d.ID, DraftInput{Version: d.Version, DraftData: p.draft, DoneOn: p.drafted})
		}},
		{p.consultation.CommentStart, func() (*Detail, error) {
			in := p.consultation
			in.Version = d.Version
			return s.OpenConsultation(as, d.ID, in)
		}},
		{p.closed, func() (*Detail, error) {
			return s.CloseConsultation(as, d.ID, CloseInput{Version: d.Version, Feedback: p.feedback, DoneOn: p.closed})
		}},
		{p.skipped, func() (*Detail, error) {
			return s.Skip(as, d.ID, SkipInput{Version: d.Version, Step: StepExpert, Reason: p.expertSkip})
		}},
		{p.assessed, func() (*Detail, error) {
			return s.RecordRisk(as, d.ID, RiskInput{Version: d.Version, RiskData: p.risk, DoneOn: p.assessed})
		}},
		{p.submitted, func() (*Detail, error) {
			return s.SubmitLegalReview(as, d.ID, SubmitReviewInput{Version: d.Version, Summary: "送审稿、起草说明、征求意见采纳情况、风险评估报告"})
		}},
	}
	for _, st := range steps {
		at(st.on)
		var err error
		if d, err = st.do(); err != nil {
			return nil, err
		}
	}
	return d, nil
}
