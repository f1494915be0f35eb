package disclosure

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/files"
)

// DemoPeople is what the demo needs from the org module.
type DemoPeople interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	UnitID(ctx context.Context, code string) (int64, error)
}

// DemoToday is the day the demo register is "as of".
var DemoToday = calendar.NewDate(2026, 11, 20)

// DemoCount is how many requests the demo registers over the year.
const DemoCount = 80

type demoUnit struct{ code, clerk, head, name string }

// The departments that receive most requests in a district: market
// regulation, natural resources (land expropriation), housing
// (demolition, old-estate renovation), environment, education, social
// security.
var demoUnits = []demoUnit{
	{"QH116000", "clerk_sj", "head_sj", "区市场监管局"},
	{"QH107000", "clerk_zrj", "head_zrj", "区自然资源局"},
	{"QH109000", "clerk_zjj", "head_zjj", "区住房城乡建设局"},
	{"QH108000", "clerk_sthj", "head_sthj", "区生态环境局"},
	{"QH103000", "clerk_jyj", "head_jyj", "区教育局"},
	{"QH106000", "clerk_rsj", "head_rsj", "区人力社保局"},
}

var demoTopics = [][]string{
	{"2026年本区食品经营许可发放清单", "某超市2025年度食品安全抽检结果", "本区电梯维保单位监督检查记录", "某餐饮店投诉举报处理结果"},
	{"石桥镇集体土地征收补偿安置方案", "白沙镇某地块国有建设用地使用权出让合同", "2026年度本区土地利用年度计划", "青山镇某村土地征收批复文件"},
	{"城关街道老旧小区改造项目立项批复", "某楼盘商品房预售许可证及附件", "某小区维修资金使用情况", "清河街道房屋征收决定及补偿方案"},
	{"某化工企业环境影响评价报告书及批复", "2026年第三季度本区地表水水质监测数据", "某企业排污许可证副本", "某建筑工地扬尘处罚决定书"},
	{"2026年本区义务教育阶段学校招生划片方案", "某民办学校办学许可证年检结果", "本区中小学校舍安全排查报告", "2026年教师招聘考试成绩及录用名单"},
	{"2026年本区最低工资标准调整文件", "某企业劳动保障监察案件处理结果", "2025年度就业补助资金使用情况", "本区社会保险基金年度决算"},
}

var demoNames = []string{"王建华", "李秀梅", "张国强", "刘芳", "陈志明", "杨丽", "赵永刚", "黄春燕", "周德胜", "吴海燕", "徐立新", "孙桂兰"}

var demoOrgs = [][2]string{{"business", "清河市恒达食品有限公司"}, {"legal_service", "某律师事务所"}, {"research", "清河大学公共管理学院"},
	{"public_welfare", "清河市绿源环保公益服务中心"}, {"business", "清河建工集团有限公司"}, {"other_org", "某村民委员会"}}

// demoRequest is one generated request and what happens to it.
type demoRequest struct {
	unit                 demoUnit
	channel, applicant   string
	name, content        string
	submitted            calendar.Date
	scenario             int
	replyAfter           int // working days from receipt (or from the restart) to the reply
	consult, extend, fee bool
}

// SeedDemo registers DemoCount requests over the year, spread over six
// departments, every channel and applicant type, and takes each through
// the procedure under a simulated clock: corrections, third-party
// consultations, one extension, fees, secrecy reviews with released files
// and redacted copies, replies of every type, a closure for no correction,
// and the latest ones still running. Every reply is on time.
func (s *Service) SeedDemo(ctx context.Context, people DemoPeople, up Uploader) error {
	ctx, sim := clock.Simulate(ctx)
	at := func(d calendar.Date, hour int) { sim.At(d, hour) }
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
	start := calendar.NewDate(2026, 1, 5)
	for i := range DemoCount {
		d := demoRequest{unit: demoUnits[i%len(demoUnits)], channel: Channels[i%len(Channels)].Value, scenario: i % 10, replyAfter: 4 + (i*7)%12}
		d.content = demoTopics[i%len(demoUnits)][(i/len(demoUnits))%4]
		switch {
		case i%5 < 3:
			d.applicant, d.name = "natural", demoNames[i%len(demoNames)]
		default:
			o := demoOrgs[i%len(demoOrgs)]
			d.applicant, d.name = o[0], o[1]
		}
		d.submitted = s.cal.NextWorkingDay(start.AddDays(i * 4))
		d.consult = d.scenario == 5 && i%20 == 5
		d.extend = i == 25
		d.fee = i == 33 || i == 77
		if err := s.seedOne(ctx, people, up, as, at, d, i); err != nil {
			return fmt.Errorf("demo disclosure request %d: %w", i+1, err)
		}
	}
	return nil
}

// Uploader stores a file (the files engine).
type Uploader interface {
	Upload(ctx context.Context, in files.UploadInput, r io.Reader) (*files.File, error)
}

func (s *Service) seedOne(ctx context.Context, people DemoPeople, up Uploader, as func(string) (context.Context, error), at func(calendar.Date, int), d demoRequest, i int) error {
	unit, err := people.UnitID(ctx, d.unit.code)
	if err != nil {
		return err
	}
	clerk, err := as(d.unit.clerk)
	if err != nil {
		return err
	}
	head, err := as(d.unit.head)
	if err != nil {
		return err
	}
	in := CreateInput{UnitID: unit, Channel: d.channel, ApplicantType: d.applicant, ApplicantName: d.name, Content: d.content,
		IDNumber: fmt.Sprintf("3201022%03d%02d%02d%04d", 960+i%40, 1+i%12, 1+i%28, 1000+i*37%9000), Phone: fmt.Sprintf("138%08d", 20000000+i*104729%70000000),
		Address: fmt.Sprintf("清河市示范区%s路%d号", []string{"幸福", "人民", "建设", "解放", "中山", "和平"}[i%6], 10+i), Purpose: "自身生产生活需要",
		SubmittedOn: d.submitted.String()}
	received := d.submitted
	switch rule, _ := receiptRule(d.channel); rule.DateField {
	case "signed_on":
		received = s.cal.AddWorkingDays(d.submitted, 2)
		in.SignedOn = received.String()
	case "confirmed_on":
		received = s.cal.AddWorkingDays(d.submitted, 1)
		in.ConfirmedOn = received.String()
	}
	if received.After(DemoToday) {
		return nil
	}
	at(received, 10)
	r, err := s.Create(clerk, in)
	if err != nil {
		return err
	}
	ver := r.Version
	day := received
	next := func(n int) (calendar.Date, bool) {
		day = s.cal.AddWorkingDays(day, n)
		if day.After(DemoToday) {
			return day, false
		}
		at(day, 15)
		return day, true
	}
	// Corrections (scenario 8): a notice after 2 working days; every other
	// one is corrected, the rest closed once the period ran out.
	if d.scenario == 8 {
		dd, ok := next(2)
		if !ok {
			return nil
		}
		until := s.cal.AddWorkingDays(dd, 10)
		if r, err = s.Correction(clerk, r.ID, CorrectionInput{Version: ver, Date: dd.String(), Items: "请补充所需信息的文号、形成时间或其他特征性描述", Until: until.String()}); err != nil {
			return err
		}
		ver = r.Version
		if i%20 == 18 {
			day = until
			if _, ok := next(2); !ok {
				return nil
			}
			_, err = s.Close(clerk, r.ID, CloseInput{Version: ver, Date: day.String(), Reason: "no_correction"})
			return err
		}
		if _, ok := next(4); !ok {
			return nil
		}
		if r, err = s.Corrected(clerk, r.ID, DateInput{Version: ver, Date: day.String()}); err != nil {
			return err
		}
		ver = r.Version
	}
	if d.consult {
		if _, ok := next(2); !ok {
			return nil
		}
		if r, err = s.Consult(clerk, r.ID, ConsultInput{Version: ver, Date: day.String(), Party: "清河市恒达食品有限公司"}); err != nil {
			return err
		}
		ver = r.Version
		if _, ok := next(8); !ok {
			return nil
		}
		if r, err = s.ConsultClosed(clerk, r.ID, ConsultCloseInput{Version: ver, Date: day.String(), Result: "object"}); err != nil {
			return err
		}
		ver = r.Version
	}
	if d.extend {
		if _, ok := next(15); !ok {
			return nil
		}
		if r, err = s.Extend(head, r.ID, ExtendInput{Version: ver, Date: day.String(), Days: 15, ApprovedBy: "政府信息公开工作机构负责人",
			Reason: "申请公开的信息涉及多个年度的档案，需要检索整理"}); err != nil {
			return err
		}
		ver = r.Version
	}
	if d.fee {
		if _, ok := next(2); !ok {
			return nil
		}
		if r, err = s.FeeNotice(clerk, r.ID, FeeInput{Version: ver, Date: day.String(), Method: "pages", Quantity: 86}); err != nil {
			return err
		}
		ver = r.Version
		if _, ok := next(3); !ok {
			return nil
		}
		if r, err = s.FeePaid(clerk, r.ID, DateInput{Version: ver, Date: day.String()}); err != nil {
			return err
		}
		ver = r.Version
	}
	typ, reason, text := ReplyDisclose, "", "现将该信息提供给您，请查收附件。"
	switch d.scenario {
	case 4:
		typ, text = ReplyAlreadyPublic, fmt.Sprintf("该信息已在清河市示范区人民政府门户网站“%s—法定主动公开内容”栏目公开。", d.unit.name)
	case 5:
		typ, text = ReplyPartial, "所申请信息中涉及第三方商业秘密及个人信息的内容不予公开，已作遮盖处理"
	case 6:
		if i%20 == 6 {
			typ, reason, text = ReplyNotExist, "not_held", "经检索本机关档案及业务系统，未找到该信息。"
		} else {
			typ, text = ReplyNotOurs, "该信息由清河市规划和自然资源局负责公开，联系电话 0510-88886666。"
		}
	case 7:
		switch i % 30 {
		case 7:
			typ, reason, text = ReplyWithhold, "process", "该信息属于研究讨论中的过程性信息，依照条例第十六条第二款可以不予公开。"
		case 17:
			typ, reason, text = ReplyNotProcessed, "petition", "您反映的问题属于投诉举报事项，已告知通过 12345 热线或信访渠道提出。"
		default:
			typ, text = ReplyDuplicate, "本机关已于此前就相同内容作出答复。"
		}
	}
	if releases(typ) {
		owner, name := OwnerRelease, "提供的政府信息.pdf"
		if typ == ReplyPartial {
			owner, name = OwnerRedacted, "区分处理后的文本.pdf"
		}
		if _, ok := next(2); !ok {
			return nil
		}
		if r, err = s.Secrecy(head, r.ID, SecrecyInput{Version: ver, Date: day.String(), Reviewer: d.unit.name + "保密工作负责人", Result: SecrecyCleared}); err != nil {
			return err
		}
		ver = r.Version
		if up != nil {
			doc := fmt.Sprintf("%%PDF-1.7\n%s %s\n%%%%EOF\n", r.Code, d.content)
			if _, err := up.Upload(clerk, files.UploadInput{OwnerType: owner, OwnerID: r.ID, Name: name}, bytes.NewReader([]byte(doc))); err != nil {
				return err
			}
		}
	}
	due, _ := calendar.ParseDate(r.ReplyDue)
	if _, ok := next(max(1, d.replyAfter%8)); !ok || day.After(due) {
		return nil
	}
	_, err = s.Reply(clerk, r.ID, ReplyInput{Version: ver, Date: day.String(), ReplyType: typ, Reason: reason, Text: text})
	return err
}
