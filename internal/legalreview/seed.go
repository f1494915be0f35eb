package legalreview

import (
	"context"
	"encoding/json"
	"fmt"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/workflow"
)

// DemoPeople is what the demo needs from the org module: actors by
// username (creating the two legal advisers if missing) and units by code.
type DemoPeople interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	EnsureCounsel(ctx context.Context, username, name string) (int64, error)
	UnitID(ctx context.Context, code string) (int64, error)
}

// DemoSubjects is implemented by a DemoPeople whose program seeds the
// reviews of its own records: the decision demo opens its decisions'
// reviews through the decision module (linked to the decision, on the day
// its procedure reaches the review) and carries each with SeedDemoReview.
// SeedDemo leaves the reviews of those kinds to it.
type DemoSubjects interface {
	SeedsReviewsOf(kind Kind) bool
}

// DemoCounsel are the demo district's legal adviser and government lawyer.
var DemoCounsel = [][2]string{{"counsel_zhao", "赵明律"}, {"counsel_qian", "钱法顾"}}

type demoReview struct {
	clerk, unit   string
	kind          Kind
	title         string
	submitted     string
	state         string // reviewing:<steps approved>, returned, concluding, concluded, withdrawn
	finished      string
	conclusion    Conclusion
	opinions      []string
	adoption      []AdoptionItem
	violateReason string
}

var demoReviews = []demoReview{
	{"clerk_zjj", "QH109000", KindDecision, "清河区老旧小区改造三年行动方案（2026—2028年）", "2026-04-27", "concluded", "2026-05-13", ConclusionPassedWithChanges,
		[]string{"方案第五条“未签约住户一律不予补偿”的表述缺乏法律依据，建议删除或改为依法协商处理。", "建议补充社会稳定风险评估结论及风险防范措施。", "资金筹措部分应明确区级财政配套比例并履行预算程序。"},
		[]AdoptionItem{{Seq: 1, Adoption: "adopted"}, {Seq: 2, Adoption: "adopted"}, {Seq: 3, Adoption: "partial", Reason: "财政配套比例待年度预算批复后确定，已增加原则性表述"}}, ""},
	{"clerk_slj", "QH123000", KindContract, "清河区污水处理厂特许经营协议", "2026-05-11", "concluded", "2026-06-09", ConclusionPassedWithChanges,
		[]string{"协议第十二条约定的提前终止补偿计算方式显失公平，建议按照《基础设施和公用事业特许经营管理办法》重新约定。", "争议解决条款约定由对方所在地法院管辖，建议改为协议履行地人民法院。"},
		[]AdoptionItem{{Seq: 1, Adoption: "partial", Reason: "与对方协商后调整了补偿上限，计算方式保留"}, {Seq: 2, Adoption: "rejected", Reason: "对方不接受，经领导同意维持原约定"}}, ""},
	{"clerk_swj", "QH112000", KindPolicy, "清河区促进中小微企业高质量发展若干措施", "2026-06-08", "concluded", "2026-06-22", ConclusionPassedWithChanges,
		[]string{"第三条“优先采购本区企业产品”的表述排斥外地经营者参加政府采购，违反公平竞争审查标准，应予删除。", "第八条奖励资金应明确申报条件和程序，避免给予特定经营者选择性补贴。"},
		[]AdoptionItem{{Seq: 1, Adoption: "adopted"}, {Seq: 2, Adoption: "adopted"}}, "对小微企业的财政奖励属于《公平竞争审查条例》规定的扶持中小企业的例外情形，实施期限两年"},
	{"clerk_fgj", "QH102000", KindDecision, "清河区中心城区停车收费标准调整方案", "2026-07-06", "concluded", "2026-07-17", ConclusionFailed,
		[]string{"方案拟新设的“夜间占道管理费”无法律法规依据，属超越权限设定收费项目。", "未按规定组织价格听证，程序不合法。"},
		[]AdoptionItem{{Seq: 1, Adoption: "adopted"}, {Seq: 2, Adoption: "adopted"}}, ""},
	{"clerk_jyj", "QH103000", KindContract, "区教育局校园安保服务采购合同", "2026-09-07", "concluded", "2026-09-18", ConclusionPassed, nil, nil, ""},
	{"clerk_wjj", "QH114000", KindContract, "区卫生健康局家庭医生签约服务协议", "2026-11-02", "concluding", "", "", nil, nil, ""},
	{"clerk_cgj", "QH117000", KindDecision, "清河区生活垃圾分类管理实施方案", "2026-11-09", "reviewing:2", "", "", nil, nil, ""},
	{"clerk_wlj", "QH113000", KindPolicy, "清河区文旅消费券发放实施办法", "2026-11-12", "reviewing:3", "", "", nil, nil, ""},
	{"clerk_jtj", "QH110000", KindContract, "区交通运输局公交线路特许经营补充协议", "2026-10-12", "withdrawn", "", "", nil, nil, ""},

	// Reviews of normative documents: the normdoc demo drafts each document
	// and submits it on the script's day (normdoc/seed.go demoLiveDocs),
	// which opens the review linked to the document; the script plays it.
	{"sifaju", "QH000000", KindNormdoc, "清河区城市绿化管理办法", "2026-01-12", "concluded", "2026-01-26", ConclusionPassed, nil, nil, ""},
	{"clerk_wjj", "QH114000", KindNormdoc, "清河区院前医疗急救管理办法", "2026-03-09", "concluded", "2026-03-23", ConclusionPassedWithChanges,
		[]string{"第十二条对拒不配合院前急救的行为设定罚款，超出规范性文件的权限，应予删除或改为引用上位法规定。", "建议明确急救呼叫受理、调度和转运的时限要求。"},
		[]AdoptionItem{{Seq: 1, Adoption: "adopted"}, {Seq: 2, Adoption: "adopted"}}, ""},
	{"clerk_zjj", "QH109000", KindNormdoc, "清河区城市道路临时占用管理办法", "2026-04-13", "concluded", "2026-04-28", ConclusionPassed, nil, nil, ""},
	{"clerk_rsj", "QH106000", KindNormdoc, "清河区创业担保贷款实施办法", "2026-05-06", "concluded", "2026-05-20", ConclusionPassed, nil, nil, ""},
	{"clerk_mzj", "QH120000", KindNormdoc, "清河区困难残疾人生活补贴发放办法", "2026-06-08", "concluded", "2026-06-23", ConclusionPassedWithChanges,
		[]string{"第六条将“户籍满三年”作为申领条件，缺乏上位法依据，建议删除。"},
		[]AdoptionItem{{Seq: 1, Adoption: "adopted"}}, ""},
	{"clerk_nyj", "QH111000", KindNormdoc, "清河区农村宅基地管理实施细则", "2026-08-03", "concluded", "2026-08-21", ConclusionPassedWithChanges,
		[]string{"第十条关于“户”的认定标准与省实施办法不一致，应以上位法为准。"},
		[]AdoptionItem{{Seq: 1, Adoption: "adopted"}}, ""},
	{"clerk_sj", "QH116000", KindNormdoc, "清河区电动自行车停放充电管理办法（试行）", "2026-08-10", "concluded", "2026-08-24", ConclusionPassed, nil, nil, ""},
	{"clerk_zjj", "QH109000", KindNormdoc, "清河区公共租赁住房管理办法", "2026-10-12", "concluded", "2026-10-26", ConclusionFailed,
		[]string{"第十五条规定对拖欠租金的承租人“停水停电”，违反《民法典》和供用水电的有关规定，属于违法设定强制措施。", "第二十条的失信惩戒措施超出上位法规定的范围。"},
		[]AdoptionItem{{Seq: 1, Adoption: "adopted"}, {Seq: 2, Adoption: "adopted"}}, ""},
	{"clerk_mzj", "QH120000", KindNormdoc, "清河区殡葬管理办法", "2026-10-19", "concluded", "2026-10-30", ConclusionPassedWithChanges,
		[]string{"第六条关于“强制平坟”的表述应删除，改为依法引导节地生态安葬。"},
		[]AdoptionItem{{Seq: 1, Adoption: "adopted"}}, ""},
	{"clerk_sj", "QH116000", KindNormdoc, "清河区户外广告设施设置管理办法", "2026-11-05", "returned", "", "", nil, nil, ""},
	{"sifaju", "QH000000", KindNormdoc, "清河区养犬管理规定", "2026-11-16", "reviewing:0", "", "", nil, nil, ""},
}

// SeedDemo configures the default chain for the demo district (区司法局
// reviews; 李秀英 初审, the two advisers countersign, 王建国 审定) and loads a
// dozen reviews across kinds and states, finished ones with opinion
// letters and adoption records.
func (s *Service) SeedDemo(ctx context.Context, people DemoPeople) error {
	// The chain is configured on the day the platform went live, before
	// the year's first review (each review then moves the clock to its
	// script's days).
	ctx, sim := clock.Simulate(ctx)
	sim.At(calendar.MustDate("2026-01-05"), 9)
	sys := auth.With(ctx, auth.SystemActor("演示数据"))
	sfj, err := people.UnitID(ctx, "QH101000")
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	for _, c := range DemoCounsel {
		if ids[c[0]], err = people.EnsureCounsel(ctx, c[0], c[1]); err != nil {
			return err
		}
	}
	for _, u := range []string{"sifaju", "sifaju2"} {
		a, err := people.Actor(ctx, u)
		if err != nil {
			return err
		}
		ids[u] = a.UserID
	}
	chains, err := s.Chains(sys)
	if err != nil {
		return err
	}
	var def *Chain
	for i := range chains {
		if chains[i].Code == "default" {
			def = &chains[i]
		}
	}
	if def == nil {
		return apperr.New(apperr.NotFound, "缺少默认合法性审查流程")
	}
	chain := workflow.Definition{Code: "legalreview.qinghe", Name: "清河区合法性审查三重审查", Steps: []workflow.Step{
		{Key: "clerk", Name: "承办人初审", Kind: workflow.KindSingle, Assignees: []workflow.Assignee{{UserID: ids["sifaju2"]}},
			DeadlineDays: 5, RemindBeforeDays: 1, OpinionRequired: true, AllowTransfer: true},
		{Key: "counsel", Name: "法律顾问、公职律师意见", Kind: workflow.KindCountersign,
			Assignees:    []workflow.Assignee{{UserID: ids["counsel_zhao"]}, {UserID: ids["counsel_qian"]}},
			DeadlineDays: 5, RemindBeforeDays: 1, OpinionRequired: true, AllowReturnTo: workflow.ReturnTargets{Keys: []string{"clerk"}}, AllowAddSigner: true},
		{Key: "head", Name: "司法局负责人审定", Kind: workflow.KindSingle, Assignees: []workflow.Assignee{{UserID: ids["sifaju"]}},
			DeadlineDays: 3, RemindBeforeDays: 1, OpinionRequired: true, AllowReturnTo: workflow.ReturnTargets{AnyEarlier: true}},
	}}
	if _, err := s.UpdateChain(sys, def.ID, ChainInput{Name: "合法性审查三重审查（清河区）", ReviewerUnitID: sfj, NumberPrefix: "清河司审",
		Definition: json.RawMessage(mustJSON(chain)), Version: def.Version}); err != nil {
		return err
	}

	p := demoPlay{s: s, people: people}
	stds, err := s.st.standards(ctx, s.db, true)
	if err != nil {
		return err
	}
	subjects, _ := people.(DemoSubjects)
	for _, d := range demoReviews {
		// A review of a normative document exists only for its document:
		// the normdoc demo opens those reviews (SeedDemoReview plays them),
		// never this loader on its own.
		if d.kind == KindNormdoc || (subjects != nil && subjects.SeedsReviewsOf(d.kind)) {
			continue
		}
		if err := p.submit(ctx, d, stds); err != nil {
			return fmt.Errorf("%s: %w", d.title, err)
		}
	}
	return nil
}

// SeedDemoReview carries a review another module's demo opened (for the
// record it links to) through the demo script of the same title, on the
// script's dates; the review must have been submitted on the script's day.
func (s *Service) SeedDemoReview(ctx context.Context, people DemoPeople, reviewID int64) error {
	r, err := s.st.review(ctx, s.db, reviewID)
	if err != nil {
		return err
	}
	for _, d := range demoReviews {
		if d.title != r.Title {
			continue
		}
		if d.submitted != r.SubmittedOn {
			return apperr.New(apperr.Conflict, "演示审查《%s》应于 %s 提交，实际为 %s", d.title, d.submitted, r.SubmittedOn)
		}
		return demoPlay{s: s, people: people}.play(ctx, r.ID, d)
	}
	return apperr.New(apperr.NotFound, "没有《%s》的演示审查脚本", r.Title)
}

// demoPlay runs demo reviews under the simulated clock on ctx
// (platform/clock), each action on the day the script gives it.
type demoPlay struct {
	s      *Service
	people DemoPeople
}

func (p demoPlay) at(ctx context.Context, date string, hour int) context.Context {
	ctx, sim := clock.Simulate(ctx)
	sim.At(calendar.MustDate(date), hour)
	return ctx
}

func (p demoPlay) as(ctx context.Context, username string) (context.Context, error) {
	a, err := p.people.Actor(ctx, username)
	if err != nil {
		return nil, err
	}
	return auth.With(ctx, a), nil
}

// version is the review's stored version (every action names the version
// it was made on).
func (p demoPlay) version(ctx context.Context, id int64) int64 {
	r, err := p.s.st.review(ctx, p.s.db, id)
	if err != nil {
		return 0
	}
	return r.Version
}

// submit opens a review of the script directly in the legality review
// module (kinds no other module's demo seeds) and plays it.
func (p demoPlay) submit(ctx context.Context, d demoReview, stds []Standard) error {
	unitID, err := p.people.UnitID(ctx, d.unit)
	if err != nil {
		return err
	}
	ctx = p.at(ctx, d.submitted, 9)
	clerk, err := p.as(ctx, d.clerk)
	if err != nil {
		return err
	}
	var checks []CheckInput
	if d.kind == KindPolicy {
		for i, st := range stds {
			c := CheckInput{StandardID: st.ID, Answer: AnswerComply}
			if d.violateReason != "" && i == 13 {
				c.Answer, c.Note = AnswerViolate, d.violateReason
			}
			checks = append(checks, c)
		}
	}
	r, err := p.s.Submit(clerk, OpenInput{Kind: string(d.kind), Title: d.title, UnitID: unitID,
		Summary: "请予合法性审查。送审材料：送审稿、起草说明、制定依据、征求意见及采纳情况。"}, checks)
	if err != nil {
		return err
	}
	return p.play(ctx, r.ID, d)
}

// play takes a submitted review through the chain to the script's state.
func (p demoPlay) play(ctx context.Context, id int64, d demoReview) error {
	approve := func(ctx context.Context, user, opinion string) error {
		c, err := p.as(ctx, user)
		if err != nil {
			return err
		}
		_, err = p.s.Act(c, id, ActInput{Action: "approve", Opinion: opinion, Version: p.version(ctx, id)})
		return err
	}
	steps := []struct{ user, opinion string }{
		{"sifaju2", "送审材料齐全，经初审，主体适格、程序基本完备，提请法律顾问、公职律师审查。"},
		{"counsel_zhao", "从上位法依据角度审查，提出修改意见如综合意见所列。"},
		{"counsel_qian", "同意赵律师意见，另建议完善争议解决与风险防范条款。"},
		{"sifaju", "同意法律顾问、公职律师意见，按综合意见出具审查意见书。"},
	}
	var n int
	switch {
	case d.state == "concluded" || d.state == "concluding":
		n = 4
	case d.state == "returned":
		n = 1
	case len(d.state) > 10 && d.state[:10] == "reviewing:":
		n = int(d.state[10] - '0')
	}
	start := calendar.MustDate(d.submitted)
	for i := 0; i < n; i++ {
		if err := approve(p.at(ctx, p.s.cal.AddWorkingDays(start, i+1).String(), 10+i), steps[i].user, steps[i].opinion); err != nil {
			return err
		}
	}
	switch d.state {
	case "returned":
		ctx = p.at(ctx, p.s.cal.AddWorkingDays(start, 2).String(), 15)
		c, err := p.as(ctx, "counsel_zhao")
		if err != nil {
			return err
		}
		if _, err := p.s.Act(c, id, ActInput{Action: "return", ToStep: "clerk", Opinion: "缺少起草说明和征求意见采纳情况，请承办人通知送审单位补充后重新初审。", Version: p.version(ctx, id)}); err != nil {
			return err
		}
	case "withdrawn":
		ctx = p.at(ctx, p.s.cal.AddWorkingDays(start, 1).String(), 16)
		clerk, err := p.as(ctx, d.clerk)
		if err != nil {
			return err
		}
		if _, err := p.s.Withdraw(clerk, id, p.version(ctx, id), "区政府决定暂缓出台，撤回重新研究"); err != nil {
			return err
		}
	case "concluded":
		ctx = p.at(ctx, d.finished, 16)
		head, err := p.as(ctx, "sifaju")
		if err != nil {
			return err
		}
		summary := "送审稿制定主体适格，权限和程序合法。"
		if d.conclusion == ConclusionFailed {
			summary = "送审稿存在超越法定权限和程序不合法的问题。"
		}
		if _, err := p.s.Conclude(head, id, ConcludeInput{Conclusion: string(d.conclusion), Summary: summary, Opinions: d.opinions, Version: p.version(ctx, id)}); err != nil {
			return err
		}
		if len(d.adoption) > 0 {
			ctx = p.at(ctx, calendar.MustDate(d.finished).AddDays(5).String(), 11)
			clerk, err := p.as(ctx, d.clerk)
			if err != nil {
				return err
			}
			if _, err := p.s.Adopt(clerk, id, AdoptInput{Items: d.adoption, Version: p.version(ctx, id)}); err != nil {
				return err
			}
		}
	}
	return nil
}
