package app

import (
	"context"
	"fmt"
	"testing"

	"fazhi/internal/mediation"
	"fazhi/internal/platform/auth"
)

// medRecords are the mediation records of one authorization fixture: a
// committee with a mediator in the in-scope and the out-of-scope unit.
type medRecords struct {
	committee map[bool]*mediation.Committee
	mediator  map[bool]*mediation.Mediator
}

var medFixtures = map[*authzFixture]*medRecords{}

func medSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz mediation"))
}

func medRecs(t *testing.T, fx *authzFixture) *medRecords {
	t.Helper()
	if r := medFixtures[fx]; r != nil {
		return r
	}
	svc := fx.App.Mediation()
	recs := &medRecords{committee: map[bool]*mediation.Committee{}, mediator: map[bool]*mediation.Mediator{}}
	for _, in := range []bool{true, false} {
		c, err := svc.CreateCommittee(medSys(), mediation.CommitteeInput{UnitID: fx.Unit(in).ID, Name: "授权测试" + ndWhere(in) + "调解委员会", Kind: "industry"})
		if err != nil {
			t.Fatal(err)
		}
		m, err := svc.AddMediator(medSys(), c.ID, mediation.MediatorInput{Name: "授权测试" + ndWhere(in) + "调解员"})
		if err != nil {
			t.Fatal(err)
		}
		recs.committee[in], recs.mediator[in] = c, m
	}
	medFixtures[fx] = recs
	return recs
}

// medCase registers a case of the in/out committee and takes it to state:
// "accepted", "mediating", "agreed" (written, 2026-01-10), "applied",
// "failed".
func medCase(t *testing.T, fx *authzFixture, in bool, state string) *mediation.Detail {
	t.Helper()
	svc, sys := fx.App.Mediation(), medSys()
	c := medRecs(t, fx).committee[in]
	d, err := svc.Create(sys, mediation.CaseInput{CommitteeID: c.ID, DisputeType: "neighbour", Source: "application", ReceivedOn: "2026-01-05",
		Parties: fmt.Sprintf("授权测试%s当事人%d", ndWhere(in), fx.Next()), Summary: "授权测试"})
	if err != nil {
		t.Fatal(err)
	}
	step := func(dd *mediation.Detail, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		d = dd
	}
	if state == "accepted" {
		return d
	}
	step(svc.Session(sys, d.ID, mediation.SessionInput{Version: d.Version, Day: "2026-01-06", Note: "调解"}))
	switch state {
	case "failed":
		step(svc.Fail(sys, d.ID, mediation.FailInput{Version: d.Version, Day: "2026-01-10", Reason: "分歧大"}))
	case "agreed", "applied":
		step(svc.Agree(sys, d.ID, mediation.AgreementInput{Version: d.Version, Day: "2026-01-10", Form: mediation.FormWritten, Terms: "协议"}))
		if state == "applied" {
			step(svc.ApplyConfirm(sys, d.ID, mediation.ConfirmApplyInput{Version: d.Version, Day: "2026-01-12", Court: "清河区人民法院"}))
		}
	}
	return d
}

func init() {
	read, write := mediation.PermRead, mediation.PermWrite
	stepReq := func(state, path string, body map[string]any) func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := medCase(t, fx, in, state)
			body["version"] = d.Version
			return authzReq{Path: fmt.Sprintf("/api/mediation/cases/%d/%s", d.ID, path), Body: body}
		}
	}
	routes := map[string]authzRoute{
		"GET /api/mediation/meta": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/mediation/meta"}
		}},
		"GET /api/mediation/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/mediation/figures?from=2026-01-01&to=2026-12-31"}
		}},
		"GET /api/mediation/committees": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			medRecs(t, fx)
			return authzReq{Path: "/api/mediation/committees", Marker: "授权测试" + ndWhere(in) + "调解委员会"}
		}},
		"POST /api/mediation/committees": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/mediation/committees", Body: map[string]any{"unit_id": fx.Unit(in).ID,
				"name": fmt.Sprintf("授权测试新调解委员会%d", fx.Next()), "kind": "industry"}}
		}},
		"PUT /api/mediation/committees/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := medRecs(t, fx).committee[in]
			return authzReq{Path: fmt.Sprintf("/api/mediation/committees/%d", c.ID), Body: map[string]any{"name": c.Name, "kind": c.Kind,
				"note": "授权测试修改", "version": fx.Version(t, "mediation_committees", c.ID)}}
		}},
		"GET /api/mediation/committees/{id}/mediators": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/mediation/committees/%d/mediators", medRecs(t, fx).committee[in].ID)}
		}},
		"POST /api/mediation/committees/{id}/mediators": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/mediation/committees/%d/mediators", medRecs(t, fx).committee[in].ID),
				Body: map[string]any{"name": fmt.Sprintf("调解员%d", fx.Next()), "duty": "委员"}}
		}},
		"PUT /api/mediation/mediators/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			m := medRecs(t, fx).mediator[in]
			return authzReq{Path: fmt.Sprintf("/api/mediation/mediators/%d", m.ID), Body: map[string]any{"name": m.Name, "duty": "主任",
				"version": fx.Version(t, "mediation_mediators", m.ID)}}
		}},
		"GET /api/mediation/cases": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := medCase(t, fx, in, "accepted")
			return authzReq{Path: "/api/mediation/cases?q=" + d.Code + "&page_size=50", Marker: d.Code}
		}},
		"GET /api/mediation/cases/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := medCase(t, fx, in, "accepted")
			return authzReq{Path: "/api/mediation/cases/export.xlsx?q=" + d.Code, Marker: d.Code, Xlsx: true}
		}},
		"GET /api/mediation/cases/template.xlsx": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/mediation/cases/template.xlsx"}
		}},
		// The template's example row names a committee that does not
		// exist: the check reports it and writes nothing.
		"POST /api/mediation/cases/import": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			tpl, err := mediation.Template()
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: "/api/mediation/cases/import", Raw: tpl, ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}},
		"POST /api/mediation/cases": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/mediation/cases", Body: map[string]any{"committee_id": medRecs(t, fx).committee[in].ID, "dispute_type": "contract",
				"source": "application", "received_on": "2026-02-01", "parties": fmt.Sprintf("甲%d、乙", fx.Next())}}
		}},
		"GET /api/mediation/cases/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/mediation/cases/%d", medCase(t, fx, in, "accepted").ID)}
		}},
		"PUT /api/mediation/cases/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := medCase(t, fx, in, "accepted")
			return authzReq{Path: fmt.Sprintf("/api/mediation/cases/%d", d.ID), Body: map[string]any{"dispute_type": "contract", "source": "application",
				"received_on": "2026-01-05", "parties": d.Parties, "version": d.Version}}
		}},
		"POST /api/mediation/cases/{id}/session": {Perm: write, Scoped: true, OK: 200,
			Req: stepReq("accepted", "session", map[string]any{"day": "2026-01-06", "note": "调解"})},
		"POST /api/mediation/cases/{id}/agreement": {Perm: write, Scoped: true, OK: 200,
			Req: stepReq("mediating", "agreement", map[string]any{"day": "2026-01-08", "form": "oral", "terms": "和解"})},
		"POST /api/mediation/cases/{id}/fail": {Perm: write, Scoped: true, OK: 200,
			Req: stepReq("mediating", "fail", map[string]any{"day": "2026-01-08", "reason": "分歧大"})},
		"POST /api/mediation/cases/{id}/confirm-apply": {Perm: write, Scoped: true, OK: 200,
			Req: stepReq("agreed", "confirm-apply", map[string]any{"day": "2026-01-15", "court": "清河区人民法院"})},
		"POST /api/mediation/cases/{id}/confirm-result": {Perm: write, Scoped: true, OK: 200,
			Req: stepReq("applied", "confirm-result", map[string]any{"day": "2026-01-20", "result": "confirmed"})},
		"POST /api/mediation/cases/{id}/followup": {Perm: write, Scoped: true, OK: 200,
			Req: stepReq("agreed", "followup", map[string]any{"day": "2026-01-20", "note": "回访", "fulfilment": "fulfilled"})},
		"POST /api/mediation/cases/{id}/litigation": {Perm: write, Scoped: true, OK: 200,
			Req: stepReq("failed", "litigation", map[string]any{"day": "2026-01-12"})},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
