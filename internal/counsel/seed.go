package counsel

import (
	"context"
	"fmt"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
)

// DemoPeople is what the demo needs from org: actors by username and units
// by code.
type DemoPeople interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	UnitID(ctx context.Context, code string) (int64, error)
}

// demoTownVillages is how many villages each demo town has (org.DemoTowns).
var demoTownVillages = []int{4, 4, 3, 4, 3, 3, 5, 4, 4, 5, 4, 4}

// Demo gaps: the units left without an adviser, so coverage has something
// to list — two departments and three villages.
var demoGapDepartments = map[int]bool{26: true, 29: true} // 区科技局, 区档案馆
var demoGapVillages = map[string]bool{"QH203003": true, "QH208004": true, "QH212004": true}

// SeedDemo loads the demo pool through the service under a simulated clock:
// four district advisers (the two counsel accounts of the legality-review
// demo among them, so their reviews are linked) serving the government and
// its departments, a town adviser per town and a village adviser per town
// serving its villages — contracts for 2025 and 2026, the 2025 evaluation,
// and this year's work records on their days; a few units are left
// uncovered.
func (s *Service) SeedDemo(ctx context.Context, people DemoPeople) error {
	ctx, sim := clock.Simulate(ctx)
	admin, err := people.Actor(ctx, "sifaju")
	if err != nil {
		return err
	}
	actx := auth.With(ctx, admin)
	sfj, err := people.UnitID(ctx, "QH101000")
	if err != nil {
		return err
	}
	unit := func(code string) int64 {
		id, err := people.UnitID(ctx, code)
		if err != nil {
			return 0
		}
		return id
	}
	sim.At(calendar.NewDate(2025, 1, 2), 9)
	type demoAdv struct {
		name, level, kind, firm, user string
		unitOf                        int64
		serves                        []int64
	}
	var advs []demoAdv
	district := []int64{unit("QH000000")}
	for i := 1; i <= 30; i++ {
		if !demoGapDepartments[i] {
			district = append(district, unit(fmt.Sprintf("QH1%02d000", i)))
		}
	}
	q := len(district) / 4
	advs = append(advs,
		demoAdv{"赵明律", "district", "lawyer", "清河明律律师事务所", "counsel_zhao", sfj, district[:q]},
		demoAdv{"钱法顾", "district", "public", "区司法局公职律师", "counsel_qian", sfj, district[q : 2*q]},
		demoAdv{"孙正平", "district", "lawyer", "清河正平律师事务所", "", sfj, district[2*q : 3*q]},
		demoAdv{"李德衡", "district", "scholar", "清河学院法学院", "", sfj, district[3*q:]})
	for i, n := range demoTownVillages {
		town := unit(fmt.Sprintf("QH2%02d000", i+1))
		advs = append(advs, demoAdv{demoPerson(i) + "（镇街）", "town", "lawyer", "清河众信律师事务所", "", town, []int64{town}})
		var villages []int64
		for v := 1; v <= n; v++ {
			code := fmt.Sprintf("QH2%02d%03d", i+1, v)
			if !demoGapVillages[code] {
				villages = append(villages, unit(code))
			}
		}
		advs = append(advs, demoAdv{demoPerson(i+20) + "（村居）", "village", "worker", "清河基层法律服务所", "", town, villages})
	}
	kinds := []string{"opinion", "consultation", "contract", "meeting", "opinion", "case"}
	titles := map[string]string{"opinion": "关于%s合同纠纷处理的法律意见书", "consultation": "%s群众来访法律咨询", "contract": "%s采购合同合法性审查",
		"meeting": "列席%s主任办公会议", "case": "代理%s行政诉讼案件"}
	w := 0
	for i, d := range advs {
		var userID int64
		if d.user != "" {
			if a, err := people.Actor(ctx, d.user); err == nil {
				userID = a.UserID
			}
		}
		license := ""
		if d.kind == "lawyer" || d.kind == "public" {
			license = fmt.Sprintf("1310120%010d", 1000+i*37)
		}
		sim.At(calendar.NewDate(2025, 1, 2), 9)
		det, err := s.CreateAdviser(actx, AdviserInput{UnitID: d.unitOf, Name: d.name, Level: d.level, Kind: d.kind, Firm: d.firm, LicenseNo: license,
			Qualification: "从事法律工作十年以上，熟悉行政法、民商法", Phone: fmt.Sprintf("138%08d", 31000000+i*7717), UserID: userID})
		if err != nil {
			return fmt.Errorf("demo adviser %s: %w", d.name, err)
		}
		fee := map[string]int64{"district": 60000, "town": 30000, "village": 12000}[d.level]
		for _, u := range d.serves {
			if u == 0 {
				continue
			}
			for _, y := range []int{2025, 2026} {
				sim.At(calendar.NewDate(y, 1, 2), 10)
				if _, err := s.AddContract(actx, det.ID, ContractInput{UnitID: u, StartsOn: fmt.Sprintf("%d-01-01", y), EndsOn: fmt.Sprintf("%d-12-31", y),
					Fee: fee, FeeBasis: "按年度"}); err != nil {
					return fmt.Errorf("demo contract %s: %w", d.name, err)
				}
			}
		}
		sim.At(calendar.NewDate(2025, 12, 22), 15)
		grade, score := "称职", 85
		if i%5 == 0 {
			grade, score = "优秀", 93
		}
		if _, err := s.Evaluate(actx, det.ID, EvaluationInput{Year: 2025, SelectionOK: true, ManagementOK: true, DutiesOK: true, PayOK: i%7 != 3,
			Score: score, Grade: grade, EvaluatedOn: "2025-12-22", Note: "按“五统一”要求考核"}); err != nil {
			return fmt.Errorf("demo evaluation %s: %w", d.name, err)
		}
		// This year's work: a few records per adviser, spread over the year.
		for k := 0; k < 3 && len(d.serves) > 0; k++ {
			w++
			u := d.serves[(k*5+i)%len(d.serves)]
			day := calendar.NewDate(2026, 1, 10).AddDays((w * 37) % 320)
			sim.At(day, 16)
			kind := kinds[w%len(kinds)]
			if _, err := s.AddWork(actx, det.ID, WorkInput{UnitID: u, Kind: kind, Day: day.String(), Title: fmt.Sprintf(titles[kind], "本单位"),
				Note: "已归档"}); err != nil {
				return fmt.Errorf("demo work %s: %w", d.name, err)
			}
		}
	}
	return nil
}

var demoSurnames = []rune("周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜")
var demoGiven = []string{"立诚", "守正", "明德", "思远", "怀瑾", "致和", "景行", "修齐"}

func demoPerson(i int) string {
	return string(demoSurnames[i%len(demoSurnames)]) + demoGiven[(i*3)%len(demoGiven)]
}
