package casereview

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/docx"
)

// Report renders a drawn plan's review report (案卷评查情况报告) in 公文
// layout: the plan and its draw (snapshot hash, commitment, seed), the
// files and their grades, the unit ranking and the problems found.
func (s *Service) Report(ctx context.Context, planID int64) ([]byte, string, error) {
	p, err := s.GetPlan(ctx, planID)
	if err != nil {
		return nil, "", err
	}
	if p.Status != StatusDrawn {
		return nil, "", apperr.New(apperr.Precondition, "计划尚未抽取案卷，还没有评查报告")
	}
	rs, err := s.Rankings(ctx, planID)
	if err != nil {
		return nil, "", err
	}
	files, err := db.All(ctx, s.db, scanFileValue, "SELECT "+fileCols+" FROM "+fileFrom+" WHERE f.plan_id = ? ORDER BY f.plan_id, f.seq", planID)
	if err != nil {
		return nil, "", err
	}
	type probRow struct {
		code, unit string
		p          Problem
	}
	var probs []probRow
	for _, f := range files {
		ps, err := s.st.problems(ctx, s.db, f.ID)
		if err != nil {
			return nil, "", err
		}
		for _, pr := range ps {
			probs = append(probs, probRow{f.CaseCode, f.UnitName, pr})
		}
	}
	d, err := docx.New()
	if err != nil {
		return nil, "", err
	}
	d.Title(fmt.Sprintf("%d年度行政执法案卷评查情况报告", p.Year))
	d.Blank()
	scored, exc, pass, fail := 0, 0, 0, 0
	for _, r := range rs {
		scored += r.Scored
		exc += r.Excellent
		pass += r.Pass
		fail += r.Fail
	}
	d.Para(fmt.Sprintf("按照《%s》（计划编号 %s），%s组织对%s共 %d 个单位 %d 年度办结的行政执法案件开展案卷评查。评查标准为《%s》，每个单位随机抽取案卷不超过 %d 卷，采取交叉评查方式，评查人员回避本单位案卷。",
		p.Title, p.Code, p.UnitName, strings.Join(p.UnitNames, "、"), len(p.UnitNames), p.Year, p.RubricName, p.PerUnit))
	d.Heading(1, "抽取情况")
	d.Para(fmt.Sprintf("抽取前公布了案卷名录快照的 SHA-256（%s）和种子承诺值（%s）；抽取时公开种子（%s），按公开算法共抽中案卷 %d 卷。任何人可用公布的文件通过“fazhi draw verify”复核抽取结果。",
		p.SnapshotSHA256, p.SeedSHA256, p.Seed, p.Files))
	d.Heading(1, "评查结果")
	d.Para(fmt.Sprintf("已评查 %d 卷，其中优秀 %d 卷、合格 %d 卷、不合格 %d 卷，共发现问题 %d 个。", scored, exc, pass, fail, len(probs)))
	d.Heading(1, "单位排名")
	for _, r := range rs {
		avg := "未评查"
		if r.Scored > 0 {
			avg = fmt.Sprintf("平均 %.1f 分", r.Average)
		}
		d.Para(fmt.Sprintf("第%d名 %s：抽取 %d 卷，已评查 %d 卷，%s，优秀 %d 卷、合格 %d 卷、不合格 %d 卷，发现问题 %d 个。",
			r.Rank, r.UnitName, r.Files, r.Scored, avg, r.Excellent, r.Pass, r.Fail, r.Problems))
	}
	d.Heading(1, "发现的主要问题")
	if len(probs) == 0 {
		d.Para("本次评查未发现问题。")
	}
	for _, pr := range probs {
		kind := "扣 " + fmt.Sprint(pr.p.Points) + " 分"
		if pr.p.Kind == "veto" {
			kind = "否决项"
		}
		d.Heading(2, fmt.Sprintf("%s（%s）", pr.p.ItemText, pr.unit))
		d.Para(fmt.Sprintf("案卷 %s，%s：%s", pr.code, kind, pr.p.Reason))
	}
	d.Heading(1, "整改要求")
	d.Para("评查发现的问题已全部录入问题台账，请各被评查单位按台账载明的整改期限完成整改，并提交整改材料申请销号。")
	d.Signature(p.UnitName, s.clock(ctx).In(calendar.Shanghai))
	b, err := d.Bytes()
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("案卷评查报告-%s.docx", p.Code), nil
}
