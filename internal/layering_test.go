// Package internal holds the layering check: which of fazhi's packages may
// import which (../shared/DESIGN.md "Modules may call each other's Services
// through small interfaces declared by the caller … never touch another
// module's tables").
package internal

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "fazhi/internal/"

// Layers of the internal packages (directory under internal/, first path
// element; platform/... is one layer). Every package must be listed: a new
// module is classified here when it is added.
var (
	// platform: the shared foundation; imports nothing above it.
	platform = "platform"
	// shared engines business modules build on; they import only platform
	// and each other.
	shared = []string{"metric", "notification", "todo", "exam"}
	// business modules: import platform and shared engines; another
	// business module only through the identifiers allowed below.
	business = []string{"org", "decision", "legalreview", "normdoc", "finding", "dashboard", "mediation", "counsel",
		"disclosure", "reconsideration", "enforcement", "randominspection", "litigation", "report", "indicator", "casereview"}
	// wiring: builds everything, may import anything.
	wiring = []string{"app"}
)

// allowed lists, per importer → imported business module, the exported
// identifiers the importer may use: the types of the small interface it
// declares, never the other module's Service or store.
var allowed = map[string][]string{
	// normdoc.LegalReviewer (service.go) speaks legalreview's request and
	// outcome types; the service behind it is wired in internal/app.
	"normdoc→legalreview": {"OpenInput", "Review", "Outcome", "KindNormdoc",
		"OutcomePending", "OutcomePassed", "OutcomePassedWithChanges", "OutcomeFailed"},
	// org feeds the home page's units-by-type chart.
	"org→dashboard": {"TypeCount"},
}

// orgTables are the org module's tables; other modules read units through
// org's lookups or its view org_unit_refs (migration 00040).
var orgTables = regexp.MustCompile(`(?i)\b(from|join|into|update)\s+(org_units|users|roles|role_perms|user_roles|password_history)\b`)

func layerOf(pkg string) string {
	top, _, _ := strings.Cut(pkg, "/")
	switch {
	case top == platform:
		return "platform"
	case slices.Contains(shared, top):
		return "shared"
	case slices.Contains(business, top):
		return "business"
	case slices.Contains(wiring, top):
		return "wiring"
	}
	return ""
}

// violations checks every non-test Go file under root (an internal/
// directory) and returns one line per broken rule.
func violations(root string) ([]string, error) {
	var out []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		from := filepath.ToSlash(rel)
		if from == "." {
			return nil
		}
		fromTop, _, _ := strings.Cut(from, "/")
		fromLayer := layerOf(from)
		name := filepath.ToSlash(filepath.Join(from, d.Name()))
		if fromLayer == "" {
			out = append(out, fmt.Sprintf("%s: package internal/%s is in no layer (classify it in internal/layering_test.go)", name, fromTop))
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if fromLayer == "business" && fromTop != "org" {
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if m := orgTables.FindString(lit.Value); m != "" {
						out = append(out, fmt.Sprintf("%s:%d: SQL reads org's table (%s); use org's lookups or the view org_unit_refs", name, fset.Position(lit.Pos()).Line, m))
					}
				}
				return true
			})
		}
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			to, ok := strings.CutPrefix(ip, module)
			if !ok {
				continue
			}
			toTop, _, _ := strings.Cut(to, "/")
			if toTop == fromTop {
				continue
			}
			toLayer := layerOf(to)
			switch {
			case toLayer == "":
				out = append(out, fmt.Sprintf("%s imports %s, which is in no layer", name, ip))
			case fromLayer == "wiring":
			case toLayer == "wiring":
				out = append(out, fmt.Sprintf("%s imports the wiring package %s", name, ip))
			case fromLayer == "platform" && toLayer != "platform":
				out = append(out, fmt.Sprintf("%s: platform imports %s module %s", name, toLayer, ip))
			case fromLayer == "shared" && toLayer == "business":
				out = append(out, fmt.Sprintf("%s: shared engine imports business module %s", name, ip))
			case fromLayer == "business" && toLayer == "business":
				out = append(out, identsOutside(name, f, imp, fromTop+"→"+toTop)...)
			}
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// identsOutside reports the uses of the imported business module beyond the
// identifiers allowed for the edge (an edge with none allowed is reported
// once, for the import itself).
func identsOutside(name string, f *ast.File, imp *ast.ImportSpec, edge string) []string {
	ok, listed := allowed[edge]
	if !listed {
		return []string{fmt.Sprintf("%s: business module imports another (%s); call it through a small interface declared here and wired in internal/app", name, edge)}
	}
	ip, _ := strconv.Unquote(imp.Path.Value)
	local := ip[strings.LastIndex(ip, "/")+1:]
	if imp.Name != nil {
		local = imp.Name.Name
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, isSel := n.(*ast.SelectorExpr)
		if !isSel {
			return true
		}
		if x, isIdent := sel.X.(*ast.Ident); isIdent && x.Name == local && !slices.Contains(ok, sel.Sel.Name) {
			out = append(out, fmt.Sprintf("%s: %s uses %s.%s, not among the identifiers allowed for it", name, edge, local, sel.Sel.Name))
		}
		return true
	})
	return out
}

func TestLayering(t *testing.T) {
	v, err := violations(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range v {
		t.Error(l)
	}
}

// The check fails on planted violations of each rule.
func TestLayeringCatchesPlantedViolations(t *testing.T) {
	root := t.TempDir()
	write := func(path, src string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("platform/db/db.go", "package db\nimport _ \"fazhi/internal/org\"\n")
	write("metric/metric.go", "package metric\nimport _ \"fazhi/internal/decision\"\n")
	write("decision/service.go", "package decision\nimport \"fazhi/internal/legalreview\"\nvar _ *legalreview.Service\n")
	write("normdoc/service.go", "package normdoc\nimport lr \"fazhi/internal/legalreview\"\nvar _ lr.OpenInput\nvar _ *lr.Service\n")
	write("normdoc/service_test.go", "package normdoc\nimport \"fazhi/internal/finding\"\nvar _ finding.Service\n")
	write("org/figures.go", "package org\nimport \"fazhi/internal/dashboard\"\nvar _ dashboard.TypeCount\nconst q = \"SELECT id FROM org_units\"\n")
	write("finding/store.go", "package finding\nconst q = `SELECT f.id FROM findings f LEFT JOIN org_units u ON u.id = f.unit_id`\nconst ok = \"SELECT id FROM org_unit_refs\"\n")
	write("newmodule/service.go", "package newmodule\n")
	write("app/app.go", "package app\nimport (\n_ \"fazhi/internal/org\"\n_ \"fazhi/internal/platform/db\"\n)\n")
	v, err := violations(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"decision/service.go: business module imports another (decision→legalreview)",
		"finding/store.go:2: SQL reads org's table (JOIN org_units)",
		"metric/metric.go: shared engine imports business module fazhi/internal/decision",
		"newmodule/service.go: package internal/newmodule is in no layer",
		"normdoc/service.go: normdoc→legalreview uses lr.Service",
		"platform/db/db.go: platform imports business module fazhi/internal/org",
	}
	if len(v) != len(want) {
		t.Fatalf("got %d violations, want %d:\n%s", len(v), len(want), strings.Join(v, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(v[i], w) {
			t.Errorf("violation %d = %q, want it to start with %q", i, v[i], w)
		}
	}
}
