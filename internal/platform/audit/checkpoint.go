package audit

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fazhi/internal/platform/audit/auditkey"
	"fazhi/internal/platform/db"
)

// Settings is the audit part of Config (flags --audit-*, variables
// FAZHI_AUDIT_*); Normalize fills the file defaults from the data directory.
type Settings struct {
	// KeyFile is the key file (--audit-key-file / FAZHI_AUDIT_KEY_FILE),
	// by default DataDir/audit.key, created on first start (mode 0600).
	KeyFile string
	// Key, when set, holds the keys instead of the file (FAZHI_AUDIT_KEY,
	// environment only so that it never shows in a process listing): hex
	// secrets separated by commas, the last one signs new events.
	Key string
	// Hash is the MAC's hash for new events: sm3 (default) or sha256
	// (--audit-hash / FAZHI_AUDIT_HASH).
	Hash string
	// CheckpointFile is the append-only file of signed chain-head
	// checkpoints (--audit-checkpoint-file / FAZHI_AUDIT_CHECKPOINT_FILE),
	// by default DataDir/audit-checkpoints.log.
	CheckpointFile string
	// CheckpointEvery is how often the server writes a checkpoint when the
	// head moved (--audit-checkpoint-interval), besides start and shutdown.
	CheckpointEvery time.Duration
}

// Default file names inside the data directory.
const (
	KeyFileName        = "audit.key"
	CheckpointFileName = "audit-checkpoints.log"
)

// Normalize fills defaults under dataDir and checks the hash name.
func (s *Settings) Normalize(dataDir string) error {
	if s.KeyFile == "" {
		s.KeyFile = filepath.Join(dataDir, KeyFileName)
	}
	if s.CheckpointFile == "" {
		s.CheckpointFile = filepath.Join(dataDir, CheckpointFileName)
	}
	s.Hash = strings.ToLower(strings.TrimSpace(s.Hash))
	if s.Hash == "" {
		s.Hash = SM3
	}
	if s.Hash != SM3 && s.Hash != SHA256 {
		return fmt.Errorf("--audit-hash（FAZHI_AUDIT_HASH）只能是 sm3 或 sha256，收到 %q", s.Hash)
	}
	if s.CheckpointEvery <= 0 {
		s.CheckpointEvery = 5 * time.Minute
	}
	return nil
}

// LoadKeys reads the key ring (variable or file) without creating one.
func (s Settings) LoadKeys() (*auditkey.Keyring, error) {
	kr, err := auditkey.Load(s.KeyFile, s.Key, s.Hash)
	if errors.Is(err, auditkey.ErrNoKey) {
		return nil, fmt.Errorf("找不到审计密钥：密钥文件 %s 不存在，也未设置 FAZHI_AUDIT_KEY（用 --audit-key-file 或 --data-dir 指定密钥文件所在位置）", s.KeyFile)
	}
	return kr, err
}

// Checkpoint is one signed record of the chain head, kept outside the
// database: a line of the checkpoint file and of the log.
type Checkpoint struct {
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
	At    string `json:"at"`
	KeyID string `json:"key_id"`
	Alg   string `json:"alg"`
	MAC   string `json:"mac"`
	Line  int    `json:"-"` // line number in the file, for reports
}

func (c Checkpoint) payload() []byte {
	var b strings.Builder
	for _, f := range []string{"fazhi audit checkpoint", strconv.FormatInt(c.Seq, 10), c.Hash, c.At, c.KeyID, c.Alg} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte('|')
	}
	return []byte(b.String())
}

func (c Checkpoint) valid(kr *auditkey.Keyring) bool {
	mac, ok := kr.MAC(c.KeyID, c.Alg, c.payload())
	return ok && mac == c.MAC
}

func (c Checkpoint) localAt() string {
	t, err := time.Parse(time.RFC3339Nano, c.At)
	if err != nil {
		return c.At
	}
	return localTime(t)
}

func sign(kr *auditkey.Keyring, seq int64, hash string, at time.Time) Checkpoint {
	c := Checkpoint{Seq: seq, Hash: hash, At: at.UTC().Format(time.RFC3339Nano), KeyID: kr.Current(), Alg: kr.Hash()}
	c.MAC, _ = kr.MAC(c.KeyID, c.Alg, c.payload())
	return c
}

// ReadCheckpoints reads every checkpoint in the file at path (none when it
// does not exist). A line that does not parse comes back unsigned, so that
// Verify reports it as a forged checkpoint.
func ReadCheckpoints(path string) ([]Checkpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("读取审计检查点文件 %s 失败：%v", path, err)
	}
	defer f.Close()
	var out []Checkpoint
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c Checkpoint
		if json.Unmarshal([]byte(line), &c) != nil {
			c = Checkpoint{}
		}
		c.Line = n
		out = append(out, c)
	}
	return out, sc.Err()
}

// lastCheckpoint reads the newest checkpoint from the file's tail.
func lastCheckpoint(path string) (*Checkpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := max(st.Size()-8192, 0)
	b := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(b, off); err != nil && err != io.EOF {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var c Checkpoint
	if json.Unmarshal([]byte(lines[len(lines)-1]), &c) != nil {
		return nil, nil
	}
	return &c, nil
}

// Checkpointer appends signed checkpoints of the chain head to the
// checkpoint file and the log: at start, every CheckpointEvery while the
// server runs (when the head moved) and at shutdown. A database writer who
// deletes the newest events and moves the head back cannot take back a
// checkpoint already written, so Verify finds the deletion.
type Checkpointer struct {
	d     *db.DB
	keys  *auditkey.Keyring
	path  string
	every time.Duration
	mu    sync.Mutex
	last  *Checkpoint
}

func head(ctx context.Context, q db.Querier) (int64, string, error) {
	var seq int64
	var hash string
	err := q.QueryRow(ctx, "SELECT last_seq, hash FROM audit_chain_head WHERE id = 1").Scan(&seq, &hash)
	return seq, hash, err
}

// Write appends a checkpoint of the current head unless the head has not
// moved since the last one.
func (c *Checkpointer) Write(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	seq, hash, err := head(ctx, c.d)
	if err != nil {
		return err
	}
	if c.last != nil && c.last.Seq == seq && c.last.Hash == hash && c.last.KeyID == c.keys.Current() {
		return nil
	}
	cp := sign(c.keys, seq, hash, time.Now())
	line, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(c.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("写入审计检查点文件 %s 失败：%v", c.path, err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("写入审计检查点文件 %s 失败：%v", c.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	c.last = &cp
	slog.Info("审计检查点", "seq", cp.Seq, "hash", cp.Hash, "at", cp.At, "key_id", cp.KeyID, "alg", cp.Alg, "mac", cp.MAC)
	return nil
}

// Run writes a checkpoint every interval until ctx ends, then a last one.
func (c *Checkpointer) Run(ctx context.Context) {
	t := time.NewTicker(c.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			c.Close()
			return
		case <-t.C:
			if err := c.Write(ctx); err != nil {
				slog.Error("审计检查点写入失败", "err", err)
			}
		}
	}
}

// Close writes the shutdown checkpoint.
func (c *Checkpointer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Write(ctx); err != nil {
		slog.Error("审计检查点写入失败", "err", err)
	}
}

// Path is the checkpoint file.
func (c *Checkpointer) Path() string { return c.path }

// Start readies the audit log on d at start-up: it loads the key ring from
// s (or, on first start, generates a key file and warns in the log to back
// it up), gives it to d, records the key's creation or rotation in the log
// itself, compares the chain head with the last checkpoint and writes a
// checkpoint. It refuses to start when the chain is signed but its key is
// missing: a fresh key would leave every earlier event unverifiable.
func Start(ctx context.Context, d *db.DB, s Settings) (*Checkpointer, error) {
	headSeq, headHash, err := head(ctx, d)
	if err != nil {
		return nil, err
	}
	var headKey string
	if headSeq > 0 {
		if err := d.QueryRow(ctx, "SELECT key_id FROM audit_events WHERE seq = ?", headSeq).Scan(&headKey); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	kr, err := auditkey.Load(s.KeyFile, s.Key, s.Hash)
	created := false
	switch {
	case errors.Is(err, auditkey.ErrNoKey) && headKey != "":
		return nil, fmt.Errorf("审计日志已由密钥 %s 签名，但找不到审计密钥（密钥文件 %s 不存在，也未设置 FAZHI_AUDIT_KEY）：请从备份恢复密钥文件，或用 --audit-key-file 指定它的位置后再启动", headKey, s.KeyFile)
	case errors.Is(err, auditkey.ErrNoKey):
		if kr, err = auditkey.Create(s.KeyFile, s.Hash); err != nil {
			if !errors.Is(err, os.ErrExist) {
				return nil, fmt.Errorf("生成审计密钥文件 %s 失败：%v", s.KeyFile, err)
			}
			// Another process created it first.
			if kr, err = s.LoadKeys(); err != nil {
				return nil, err
			}
		} else {
			created = true
			slog.Warn("已生成审计日志签名密钥（首次启动）：请立即把密钥文件备份到数据库以外的安全位置，不要与数据库备份放在一起。"+
				"密钥丢失后审计日志将无法校验；密钥泄露后持有数据库写权限的人可以伪造审计日志。",
				"file", s.KeyFile, "key_id", kr.Current())
		}
	case err != nil:
		return nil, err
	}
	if s.Key == "" && auditkey.Loose(s.KeyFile) {
		slog.Warn("审计密钥文件可被其他用户读取，请执行 chmod 600", "file", s.KeyFile)
	}
	if headKey != "" && !slices.Contains(kr.IDs(), headKey) {
		return nil, fmt.Errorf("审计日志链头（第 %d 条事件）由密钥 %s 签名，但审计密钥中没有这个密钥（现有：%s）：请使用原密钥文件；轮换密钥时须保留旧密钥",
			headSeq, headKey, strings.Join(kr.IDs(), "、"))
	}
	d.SetAuditKeys(kr)
	switch {
	case created:
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			return Record(ctx, tx, Event{Action: "audit.key.create", ObjectType: "audit_key", ObjectID: kr.Current(), ActorName: "system",
				Summary: fmt.Sprintf("生成审计日志签名密钥 %s（%s）；此前的 %d 条事件为未签名的旧事件", kr.Current(), hmacPrefix+kr.Hash(), headSeq)})
		})
	case headKey != "" && headKey != kr.Current():
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			return Record(ctx, tx, Event{Action: "audit.key.rotate", ObjectType: "audit_key", ObjectID: kr.Current(), ActorName: "system",
				Summary: fmt.Sprintf("审计日志签名密钥由 %s 轮换为 %s", headKey, kr.Current())})
		})
	}
	if err != nil {
		return nil, err
	}
	c := &Checkpointer{d: d, keys: kr, path: s.CheckpointFile, every: s.CheckpointEvery}
	if c.last, err = lastCheckpoint(c.path); err != nil {
		return nil, fmt.Errorf("读取审计检查点文件 %s 失败：%v", c.path, err)
	}
	if l := c.last; l != nil && (l.Seq > headSeq || (l.Seq == headSeq && l.Hash != headHash)) {
		slog.Error("审计日志链头落后于检查点：最新的事件可能已被删除（或数据库从备份恢复）。请运行 fazhi audit verify 核查",
			"checkpoint_seq", l.Seq, "checkpoint_at", l.At, "head_seq", headSeq, "file", c.path)
	}
	if err := c.Write(ctx); err != nil {
		return nil, err
	}
	return c, nil
}
