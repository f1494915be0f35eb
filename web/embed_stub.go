//go:build !embedweb

// Package web serves the built front end. Without the embedweb tag (a plain
// `go build` on a machine without Node) a one-page stub explains how to get
// the real app, so the Go build and tests never need the front end.
package web

import (
	"io/fs"
	"testing/fstest"
)

const stubPage = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>法治政府建设管理平台</title></head>
<body><h1>法治政府建设管理平台</h1><p>此程序未包含前端页面。请使用 <code>make build</code> 或 <code>make run</code> 构建完整版本；API 位于 <a href="/api/openapi.json">/api/openapi.json</a>。</p></body></html>`

// FS returns the stub app.
func FS() fs.FS {
	return fstest.MapFS{"index.html": &fstest.MapFile{Data: []byte(stubPage)}}
}

// Built reports whether the real app is embedded.
const Built = false
