package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"fazhi/internal/platform/draw"
)

func init() {
	register(command{"draw", "随机抽取：draw verify 用公开文件离线复核一次抽取", cmdDraw})
}

const drawUsage = `用法：fazhi draw verify <目录> | <快照.json> <承诺.json> <种子.json> <结果.json>
  目录中应有 snapshot.json、commitment.json、reveal.json、result.json（公开页面可下载）；
  也可逐个给出这四个文件（按文件内的 kind 识别，顺序不限）。
  复核内容：快照的 SHA-256 与抽取前公布的一致，快照为规范格式（名录按标识排序），
  种子的 SHA-256 与承诺值一致，按 docs/draw.md 的算法重新抽取得到与公布结果相同的对象和检查人员。
  一致时打印 OK 并返回 0；不一致时逐条列出并返回 1。`

func cmdDraw(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, drawUsage)
		return 2
	}
	paths := args[1:]
	if len(paths) == 1 && (paths[0] == "-h" || paths[0] == "--help") {
		fmt.Fprintln(stdout, drawUsage)
		return 0
	}
	files, err := readDrawFiles(paths)
	if err != nil {
		fmt.Fprintln(stderr, drawUsage)
		return fail(stderr, "%v", err)
	}
	p, err := draw.Classify(files)
	if err != nil {
		return fail(stderr, "%v", err)
	}
	if bad := draw.Verify(p); len(bad) > 0 {
		fmt.Fprintf(stdout, "不一致：计划 %s 的抽取无法由公开文件复现\n", p.Commitment.Ref)
		for _, b := range bad {
			fmt.Fprintln(stdout, "  - "+b)
		}
		return 1
	}
	fmt.Fprintf(stdout, "OK：计划 %s 的抽取可由公开文件复现（快照 SHA-256 %s，%d 项抽取结果一致）\n",
		p.Commitment.Ref, p.Commitment.SnapshotSHA256, len(p.Result.Picks))
	return 0
}

// readDrawFiles reads one directory's four files or the files named.
func readDrawFiles(paths []string) (map[string][]byte, error) {
	if len(paths) == 1 {
		if st, err := os.Stat(paths[0]); err == nil && st.IsDir() {
			dir := paths[0]
			paths = nil
			for _, n := range []string{"snapshot.json", "commitment.json", "reveal.json", "result.json"} {
				paths = append(paths, filepath.Join(dir, n))
			}
		}
	}
	if len(paths) != 4 {
		return nil, fmt.Errorf("应给出一个目录或四个文件，收到 %d 个", len(paths))
	}
	files := map[string][]byte{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("无法读取 %s：%v", p, err)
		}
		if st.Size() > 256<<20 {
			return nil, fmt.Errorf("%s 超过 256 MB", p)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("无法读取 %s：%v", p, err)
		}
		files[p] = b
	}
	return files, nil
}
