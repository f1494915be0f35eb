package finding

import (
	"bytes"
	"context"
	"fmt"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/files"
)

// DemoPeople is what the demo needs from the org module: actors by
// username and units by code.
type DemoPeople interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	UnitID(ctx context.Context, code string) (int64, error)
}

// DemoToday is the day the demo ledger is "as of": every date in it is on
// or before it, and the demo's figures are stated for it (see DemoFigures).
var DemoToday = calendar.NewDate(2026, 11, 20)

// Demo states.
const (
	demoOpen         = "open"          // registered, nothing done yet
	demoRectifying   = "rectifying"    // measures recorded and evidence uploaded, not yet submitted
	demoUnitReview   = "unit_review"   // close-out at the unit head
	demoSupReview    = "sup_review"    // unit head agreed, at the inspection office
	demoReturned     = "returned"      // the inspection office returned it to the unit head
	demoReopened     = "reopened"      // close-out refused: back to rectification
	demoClosed       = "closed"        // closed (on time or late by its dates)
	demoRecheckOK    = "recheck_ok"    // closed, re-check found the result holding
	demoRecheckAgain = "recheck_again" // closed, re-check found it back: a linked new finding
)

type demoFinding struct {
	source, unit, registrar, clerk, head string
	title, description, ref, severity    string
	found                                string
	state                                string
	measures                             string
	rectified, unitOK, closed, recheck   string // dates of each step (YYYY-MM-DD)
	recheckNote                          string
}

// Unit codes of the demo district (org.DemoDepartments / DemoTowns order).
const (
	uSJ   = "QH116000" // 区市场监管局
	uCGJ  = "QH117000" // 区城市管理局
	uCZJ  = "QH105000" // 区财政局
	uRSJ  = "QH106000" // 区人力社保局
	uZRJ  = "QH107000" // 区自然资源局
	uSTHJ = "QH108000" // 区生态环境局
	uZJJ  = "QH109000" // 区住房城乡建设局
	uJTJ  = "QH110000" // 区交通运输局
	uNYJ  = "QH111000" // 区农业农村局
	uSWJ  = "QH112000" // 区商务局
	uWJJ  = "QH114000" // 区卫生健康局
	uYJJ  = "QH115000" // 区应急管理局
	uJYJ  = "QH103000" // 区教育局
	uGAJ  = "QH104000" // 区公安分局
	uCG   = "QH201000" // 城关街道
	uQH   = "QH202000" // 清河街道
	uSQ   = "QH207000" // 石桥镇
	uTY   = "QH210000" // 桃源镇
)

// The 区司法局 法治督察 staff register most findings; complaints and hotline
// clues are registered by the unit that received them.
const demoInspector = "sifaju2"

var demoFindings = []demoFinding{
	{source: "inspection", unit: uSJ, registrar: demoInspector, clerk: "clerk_sj", head: "head_sj", severity: "general",
		title: "行政执法公示信息更新不及时", ref: "清河督察〔2026〕2号",
		description: "法治督察抽查发现，区市场监管局门户网站“双公示”栏目 2026 年 1 月以来的行政处罚决定未在 7 个工作日内公示，最长滞后 23 个工作日。",
		found:       "2026-03-10", state: demoRecheckOK,
		measures:  "明确法规科专人负责公示，建立“决定作出—法制审核—公示”台账，逐件补公示 17 件。",
		rectified: "2026-03-27", unitOK: "2026-03-30", closed: "2026-03-31", recheck: "2026-09-15",
		recheckNote: "抽查 2026 年 4—8 月行政处罚决定 42 件，均在 7 个工作日内公示。"},
	{source: "case_review", unit: uSJ, registrar: demoInspector, clerk: "clerk_sj", head: "head_sj", severity: "serious",
		title: "区市场监管局行政处罚案卷未附送达回证", ref: "清河评查〔2026〕1号",
		description: "2026 年第一季度案卷评查中，抽查的 20 卷行政处罚案卷有 3 卷未附处罚决定书送达回证，无法证明已依法送达。",
		found:       "2026-04-14", state: demoClosed,
		measures:  "补正送达 3 件并附回证；修订案卷归档目录，将送达回证列为必备材料，法规科归档前逐卷核对。",
		rectified: "2026-05-08", unitOK: "2026-05-11", closed: "2026-05-12"},
	{source: "supervision_notice", unit: uCGJ, registrar: demoInspector, clerk: "clerk_cgj", head: "head_cgj", severity: "serious",
		title: "占道经营处罚未履行事先告知程序", ref: "清河执监〔2026〕4号",
		description: "行政执法监督意见书指出，区城市管理局对占道经营作出的 5 件罚款决定未事先告知当事人陈述、申辩权利。",
		found:       "2026-05-12", state: demoClosed,
		measures:  "对 5 件决定自行撤销并重新作出；组织一线执法队员程序培训 2 期；执法文书系统增设告知环节必填校验。",
		rectified: "2026-06-26", unitOK: "2026-06-29", closed: "2026-06-30"},
	{source: "audit", unit: uCZJ, registrar: demoInspector, clerk: "clerk_czj", head: "head_czj", severity: "general",
		title: "政府采购合同未经合法性审查即签订", ref: "清河审〔2026〕12号",
		description: "区审计局审计发现，区财政局 2025 年签订的 2 份政府采购服务合同未提交合法性审查。",
		found:       "2026-06-02", state: demoClosed,
		measures:  "补充开展合法性审查并签订补充协议；将合同合法性审查纳入用印前置环节。",
		rectified: "2026-06-24", unitOK: "2026-06-25", closed: "2026-06-26"},
	{source: "reconsideration_correction", unit: uRSJ, registrar: demoInspector, clerk: "clerk_rsj", head: "head_rsj", severity: "serious",
		title: "工伤认定决定因事实认定不清被复议撤销", ref: "清河府复〔2026〕15号",
		description: "区政府行政复议决定撤销区人力社保局作出的一件不予认定工伤决定，理由为未调查核实事发时是否处于工作时间。",
		found:       "2026-05-06", state: demoRecheckAgain,
		measures:  "重新调查并作出认定；制定工伤认定调查核实清单，明确工作时间、工作场所的取证要求。",
		rectified: "2026-05-27", unitOK: "2026-05-28", closed: "2026-05-29", recheck: "2026-11-05",
		recheckNote: "回头看抽查 2026 年 6—10 月工伤认定案卷 12 件，仍有 2 件未对工作时间进行调查核实，问题反弹。"},
	{source: "lost_lawsuit", unit: uZRJ, registrar: demoInspector, clerk: "clerk_zrj", head: "head_zrj", severity: "major",
		title: "违法用地行政处罚决定被法院判决撤销", ref: "（2026）渝0112行初45号",
		description: "区自然资源局对某公司违法占地作出的行政处罚决定，因未经法制审核、未告知听证权利被人民法院判决撤销。",
		found:       "2026-07-08", state: demoClosed,
		measures:  "重新立案调查并履行听证告知程序；对承办人员约谈提醒；重大执法决定法制审核目录补充土地类处罚。",
		rectified: "2026-08-21", unitOK: "2026-08-24", closed: "2026-08-25"},
	{source: "complaint", unit: uZJJ, registrar: "clerk_zjj", clerk: "clerk_zjj", head: "head_zjj", severity: "general",
		title: "物业服务投诉处理超期未答复", ref: "投诉登记 2026-0815",
		description: "群众投诉反映，向区住房城乡建设局反映小区物业违规收费问题，超过 60 日未收到处理答复。",
		found:       "2026-08-11", state: demoSupReview,
		measures:  "已向投诉人书面答复并责令物业企业退还违规收费；建立投诉办理时限台账，每周通报。",
		rectified: "2026-09-04", unitOK: "2026-09-08"},
	{source: "hotline", unit: uQH, registrar: "clerk_town02", clerk: "clerk_town02", head: "head_town02", severity: "general",
		title: "12345热线反映违规占道施工处置不及时", ref: "12345 工单 QH2026091503",
		description: "市民多次通过 12345 热线反映滨河路段夜间违规占道施工，街道综合执法队 10 日后才到场处置。",
		found:       "2026-09-15", state: demoUnitReview,
		measures:  "已责令施工单位整改并立案处罚；建立热线工单 2 小时响应、24 小时到场机制。",
		rectified: "2026-10-09"},
	{source: "auto_rule", unit: uWJJ, registrar: demoInspector, clerk: "clerk_wjj", head: "head_wjj", severity: "general",
		title: "行政许可决定超过法定期限未公示", ref: "规则预警 enforcement.disclose",
		description: "系统规则预警：区卫生健康局 2026 年 9 月作出的 6 件医疗机构执业许可决定超过 7 个工作日未公示。",
		found:       "2026-10-12", state: demoOpen},
	{source: "inspection", unit: uSQ, registrar: demoInspector, clerk: "clerk_town07", head: "head_town07", severity: "serious",
		title: "综合行政执法未落实全过程记录制度", ref: "清河督察〔2026〕9号",
		description: "法治督察发现，石桥镇综合行政执法办公室现场检查未使用执法记录仪，调查询问无音像记录。",
		found:       "2026-09-01", state: demoRectifying,
		measures: "已采购执法记录仪 6 台，正在制定音像记录管理办法。"},
	{source: "case_review", unit: uJTJ, registrar: demoInspector, clerk: "clerk_jtj", head: "head_jtj", severity: "general",
		title: "道路运输行政处罚案卷证据目录不完整", ref: "清河评查〔2026〕3号",
		description: "第三季度案卷评查中，区交通运输局道路运输类处罚案卷 4 卷缺少证据目录或目录与证据不对应。",
		found:       "2026-11-03", state: demoOpen},
	{source: "supervision_notice", unit: uSTHJ, registrar: demoInspector, clerk: "clerk_sthj", head: "head_sthj", severity: "general",
		title: "环境行政处罚自由裁量基准适用说明缺失", ref: "清河执监〔2026〕11号",
		description: "执法监督发现，区生态环境局 2026 年作出的部分罚款决定未说明适用自由裁量基准的理由。",
		found:       "2026-11-02", state: demoRectifying,
		measures: "修订处罚决定书模板，增加“裁量理由”栏；对 2026 年已作出的决定逐件补充说明。"},
	{source: "audit", unit: uJYJ, registrar: demoInspector, clerk: "clerk_jyj", head: "head_jyj", severity: "general",
		title: "校外培训机构执法检查未按计划开展", ref: "清河审〔2026〕5号",
		description: "审计发现，区教育局 2025 年度校外培训机构“双随机”检查计划完成率仅 45%。",
		found:       "2026-02-24", state: demoRecheckOK,
		measures:  "调整年度检查计划并按月通报完成情况；与区市场监管局开展联合检查。",
		rectified: "2026-03-19", unitOK: "2026-03-20", closed: "2026-03-23", recheck: "2026-09-10",
		recheckNote: "2026 年 1—8 月检查计划完成率 96%，未发现漏检。"},
	{source: "complaint", unit: uSWJ, registrar: "clerk_swj", clerk: "clerk_swj", head: "head_swj", severity: "general",
		title: "行政检查未出示执法证件", ref: "投诉登记 2026-1026",
		description: "经营者投诉区商务局执法人员开展成品油市场检查时未出示行政执法证件。",
		found:       "2026-10-26", state: demoReturned,
		measures:  "对相关执法人员批评教育；重申亮证执法要求。",
		rectified: "2026-11-06", unitOK: "2026-11-09"},
	{source: "hotline", unit: uTY, registrar: "clerk_town10", clerk: "clerk_town10", head: "head_town10", severity: "general",
		title: "12345热线反映农村建房审批办理超时", ref: "12345 工单 QH2026072011",
		description: "村民通过 12345 热线反映，农村宅基地建房申请提交后 40 日未获审批答复，超过承诺时限。",
		found:       "2026-07-20", state: demoClosed,
		measures:  "已完成审批并向申请人说明；建立农村建房审批进度公示和超时预警。",
		rectified: "2026-09-01", unitOK: "2026-09-02", closed: "2026-09-03"},
	{source: "auto_rule", unit: uYJJ, registrar: demoInspector, clerk: "clerk_yjj", head: "head_yjj", severity: "general",
		title: "行政处罚决定未在7个工作日内公示", ref: "规则预警 penalty.disclose",
		description: "系统规则预警：区应急管理局 2 件安全生产行政处罚决定作出后超过 7 个工作日未公示。",
		found:       "2026-11-09", state: demoOpen},
	{source: "reconsideration_correction", unit: uGAJ, registrar: demoInspector, clerk: "clerk_gaj", head: "head_gaj", severity: "serious",
		title: "治安管理处罚决定适用法律错误被复议变更", ref: "清河府复〔2026〕31号",
		description: "区政府行政复议决定变更区公安分局作出的一件治安管理处罚决定，原决定适用条款错误、罚款幅度不当。",
		found:       "2026-09-07", state: demoReopened,
		measures:  "组织法制员学习新修订的治安管理处罚法。",
		rectified: "2026-09-28", unitOK: "2026-09-29", closed: "2026-09-30"},
	{source: "lost_lawsuit", unit: uNYJ, registrar: demoInspector, clerk: "clerk_nyj", head: "head_nyj", severity: "serious",
		title: "农药经营许可撤销案件因程序违法败诉", ref: "（2026）渝0112行初88号",
		description: "区农业农村局撤销某农资店农药经营许可，因未告知听证权利被人民法院判决确认违法。",
		found:       "2026-11-10", state: demoOpen},
	{source: "inspection", unit: uCGJ, registrar: demoInspector, clerk: "clerk_cgj", head: "head_cgj", severity: "major",
		title: "部分执法人员未取得行政执法证件即上岗执法", ref: "清河督察〔2026〕13号",
		description: "法治督察发现，区城市管理局 3 名协管人员单独开展执法检查并在询问笔录上签名。",
		found:       "2026-10-19", state: demoOpen},
	{source: "case_review", unit: uCG, registrar: demoInspector, clerk: "clerk_town01", head: "head_town01", severity: "general",
		title: "综合执法案卷缺少法制审核意见", ref: "清河评查〔2026〕2号",
		description: "评查发现，城关街道作出的 2 件较大数额罚款决定案卷中缺少法制审核意见书。",
		found:       "2026-06-15", state: demoClosed,
		measures:  "补充法制审核程序并归档；明确街道司法所负责法制审核。",
		rectified: "2026-07-10", unitOK: "2026-07-13", closed: "2026-07-14"},
}

// DemoFigures are the ledger figures of the demo as of DemoToday, counted by
// hand from demoFindings: 21 findings (20 registered and one recurrence);
// 9 closed, of which 6 rectified by their deadline; 12 not closed
// (3 under close-out review, 9 under rectification), of which 6 are past
// their deadline and not closed: 4 under rectification (registered
// 2026-09-01, 2026-09-07, 2026-10-12 and 2026-10-19) and 2 still in
// close-out review. The closing rate over 2026 (issue 24): 6 closed on
// time ÷ (9 closed + 6 past their deadline and not closed) = 40%, not
// 6 ÷ 9 = 66.7% as when the overdue ones were left out; the overdue count
// is every finding not closed past its deadline (the ledger's 只看超期).
var DemoFigures = map[string]float64{FigureOpen: 12, FigureOverdue: 6, FigureClosedOnTimeRate: 40}

// SeedDemo loads the demo ledger: findings from every source across
// departments and towns, in every state, each taken through the real
// procedure (registration with the calendar deadline, evidence, close-out
// chain, re-check) with the clock set to the day it happened.
func (s *Service) SeedDemo(ctx context.Context, people DemoPeople) error {
	// Every step under a simulated clock carried by ctx (platform/clock):
	// the clock of the service answering requests never moves.
	ctx, sim := clock.Simulate(ctx)
	at := func(date string, hour int) { sim.At(calendar.MustDate(date), hour) }
	actors := map[string]context.Context{}
	as := func(username string) (context.Context, error) {
		if c, ok := actors[username]; ok {
			return c, nil
		}
		a, err := people.Actor(ctx, username)
		if err != nil {
			return nil, err
		}
		actors[username] = auth.With(ctx, a)
		return actors[username], nil
	}
	for i, d := range demoFindings {
		if err := s.seedOne(ctx, people, as, at, d); err != nil {
			return fmt.Errorf("demo finding %d (%s): %w", i+1, d.title, err)
		}
	}
	return nil
}

func (s *Service) seedOne(ctx context.Context, people DemoPeople, as func(string) (context.Context, error), at func(string, int), d demoFinding) error {
	unit, err := people.UnitID(ctx, d.unit)
	if err != nil {
		return err
	}
	reg, err := as(d.registrar)
	if err != nil {
		return err
	}
	clerk, err := as(d.clerk)
	if err != nil {
		return err
	}
	head, err := as(d.head)
	if err != nil {
		return err
	}
	sup, err := as("sifaju")
	if err != nil {
		return err
	}
	at(d.found, 10)
	f, err := s.Create(reg, CreateInput{Title: d.title, Description: d.description, Source: d.source, SourceRef: d.ref,
		UnitID: unit, Severity: d.severity, FoundOn: d.found})
	if err != nil {
		return err
	}
	if d.state == demoOpen {
		return nil
	}
	// Measures and evidence: the unit's clerk, a few days after registration
	// (or on the day of rectification).
	day := calendar.MustDate(d.found).AddDays(3).String()
	if d.rectified != "" && d.rectified < day {
		day = d.rectified
	}
	at(day, 15)
	if f, err = s.Update(clerk, f.ID, UpdateInput{Version: f.Version, Title: f.Title, Description: f.Description, SourceRef: f.SourceRef,
		Severity: f.Severity, Measures: d.measures}); err != nil {
		return err
	}
	if s.files != nil {
		doc := fmt.Sprintf("%%PDF-1.7\n%s 整改佐证材料\n%s\n%%%%EOF\n", f.Code, d.measures)
		if _, err := s.files.Upload(clerk, files.UploadInput{OwnerType: OwnerType, OwnerID: f.ID, Name: "整改佐证材料-" + f.Code + ".pdf"},
			bytes.NewReader([]byte(doc))); err != nil {
			return err
		}
	}
	if d.state == demoRectifying {
		return nil
	}
	at(d.rectified, 16)
	if f, err = s.Rectify(clerk, f.ID, RectifyInput{Version: f.Version, Measures: d.measures, RectifiedOn: d.rectified}); err != nil {
		return err
	}
	if d.state == demoUnitReview {
		return nil
	}
	at(d.unitOK, 9)
	if f, err = s.Act(head, f.ID, ActApprove, ActInput{Version: f.Version, Opinion: "整改措施已落实，同意报请销号。"}); err != nil {
		return err
	}
	switch d.state {
	case demoSupReview:
		return nil
	case demoReturned:
		at(d.unitOK, 16)
		_, err = s.Act(sup, f.ID, ActReturn, ActInput{Version: f.Version, ToStep: "unit_review",
			Opinion: "佐证材料仅有情况说明，请补充对当事执法人员的处理记录和培训签到表后重新审核。"})
		return err
	case demoReopened:
		at(d.closed, 10)
		_, err = s.Act(sup, f.ID, ActReject, ActInput{Version: f.Version,
			Opinion: "整改措施仅为组织学习，未对原决定涉及的同类案件开展自查，不同意销号，请继续整改。"})
		return err
	}
	at(d.closed, 10)
	if f, err = s.Act(sup, f.ID, ActApprove, ActInput{Version: f.Version, Opinion: "经审核，整改到位，同意销号。"}); err != nil {
		return err
	}
	if d.recheck == "" {
		return nil
	}
	result := RecheckOK
	if d.state == demoRecheckAgain {
		result = RecheckRecurred
	}
	insp, err := as(demoInspector)
	if err != nil {
		return err
	}
	at(d.recheck, 11)
	_, err = s.Recheck(insp, f.ID, RecheckInput{Version: f.Version, Result: result, Note: d.recheckNote, RecheckedOn: d.recheck})
	return err
}
