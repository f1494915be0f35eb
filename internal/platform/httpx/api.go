package httpx

import (
	"net/http"
	"reflect"
	"strings"
	"unicode"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// NewAPI declares the JSON API on mux. The OpenAPI 3.1 document is served at
// /api/openapi.json; the front end's types are generated from it.
func NewAPI(mux *http.ServeMux, version string) huma.API {
	cfg := huma.DefaultConfig("法治政府建设管理平台 API", version)
	// The document is served by the app from OpenAPIJSON (response fields
	// marked required); huma's own route and its CDN-based docs page (which
	// the CSP would block) are off.
	cfg.OpenAPIPath = ""
	cfg.DocsPath = ""
	cfg.SchemasPath = "/api/schemas"
	// No $schema links in bodies: they leak into clients and exports.
	cfg.CreateHooks = nil
	// Services validate presence with labelled Chinese messages; the schema
	// only checks types, so optional is the default.
	cfg.FieldsOptionalByDefault = true
	// A nil slice in a response is sent as [] (EmptyLists), never null.
	cfg.Transformers = append(cfg.Transformers, EmptyLists)
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaName)
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"session": {Type: "apiKey", In: "cookie", Name: "fazhi_session"},
	}
	return humago.New(mux, cfg)
}

// schemaName prefixes type names with their package so that two modules may
// both have a ListInput without colliding in the OpenAPI document.
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	pkg := t.PkgPath()
	if pkg == "" {
		return name
	}
	// db.Paged[T], the one list shape, is named after its item: PagedFinding,
	// PagedNormdocDocument.
	if strings.HasSuffix(pkg, "/platform/db") && strings.HasPrefix(t.Name(), "Paged[") && t.Kind() == reflect.Struct {
		return "Paged" + schemaName(t.Field(0).Type.Elem(), "")
	}
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	if pkg == "httpx" || pkg == "apperr" || pkg == "main" {
		return name
	}
	r := []rune(pkg)
	r[0] = unicode.ToUpper(r[0])
	p := string(r)
	if strings.HasPrefix(name, p) {
		return name
	}
	return p + name
}
