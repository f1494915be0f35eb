package httpx

import (
	"reflect"

	"github.com/danielgtaylor/huma/v2"
)

// EmptyLists is the response transformer (NewAPI registers it) that sends
// every nil slice of a response body as [] rather than null: in a response
// a nil slice means "no items", so the front end reads lists without null
// guards and OpenAPIJSON declares response lists non-nullable. Byte slices
// (json.RawMessage, []byte) are left as they are.
func EmptyLists(_ huma.Context, _ string, v any) (any, error) {
	if v == nil {
		return v, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		fillLists(rv, 0)
		return v, nil
	}
	c := reflect.New(rv.Type()).Elem()
	c.Set(rv)
	if !fillLists(c, 0) {
		return v, nil
	}
	return c.Interface(), nil
}

// fillLists replaces the nil slices reachable from v (addressable, or a
// pointer) by empty ones and reports whether it changed anything.
func fillLists(v reflect.Value, depth int) bool {
	if depth > 32 {
		return false
	}
	changed := false
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			changed = fillLists(v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() && fillLists(f, depth+1) {
				changed = true
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return false
		}
		if v.IsNil() {
			if v.CanSet() {
				v.Set(reflect.MakeSlice(v.Type(), 0, 0))
				return true
			}
			return false
		}
		for i := 0; i < v.Len(); i++ {
			if fillLists(v.Index(i), depth+1) {
				changed = true
			}
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if fillLists(v.Index(i), depth+1) {
				changed = true
			}
		}
	case reflect.Interface:
		if v.IsNil() || !v.CanSet() {
			return false
		}
		c := reflect.New(v.Elem().Type()).Elem()
		c.Set(v.Elem())
		if fillLists(c, depth+1) {
			v.Set(c)
			changed = true
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			c := reflect.New(iter.Value().Type()).Elem()
			c.Set(iter.Value())
			if fillLists(c, depth+1) {
				v.SetMapIndex(iter.Key(), c)
				changed = true
			}
		}
	}
	return changed
}
