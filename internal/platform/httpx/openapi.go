package httpx

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// OpenAPIJSON renders the API's OpenAPI 3.1 document for clients. Request
// fields are optional by default (services validate presence with labelled
// Chinese messages), but responses always carry their non-omitempty fields;
// marking those required in response schemas, and their lists non-nullable
// (EmptyLists sends a nil slice as []), gives the front end exact
// TypeScript types. The change is made on a JSON copy so that huma's
// request validation is untouched.
func OpenAPIJSON(api huma.API) ([]byte, error) {
	oapi := api.OpenAPI()
	raw, err := json.Marshal(oapi)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	schemas, _ := dig(doc, "components", "schemas").(map[string]any)
	if schemas == nil {
		return json.MarshalIndent(doc, "", "  ")
	}
	// Collect every schema reachable from a response body.
	// Lists in responses are never null (EmptyLists): a response array's
	// type ["array", "null"] becomes "array".
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if ty, ok := t["type"].([]any); ok && len(ty) == 2 && ty[0] == "array" && ty[1] == "null" {
				t["type"] = "array"
			}
			if ref, ok := t["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				if !seen[name] {
					seen[name] = true
					walk(schemas[name])
				}
			}
			for _, c := range t {
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, op := range ops {
			if o, ok := op.(map[string]any); ok {
				walk(o["responses"])
			}
		}
	}
	reg := oapi.Components.Schemas
	for name := range seen {
		s, _ := schemas[name].(map[string]any)
		props, _ := s["properties"].(map[string]any)
		if s == nil || props == nil {
			continue
		}
		t := reg.TypeFromRef("#/components/schemas/" + name)
		if t == nil {
			continue
		}
		req := map[string]bool{}
		if old, ok := s["required"].([]any); ok {
			for _, r := range old {
				req[r.(string)] = true
			}
		}
		for _, f := range requiredFields(t) {
			if _, ok := props[f]; ok {
				req[f] = true
			}
		}
		list := make([]string, 0, len(req))
		for f := range req {
			list = append(list, f)
		}
		sort.Strings(list)
		if len(list) > 0 {
			s["required"] = list
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// requiredFields lists the JSON names of t's fields that are always present
// in a response: not omitempty, not omitzero, not hidden.
func requiredFields(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			out = append(out, requiredFields(f.Type)...)
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		parts := strings.Split(tag, ",")
		name := parts[0]
		if name == "" {
			name = f.Name
		}
		optional := false
		for _, p := range parts[1:] {
			if p == "omitempty" || p == "omitzero" {
				optional = true
			}
		}
		if !optional {
			out = append(out, name)
		}
	}
	return out
}

func dig(m map[string]any, keys ...string) any {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}
