package normdoc

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"fazhi/internal/legalreview"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// DemoDeps is what the demo loader needs from the rest of the program.
type DemoDeps interface {
	// UnitID finds a demo org unit by its code.
	UnitID(ctx context.Context, code string) (int64, error)
	// Actor loads a demo account (review requests need a real initiator).
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	// PassReview carries a legality review through its chain to "passed".
	PassReview(ctx context.Context, reviewID int64) error
}

type demoIssuer struct {
	code, name, prefix, basis string
	active                    bool
}

var demoIssuers = []demoIssuer{
	{"QH000000", "清河区人民政府", "清河府规", "《地方各级人民代表大会和地方各级人民政府组织法》第七十四条", true},
	{"QH120000", "清河区民政局", "清河民规", "区政府授权（清河府发〔2020〕12号）", true},
	{"QH103000", "清河区教育局", "清河教规", "区政府授权（清河府发〔2020〕12号）", true},
	{"QH116000", "清河区市场监管局", "清河市监规", "区政府授权（清河府发〔2020〕12号）", true},
	{"QH109000", "清河区住房城乡建设局", "清河建规", "区政府授权（清河府发〔2020〕12号）", true},
	{"QH114000", "清河区卫生健康局", "清河卫规", "区政府授权（清河府发〔2020〕12号）", true},
	{"QH106000", "清河区人力社保局", "清河人社规", "区政府授权（清河府发〔2020〕12号）", true},
	{"QH117000", "清河区城市管理局", "清河城管规", "机构改革后职责划入区住房城乡建设局，2024年移出清单", false},
}

// demoDoc is one historical document of the demo district. filed is the
// number of days after publication it was filed (-1: not filed).
type demoDoc struct {
	issuer, title, topic, pub string
	filed                     int
	result                    FilingResult
	important                 bool
}

var demoDocs = []demoDoc{
	{"清河区人民政府", "清河区城市道路挖掘管理办法", "城市道路挖掘", "2021-03-10", 12, FilingPassed, false},
	{"清河区民政局", "清河区最低生活保障审核确认办法", "最低生活保障审核确认", "2021-06-18", 20, FilingPassed, true},
	{"清河区人民政府", "清河区政府投资项目管理办法", "政府投资项目", "2021-12-20", 25, FilingPassed, true},
	{"清河区教育局", "清河区校外培训机构管理暂行办法", "校外培训机构", "2022-04-12", 15, FilingPassed, false},
	{"清河区市场监管局", "清河区食品小作坊登记管理办法", "食品小作坊登记", "2022-08-30", 18, FilingPassed, false},
	{"清河区人力社保局", "清河区就业见习管理办法", "就业见习", "2022-11-15", 41, FilingPassed, false},
	{"清河区民政局", "清河区养老服务补贴管理办法", "养老服务补贴", "2023-03-15", 15, FilingPassed, true},
	{"清河区住房城乡建设局", "清河区物业服务质量评价办法", "物业服务质量评价", "2023-06-01", 22, FilingCorrection, false},
	{"清河区卫生健康局", "清河区家庭医生签约服务管理办法", "家庭医生签约服务", "2023-09-20", 10, FilingPassed, false},
	{"清河区人民政府", "清河区信访工作规定", "信访", "2024-01-10", 14, FilingPassed, true},
	{"清河区民政局", "清河区社区养老服务驿站运营补助办法（试行）", "社区养老服务驿站运营补助", "2024-05-20", 9, FilingPassed, false},
	{"清河区民政局", "清河区临时救助实施细则（试行）", "临时救助", "2024-12-25", 16, FilingPassed, false},
	{"清河区人民政府", "清河区公共资源交易管理办法", "公共资源交易", "2025-02-18", 21, FilingPassed, true},
	{"清河区市场监管局", "清河区市场主体信用分级分类监管办法", "市场主体信用分级分类监管", "2025-04-08", 19, FilingPassed, false},
	{"清河区教育局", "清河区中小学校园安全管理办法", "中小学校园安全", "2025-07-01", 13, "", false},
	{"清河区住房城乡建设局", "清河区老旧小区改造资金管理办法", "老旧小区改造资金", "2025-09-12", 17, FilingRevoked, false},
	{"清河区人民政府", "清河区城市绿化管理办法", "城市绿化", "2026-01-20", 16, FilingPassed, false},
	{"清河区卫生健康局", "清河区院前医疗急救管理办法", "院前医疗急救", "2026-03-02", 20, FilingPassed, false},
	{"清河区人力社保局", "清河区创业担保贷款实施办法", "创业担保贷款", "2026-05-11", 24, "", false},
	{"清河区民政局", "清河区困难残疾人生活补贴发放办法", "困难残疾人生活补贴", "2026-07-15", 38, "", false},
	{"清河区市场监管局", "清河区电动自行车停放充电管理办法（试行）", "电动自行车停放充电", "2026-09-15", -1, "", false},
	{"清河区人民政府", "清河区户外广告设置管理办法", "户外广告设置", "2026-11-05", -1, "", false},
}

func demoBody(issuer, title, topic string) string {
	return fmt.Sprintf("第一条 为了规范本区%s工作，保障公民、法人和其他组织的合法权益，根据有关法律、法规和规章的规定，结合本区实际，制定本办法。\n"+
		"第二条 本办法适用于本区行政区域内的%s及其监督管理活动。\n"+
		"第三条 %s负责本办法的组织实施，各镇人民政府、街道办事处和区有关部门按照职责分工做好相关工作。\n"+
		"第四条 %s应当坚持依法、公开、公平、便民的原则，相关信息通过区政府门户网站向社会公开。\n"+
		"第五条 本办法自施行之日起生效。《%s》由%s负责解释。", topic, topic, issuer, topic, title, issuer)
}

// SeedDemo loads the demo district's issuing-body list, about 25
// documents from 2021 to 2026 in every state (some expiring soon, one with an
// overdue filing, one revoked on filing review, current drafts and one in
// legality review) and a finished, published clean-up campaign.
func (s *Service) SeedDemo(ctx context.Context, deps DemoDeps) error {
	sys := auth.With(ctx, auth.SystemActor("规范性文件演示数据"))
	issuers := map[string]*Issuer{}
	for _, di := range demoIssuers {
		unit, err := deps.UnitID(sys, di.code)
		if err != nil {
			return fmt.Errorf("normdoc demo: unit %s: %w", di.code, err)
		}
		is, err := s.CreateIssuer(sys, IssuerInput{UnitID: unit, Name: di.name, Prefix: di.prefix, Basis: di.basis, ListedOn: "2020-12-30"})
		if err != nil {
			return err
		}
		if !di.active {
			off := false
			if is, err = s.UpdateIssuer(sys, is.ID, IssuerInput{UnitID: unit, Name: di.name, Prefix: di.prefix, Basis: di.basis, ListedOn: "2020-12-30", Active: &off, Version: is.Version}); err != nil {
				return err
			}
		}
		issuers[di.name] = is
	}
	ids := map[string]int64{}
	for i, dd := range demoDocs {
		id, err := s.seedHistorical(sys, issuers[dd.issuer], dd, i)
		if err != nil {
			return fmt.Errorf("normdoc demo 《%s》: %w", dd.title, err)
		}
		ids[dd.title] = id
	}

	// A finished and published clean-up campaign (2025).
	c, err := s.CreateCleanup(sys, CleanupInput{UnitID: issuers["清河区人民政府"].UnitID, Title: "2025年度规范性文件集中清理",
		Basis: "《清河市人民政府办公室关于开展规范性文件清理工作的通知》", StartedOn: "2025-10-09",
		DocumentIDs: []int64{ids["清河区最低生活保障审核确认办法"], ids["清河区政府投资项目管理办法"], ids["清河区食品小作坊登记管理办法"], ids["清河区养老服务补贴管理办法"]}})
	if err != nil {
		return err
	}
	decisions := map[int64]DecisionInput{
		ids["清河区最低生活保障审核确认办法"]: {OutcomeRepeal, "《最低生活保障审核确认办法》（民发〔2021〕57号）已作全面规定，本办法调整对象已由上位规定覆盖", "2025-11-10"},
		ids["清河区政府投资项目管理办法"]:   {OutcomeKeep, "与《政府投资条例》一致，继续施行", "2025-11-10"},
		ids["清河区食品小作坊登记管理办法"]:  {OutcomeAmend, "登记程序需与省食品小作坊条例修正案衔接，列入2026年修订计划", "2025-11-12"},
		ids["清河区养老服务补贴管理办法"]:   {OutcomeKeep, "补贴标准经评估仍适用，继续施行", "2025-11-12"},
	}
	for _, it := range c.Items {
		if _, err := s.DecideItem(sys, c.ID, it.ID, decisions[it.DocumentID]); err != nil {
			return err
		}
	}
	if c, err = s.GetCleanup(sys, c.ID); err != nil {
		return err
	}
	if c, err = s.FinishCleanup(sys, c.ID, DateInput{Date: "2025-11-20", Version: c.Version}); err != nil {
		return err
	}
	if _, err = s.PublishCleanup(sys, c.ID, DateInput{Date: "2025-11-28", Version: c.Version}); err != nil {
		return err
	}

	// Documents whose validity has run out by today become 已失效 (after
	// the campaign, which reviewed them while still in force).
	if _, err := s.ExpireDue(sys); err != nil {
		return err
	}
	return s.seedCurrent(sys, deps, issuers)
}

// seedCurrent puts today's work through the live procedure: two drafts, one
// in legality review, and one reviewed, deliberated and numbered.
func (s *Service) seedCurrent(sys context.Context, deps DemoDeps, issuers map[string]*Issuer) error {
	today := s.today().String()
	civil, gov, edu := issuers["清河区民政局"], issuers["清河区人民政府"], issuers["清河区教育局"]
	draft := func(is *Issuer, title, topic string, important bool) (*Document, error) {
		return s.CreateDraft(sys, DraftInput{IssuerID: is.ID, Title: title, Important: important, DraftedOn: today,
			Summary: "规范本区" + topic + "工作", Body: demoBody(is.Name, title, topic)})
	}
	d, err := draft(civil, "清河区居家养老上门服务规范", "居家养老上门服务", true)
	if err != nil {
		return err
	}
	if _, err := s.RecordEvaluation(sys, d.ID, EvaluationInput{Date: today, Note: "经社会风险评估，服务标准和补贴方式可行，建议公开征求意见", Version: d.Version}); err != nil {
		return err
	}
	if _, err := draft(edu, "清河区中小学生课后服务管理办法", "中小学生课后服务", false); err != nil {
		return err
	}
	if d, err = draft(gov, "清河区农村集体资产管理暂行办法", "农村集体资产管理", false); err != nil {
		return err
	}
	as := func(username string) (context.Context, error) {
		a, err := deps.Actor(sys, username)
		if err != nil {
			return nil, err
		}
		return auth.With(sys, a), nil
	}
	govClerk, err := as("sifaju")
	if err != nil {
		return err
	}
	civilClerk, err := as("clerk_mzj")
	if err != nil {
		return err
	}
	if _, err := s.SubmitReview(govClerk, d.ID, VersionInput{Version: d.Version}); err != nil {
		return err
	}
	if d, err = draft(civil, "清河区殡葬管理办法", "节地生态安葬和殡葬服务", false); err != nil {
		return err
	}
	if d, err = s.SubmitReview(civilClerk, d.ID, VersionInput{Version: d.Version}); err != nil {
		return err
	}
	if err := deps.PassReview(sys, d.ReviewID); err != nil {
		return err
	}
	if d, err = s.Deliberate(sys, d.ID, DeliberationInput{Meeting: "区民政局2026年第11次局务会议", Date: today, Note: "审议通过，按合法性审查意见修改第六条", Version: d.Version}); err != nil {
		return err
	}
	_, err = s.Register(sys, d.ID, DateInput{Date: today, Version: d.Version})
	return err
}

// seedHistorical writes one document that went through the procedure before
// the platform was in use, with consistent dates, its number in the
// issuer's sequence, the filing clock and reminders.
func (s *Service) seedHistorical(ctx context.Context, is *Issuer, dd demoDoc, n int) (int64, error) {
	if is == nil {
		return 0, apperr.New(apperr.Internal, "demo issuer missing")
	}
	pub := calendar.MustDate(dd.pub)
	eff := pub.AddDays(s.opt.EffectiveDelayDays)
	years := s.validYears(dd.title)
	rule, err := s.rules.Get(FilingRule)
	if err != nil {
		return 0, err
	}
	var clock calendar.Clock
	if err := clock.Start(rule, pub); err != nil {
		return 0, err
	}
	due, err := clock.Due(s.cal)
	if err != nil {
		return 0, err
	}
	cj, _ := json.Marshal(clock)
	meeting := fmt.Sprintf("区政府第%d次常务会议", 20+n)
	if !strings.HasSuffix(is.Name, "人民政府") {
		meeting = fmt.Sprintf("%s%d年第%d次局务会议", strings.TrimPrefix(is.Name, "清河"), pub.Year, 3+n%7)
	}
	d := &Document{IssuerID: is.ID, IssuerName: is.Name, UnitID: is.UnitID, Title: dd.title, Summary: "规范本区" + dd.topic + "有关工作",
		Body: demoBody(is.Name, dd.title, dd.topic), Important: dd.important, Status: StatusPublished, Source: "system",
		DraftedOn: pub.AddDays(-75).String(), ReviewSubmittedOn: pub.AddDays(-40).String(), ReviewStatus: legalreview.OutcomePassed,
		DeliberationMeeting: meeting, DeliberationOn: pub.AddDays(-12).String(), DeliberationNote: "审议通过",
		RegisteredOn: pub.AddDays(-3).String(), PublishedOn: pub.String(), EffectiveOn: eff.String(), ValidYears: years,
		ExpiresOn: expiry(eff, years).String(), FilingDue: due.String(), filingClock: string(cj)}
	if dd.important {
		d.EvaluationOn, d.EvaluationNote = pub.AddDays(-70).String(), "评估论证认为制定必要、措施可行"
		d.CommentFrom, d.CommentTo, d.CommentCount, d.CommentSummary = pub.AddDays(-68).String(), pub.AddDays(-45).String(), 6+n, "采纳意见 "+strconv.Itoa(2+n%4)+" 条，未采纳的已说明理由"
	}
	if dd.filed >= 0 {
		filed := pub.AddDays(dd.filed)
		onTime := !filed.After(due)
		d.FiledOn, d.FiledOnTime, d.FilingTo = filed.String(), &onTime, "清河市人民政府（市司法局）"
		if dd.result != "" {
			d.FilingResult, d.FilingResultOn = dd.result, filed.AddDays(25).String()
			switch dd.result {
			case FilingCorrection:
				d.FilingResultNote = "第八条设定的评价结果与企业资质挂钩，超出职权，责令30日内纠正"
			case FilingRevoked:
				d.FilingResultNote = "第十二条增设资金申请前置条件，违反上位法规定，予以撤销"
				d.Status, d.EndedOn, d.EndReason = StatusRevoked, d.FilingResultOn, "备案审查予以撤销："+d.FilingResultNote
			}
		}
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		last, err := s.store.MaxSeq(ctx, tx, is.ID, pub.Year)
		if err != nil {
			return err
		}
		d.NumberYear, d.NumberSeq = pub.Year, last+1
		d.DocNo = DocNo(is.Prefix, d.NumberYear, d.NumberSeq)
		if id, err = s.store.InsertDocument(ctx, tx, d); err != nil {
			return err
		}
		d.ID = id
		if d.FilingResult != "" {
			if err := s.store.InsertFilingEvent(ctx, tx, id, initialFilingEvent(d, "清河市司法局", s.opt.Now())); err != nil {
				return err
			}
		}
		if err := s.store.IndexDocument(ctx, tx, d); err != nil {
			return err
		}
		if err := s.scheduleReminders(ctx, tx, d); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "normdoc.document.seed", ObjectType: "normdoc", ObjectID: strconv.FormatInt(id, 10),
			UnitID: d.UnitID, Summary: "载入演示文件《" + d.Title + "》" + d.DocNo})
	})
	return id, err
}
