package randominspection

import (
	"context"
	"encoding/json"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/draw"
	"fazhi/internal/platform/option"
)

// PublicPick is one drawn entity as the public sees it (names from the
// published snapshot: a person's is masked there).
type PublicPick struct {
	Seq        int      `json:"seq"`
	Risk       string   `json:"risk"`
	Key        string   `json:"key" doc:"对象标识（企业为统一社会信用代码）"`
	Name       string   `json:"name"`
	Inspectors []string `json:"inspectors"`
}

// PublicPlan is a published plan: no personal data, no secret before the draw.
type PublicPlan struct {
	ID             int64        `json:"id"`
	Code           string       `json:"code"`
	Year           int          `json:"year"`
	Title          string       `json:"title"`
	UnitName       string       `json:"unit_name"`
	Joint          bool         `json:"joint"`
	BodyNames      []string     `json:"body_names"`
	MatterNames    []string     `json:"matter_names"`
	Status         string       `json:"status"`
	StatusLabel    string       `json:"status_label"`
	Entities       int          `json:"entities"`
	Inspectors     int          `json:"inspectors"`
	SnapshotSHA256 string       `json:"snapshot_sha256"`
	SeedSHA256     string       `json:"seed_sha256"`
	Seed           string       `json:"seed" doc:"抽取后公开；抽取前为空"`
	CommittedAt    string       `json:"committed_at"`
	DrawnAt        string       `json:"drawn_at"`
	Picks          []PublicPick `json:"picks"`
}

func publicOf(p *Plan) PublicPlan {
	return PublicPlan{ID: p.ID, Code: p.Code, Year: p.Year, Title: p.Title, UnitName: p.UnitName, Joint: p.Joint, BodyNames: p.BodyNames,
		MatterNames: p.MatterNames, Status: p.Status, StatusLabel: p.StatusLabel, Entities: p.Entities, Inspectors: p.Inspectors,
		SnapshotSHA256: p.SnapshotSHA256, SeedSHA256: p.SeedSHA256, Seed: p.Seed, CommittedAt: p.CommittedAt, DrawnAt: p.DrawnAt, Picks: []PublicPick{}}
}

// PublicPlans pages the plans whose commitment was published (no sign-in).
func (s *Service) PublicPlans(ctx context.Context, req db.ListReq) (db.Paged[PublicPlan], error) {
	l := db.ListSQL{Cols: planCols, From: planFrom, CountFrom: "random_plans p", Where: "p.status IN ('committed', 'drawn')",
		Order: []db.Key{{Expr: "p.id", Desc: true}}}
	page, err := db.Fetch(ctx, s.db, l, req, scanPlanValue, func(p Plan) []any { return []any{p.ID} })
	if err != nil {
		return db.Paged[PublicPlan]{}, err
	}
	out := db.Map(page, func(p Plan) PublicPlan { return publicOf(&p) })
	for i := range page.Items {
		if err := s.st.planRefs(ctx, s.db, &page.Items[i]); err != nil {
			return out, err
		}
		out.Items[i].BodyNames, out.Items[i].MatterNames = page.Items[i].BodyNames, page.Items[i].MatterNames
	}
	return out, nil
}

// PublicPlan is one published plan with its result once drawn.
func (s *Service) PublicPlan(ctx context.Context, id int64) (*PublicPlan, error) {
	p, err := s.st.plan(ctx, s.db, id)
	if err != nil || p.Status == StatusDraft {
		if err == nil || apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.NotFound, "抽查计划不存在或尚未公布")
		}
		return nil, err
	}
	out := publicOf(p)
	if p.Status != StatusDrawn {
		return &out, nil
	}
	f, _, err := s.st.publishedFiles(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	var snap draw.Snapshot
	var res draw.Result
	if err := json.Unmarshal([]byte(f.Snapshot), &snap); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(f.Result), &res); err != nil {
		return nil, err
	}
	items := map[string]string{}
	for _, it := range snap.Items {
		items[it.Key] = it.Name
	}
	people := map[string]string{}
	for _, a := range snap.Assignees {
		people[a.Key] = a.Name
	}
	for _, pk := range res.Picks {
		names := make([]string, len(pk.Assignees))
		for i, k := range pk.Assignees {
			names[i] = people[k]
		}
		out.Picks = append(out.Picks, PublicPick{Seq: pk.Seq, Risk: option.Label(Risks, pk.Stratum), Key: pk.Item, Name: items[pk.Item], Inspectors: names})
	}
	return &out, nil
}

// PublicFileNames are the files a published plan offers.
var PublicFileNames = []string{"snapshot.json", "commitment.json", "reveal.json", "result.json"}

// PublicFile is one of a published plan's files, byte for byte as hashed
// (the seed and result only after the draw).
func (s *Service) PublicFile(ctx context.Context, id int64, name string) ([]byte, error) {
	f, status, err := s.st.publishedFiles(ctx, s.db, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && status == StatusDraft) {
		return nil, apperr.New(apperr.NotFound, "抽查计划不存在或尚未公布")
	}
	if err != nil {
		return nil, err
	}
	var body string
	switch strings.TrimSpace(name) {
	case "snapshot.json":
		body = f.Snapshot
	case "commitment.json":
		body = f.Commitment
	case "reveal.json":
		body = f.Reveal
	case "result.json":
		body = f.Result
	default:
		return nil, apperr.Field("name", "文件名应为：%s", strings.Join(PublicFileNames, "、"))
	}
	if body == "" {
		return nil, apperr.New(apperr.NotFound, "尚未抽取，种子和结果在抽取后公开")
	}
	return []byte(body), nil
}
