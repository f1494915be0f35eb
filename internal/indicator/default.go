package indicator

// DefaultCode is the code of the shipped framework.
const DefaultCode = "demo-2021"

// DefaultName is its name.
const DefaultName = "市县法治政府建设示范指标（本系统默认体系）"

// defaultNote says what the shipped framework is and is not.
const defaultNote = "按《市县法治政府建设示范指标体系》的结构（8 个一级指标）编排，条目为本系统自拟表述，分值和阈值为示例，" +
	"官方分值未公开：请按本省测评细则修改，或导入本省指标体系。"

// row is one line of a framework as the default table and the Excel
// import write it. Parent is the parent's code ("" for level 1).
type row struct {
	Code, Parent  string
	Level         int
	Title, Desc   string
	Kind          string
	Points        float64
	Method        string
	PerOccurrence float64
	Cap           float64
	Figure        string
	FullAt        float64
	ZeroAt        float64
	Evidence      string
}

func l1(code, title string) row {
	return row{Code: code, Level: 1, Title: title, Kind: KindNormal, Method: MethodManual}
}
func l2(code, parent, title string) row {
	return row{Code: code, Parent: parent, Level: 2, Title: title, Kind: KindNormal, Method: MethodManual}
}

// check is a level-3 checklist item.
func check(code, parent, title string, points float64, evidence string) row {
	return row{Code: code, Parent: parent, Level: 3, Title: title, Kind: KindNormal, Points: points, Method: MethodChecklist, Evidence: evidence}
}

// bound is a level-3 item scored from a figure.
func bound(code, parent, title string, points float64, figure string, full, zero float64, evidence string) row {
	return row{Code: code, Parent: parent, Level: 3, Title: title, Kind: KindNormal, Points: points, Method: MethodThreshold,
		Figure: figure, FullAt: full, ZeroAt: zero, Evidence: evidence}
}

// deduct is a level-3 item losing points per occurrence.
func deduct(code, parent, title string, points, per, cap float64, evidence string) row {
	return row{Code: code, Parent: parent, Level: 3, Title: title, Kind: KindNormal, Points: points, Method: MethodDeduction,
		PerOccurrence: per, Cap: cap, Evidence: evidence}
}

// manual is a level-3 item scored by hand.
func manual(code, parent, title string, points float64, evidence string) row {
	return row{Code: code, Parent: parent, Level: 3, Title: title, Kind: KindNormal, Points: points, Method: MethodManual, Evidence: evidence}
}

// defaultRows is the shipped framework. The 8 level-1 areas follow the
// national structure (DOMAIN.md §1.2, UNCONFIRMED beyond the first); every
// item is written in this system's own words.
var defaultRows = []row{
	l1("一", "政府职能依法全面履行"),
	l2("1.1", "一", "深化简政放权和审批服务"),
	check("1", "1.1", "政务服务事项网上可办、就近可办，审批在法定时限内办结且时限持续压减", 3, "政务服务事项清单及网上可办率说明\n审批时限压减情况统计\n超时办结情况核查记录"),
	check("2", "1.1", "依法实施行政许可，不以备案、登记、征求意见等方式变相设定许可", 3, "行政许可事项清单\n变相许可专项清理报告"),
	check("3", "1.1", "清理无法定依据的中介服务和收费，保留事项以清单管理并向社会公开", 2, "中介服务事项清单及公开截图\n清理工作报告"),
	l2("1.2", "一", "加强事中事后监管"),
	bound("4", "1.2", "双随机抽查结果按期公示", 3, "randominspection.published_on_time_rate", 100, 80, "抽查结果公示截图"),
	bound("5", "1.2", "涉企行政检查不重复、不扰企（重复检查预警越少越好）", 2, "enforcement.repeat_inspection_hits", 0, 5, "涉企检查计划统筹材料"),
	check("6", "1.2", "权责清单动态调整并向社会公开", 2, "权责清单调整文件\n公开网址截图"),

	l1("二", "依法行政制度体系完善"),
	l2("2.1", "二", "规范性文件管理"),
	bound("7", "2.1", "规范性文件按时报送备案", 4, "normdoc.filed_on_time_rate", 100, 80, "备案报告回执"),
	bound("8", "2.1", "规范性文件备案审查一次通过", 2, "normdoc.filing_review_pass_rate", 100, 90, "备案审查意见"),
	check("9", "2.1", "开展规范性文件清理并公布保留、修改、废止目录", 2, "清理工作方案\n清理结果目录及公布截图"),
	l2("2.2", "二", "合法性审查"),
	bound("10", "2.2", "合法性审查在规定时限内办结", 3, "legalreview.on_time_rate", 100, 80, "合法性审查台账"),
	bound("11", "2.2", "合法性审查意见被采纳", 2, "legalreview.adoption_rate", 95, 70, "审查意见及采纳情况说明"),

	l1("三", "重大行政决策科学民主合法"),
	l2("3.1", "三", "决策程序"),
	check("12", "3.1", "年度重大行政决策事项目录经同级党委同意后向社会公布", 3, "决策事项目录\n党委同意文件\n公布截图"),
	bound("13", "3.1", "重大行政决策作出前全部经过合法性审查", 4, "decision.legal_review_rate", 100, 100, "合法性审查意见书"),
	check("14", "3.1", "涉及群众切身利益的决策依法公众参与、专家论证、风险评估", 3, "征求意见公告及反馈说明\n专家论证意见\n风险评估报告"),
	l2("3.2", "三", "决策质量"),
	bound("15", "3.2", "重大行政决策未被上级机关纠错（纠错件数越少越好）", 2, "decision.corrected_count", 0, 2, "上级机关纠错情况说明"),
	bound("16", "3.2", "党政机关法律顾问、公职律师全覆盖", 2, "counsel.coverage_rate", 100, 80, "法律顾问聘任文件"),

	l1("四", "行政执法严格规范公正文明"),
	l2("4.1", "四", "执法队伍"),
	bound("17", "4.1", "执法人员参加年度法律知识培训", 2, "enforcement.training_coverage", 100, 80, "培训通知及签到表"),
	bound("18", "4.1", "执法人员年度考试合格", 2, "enforcement.exam_pass_rate", 95, 80, "考试成绩汇总"),
	l2("4.2", "四", "行政执法三项制度"),
	bound("19", "4.2", "行政执法决定按期公示", 3, "enforcement.disclosure_on_time_rate", 100, 80, "执法公示平台截图"),
	bound("20", "4.2", "重大执法决定全部经法制审核", 4, "enforcement.major_review_rate", 100, 90, "法制审核意见书"),
	bound("21", "4.2", "涉企行政处罚决定前按规定报备", 2, "enforcement.enterprise_report_rate", 100, 80, "报备记录"),
	l2("4.3", "四", "执法监督"),
	bound("22", "4.3", "执法监督规则预警及时纠正（未纠正预警越少越好）", 2, "enforcement.rule_hits_open", 0, 10, "预警纠正记录"),
	deduct("23", "4.3", "案卷评查发现的不合格案卷按件扣分", 3, 0.5, 3, "案卷评查结果通报"),

	l1("五", "行政权力制约和监督科学有效"),
	l2("5.1", "五", "监督整改"),
	bound("24", "5.1", "督察、审计、巡察等发现的问题按期整改销号", 4, "finding.closed_on_time_rate", 100, 80, "整改报告及销号材料"),
	bound("25", "5.1", "超期未整改问题清零（越少越好）", 2, "finding.overdue_count", 0, 5, "超期问题说明"),
	l2("5.2", "五", "政务公开"),
	bound("26", "5.2", "依申请公开按法定期限答复", 3, "disclosure.on_time_rate", 100, 90, "依申请公开年度报告"),
	check("27", "5.2", "主动公开基本目录编制并按目录公开", 2, "主动公开基本目录\n公开情况核查记录"),

	l1("六", "社会矛盾纠纷依法有效化解"),
	l2("6.1", "六", "行政复议"),
	bound("28", "6.1", "行政复议案件按期作出决定", 3, "reconsideration.on_time_rate", 100, 90, "复议案件审结情况统计"),
	bound("29", "6.1", "行政复议通过调解和解实质性化解争议", 2, "reconsideration.resolution_rate", 40, 10, "调解和解书"),
	l2("6.2", "六", "行政应诉"),
	bound("30", "6.2", "行政机关负责人出庭应诉", 4, "litigation.head_in_court_rate", 90, 60, "出庭通知及庭审记录"),
	bound("31", "6.2", "行政诉讼按期答辩举证", 2, "litigation.defence_on_time_rate", 100, 90, "答辩状及证据提交回执"),
	bound("32", "6.2", "行政诉讼败诉率控制在较低水平（越低越好）", 3, "litigation.loss_rate", 5, 20, "败诉案件分析报告"),
	bound("33", "6.2", "司法建议按期书面回复", 1, "litigation.suggestion_reply_rate", 100, 80, "司法建议回复函"),
	l2("6.3", "六", "基层化解"),
	bound("34", "6.3", "人民调解成功率", 2, "mediation.success_rate", 95, 80, "调解案件统计"),

	l1("七", "政府工作人员法治思维和依法行政能力全面提高"),
	l2("7.1", "七", "学法用法"),
	check("35", "7.1", "政府常务会议会前学法制度化，每年不少于四次", 3, "会前学法议程及记录"),
	check("36", "7.1", "领导干部年度述法并接受评议", 3, "述法报告\n评议结果"),
	manual("37", "7.1", "开展宪法法律宣传教育，普法责任制落实到位", 2, "普法责任清单\n年度普法工作总结"),

	l1("八", "法治政府建设组织领导落实到位"),
	l2("8.1", "八", "组织领导"),
	check("38", "8.1", "政府主要负责人履行推进法治建设第一责任人职责", 3, "第一责任人职责清单\n年度专题研究记录"),
	check("39", "8.1", "按时公开上一年度法治政府建设情况报告", 3, "年度报告\n公开截图（3月31日前）"),
	check("40", "8.1", "法治政府建设纳入绩效考核并占一定权重", 2, "绩效考核方案"),
	{Code: "41", Parent: "8.1", Level: 3, Title: "发生重大违法行政决策、严重执法过错或群体性事件并造成恶劣社会影响", Kind: KindVeto, Method: MethodManual,
		Desc: "一票否决：测评期间发生的，整体测评不通过", Evidence: "情况说明（无此类情形的出具承诺）"},
	{Code: "42", Parent: "8.1", Level: 3, Title: "法治政府建设创新做法获评省级以上示范项目或被上级推广", Kind: KindBonus, Points: 3, Method: MethodManual,
		Desc: "加分项：每项 1.5 分，最多 3 分", Evidence: "命名或推广文件"},
	{Code: "43", Parent: "8.1", Level: 3, Title: "因违法行政被上级通报批评或被媒体曝光并查实", Kind: KindDeduction, Points: 0, Method: MethodDeduction,
		PerOccurrence: 1, Cap: 5, Desc: "扣分项：每起扣 1 分，最多扣 5 分", Evidence: "通报文件"},
}
