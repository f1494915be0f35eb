//go:build embedweb

// Package web serves the built front end. With the embedweb tag (set by the
// Makefile after `npm run build`) the real app in dist/ is embedded.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// FS returns the built app.
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}

// Built reports whether the real app is embedded.
const Built = true
