// Package draw is the publicly verifiable random draw used by 双随机一公开
// (random inspections) and, later, by 案卷评查 sampling: commit to a frozen,
// canonically serialised pool snapshot and to the SHA-256 of a secret seed,
// reveal the seed after the commitment is published, pick items and their
// assignees with a documented deterministic algorithm, and let anyone
// re-run it from the published files (Verify, `fazhi draw verify`, the
// public page's JavaScript). The algorithm is written down in docs/draw.md;
// a change to it needs a new Format.
//
// The package holds no business rules: which pool, which ratios and which
// conflicts go into a Snapshot is the calling module's decision.
package draw

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Format names this version of the files and the algorithm.
const Format = "fazhi-draw/1"

// The kinds of published file.
const (
	KindSnapshot   = "snapshot"
	KindCommitment = "commitment"
	KindReveal     = "reveal"
	KindResult     = "result"
)

// MaxPool bounds the items and the assignees of one snapshot (a district's
// register of inspected entities fits many times over).
const MaxPool = 200000

// keyPattern is what an item, assignee or stratum key may be: printable
// ASCII without separators, so that sorting by bytes (Go) and by UTF-16
// code units (JavaScript) agree and the labels fed to HMAC are unambiguous.
var keyPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Item is one member of the drawn pool (an inspected entity, a case file).
type Item struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Stratum string `json:"stratum"`
	// Group is the unit the item belongs to ("" none): an assignee of the
	// same group is in conflict when the snapshot says so.
	Group string `json:"group"`
}

// Assignee is one member of the people pool (an inspector, a reviewer).
type Assignee struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Group string `json:"group"`
}

// Stratum is one risk level (or unit) with the number of items to draw.
type Stratum struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Pool  int    `json:"pool"`
	Draw  int    `json:"draw"`
}

// Pair is a declared conflict: the assignee never checks the item.
type Pair struct {
	Assignee string `json:"assignee"`
	Item     string `json:"item"`
}

// Snapshot is the frozen pool. Its canonical form (Encode after Normalize)
// is what is hashed and published.
type Snapshot struct {
	Format string `json:"format"`
	Kind   string `json:"kind"`
	// Ref identifies the plan (its code); Title is for people.
	Ref   string `json:"ref"`
	Title string `json:"title"`
	// PerPick is how many assignees each drawn item gets.
	PerPick int `json:"assignees_per_pick"`
	// SameGroupExcluded: an assignee never gets an item of its own group.
	SameGroupExcluded bool       `json:"same_group_excluded"`
	Strata            []Stratum  `json:"strata"`
	Items             []Item     `json:"items"`
	Assignees         []Assignee `json:"assignees"`
	Exclusions        []Pair     `json:"exclusions"`
}

// Commitment is published before the draw.
type Commitment struct {
	Format         string `json:"format"`
	Kind           string `json:"kind"`
	Ref            string `json:"ref"`
	SnapshotSHA256 string `json:"snapshot_sha256"`
	SeedSHA256     string `json:"seed_sha256"`
	CommittedAt    string `json:"committed_at"`
}

// Reveal discloses the seed after the draw.
type Reveal struct {
	Format     string `json:"format"`
	Kind       string `json:"kind"`
	Ref        string `json:"ref"`
	Seed       string `json:"seed"`
	RevealedAt string `json:"revealed_at"`
}

// Pick is one drawn item with its assignees, in draw order.
type Pick struct {
	Seq       int      `json:"seq"`
	Stratum   string   `json:"stratum"`
	Item      string   `json:"item"`
	Assignees []string `json:"assignees"`
}

// Result is the draw's outcome.
type Result struct {
	Format         string `json:"format"`
	Kind           string `json:"kind"`
	Ref            string `json:"ref"`
	SnapshotSHA256 string `json:"snapshot_sha256"`
	SeedSHA256     string `json:"seed_sha256"`
	Picks          []Pick `json:"picks"`
}

// Encode is the canonical serialisation: encoding/json of the struct (keys
// in declaration order), no insignificant white space, no HTML escaping,
// no trailing newline.
func Encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// SHA256Hex is the lower-case hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// NewSeed returns 32 random bytes as 64 lower-case hex digits.
func NewSeed() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// SeedCommitment is SHA-256 over the seed's 32 bytes (not its hex text).
func SeedCommitment(seed string) (string, error) {
	b, err := seedBytes(seed)
	if err != nil {
		return "", err
	}
	return SHA256Hex(b), nil
}

func seedBytes(seed string) ([]byte, error) {
	if len(seed) != 64 || strings.ToLower(seed) != seed {
		return nil, errors.New("种子应为 64 位小写十六进制数")
	}
	b, err := hex.DecodeString(seed)
	if err != nil {
		return nil, errors.New("种子应为 64 位小写十六进制数")
	}
	return b, nil
}

// Normalize puts the snapshot in canonical order (strata by code, items and
// assignees by key, exclusions by assignee then item, duplicates of a
// declared pair removed), fills each stratum's pool count and sets Format
// and Kind.
func (s *Snapshot) Normalize() {
	s.Format, s.Kind = Format, KindSnapshot
	slices.SortFunc(s.Strata, func(a, b Stratum) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(s.Items, func(a, b Item) int { return strings.Compare(a.Key, b.Key) })
	slices.SortFunc(s.Assignees, func(a, b Assignee) int { return strings.Compare(a.Key, b.Key) })
	slices.SortFunc(s.Exclusions, comparePair)
	s.Exclusions = slices.Compact(s.Exclusions)
	n := map[string]int{}
	for _, it := range s.Items {
		n[it.Stratum]++
	}
	for i := range s.Strata {
		s.Strata[i].Pool = n[s.Strata[i].Code]
	}
	if s.Strata == nil {
		s.Strata = []Stratum{}
	}
	if s.Items == nil {
		s.Items = []Item{}
	}
	if s.Assignees == nil {
		s.Assignees = []Assignee{}
	}
	if s.Exclusions == nil {
		s.Exclusions = []Pair{}
	}
}

func comparePair(a, b Pair) int {
	if c := strings.Compare(a.Assignee, b.Assignee); c != 0 {
		return c
	}
	return strings.Compare(a.Item, b.Item)
}

// Validate checks a snapshot that claims to be canonical: format, keys,
// strict sort order (a reordered pool is refused), references, counts. It
// does not check that every item has enough eligible assignees (Shortfalls).
func (s *Snapshot) Validate() error {
	if s.Format != Format || s.Kind != KindSnapshot {
		return fmt.Errorf("快照格式应为 %s/%s", Format, KindSnapshot)
	}
	if s.Ref == "" {
		return errors.New("快照缺少计划编号（ref）")
	}
	if s.PerPick < 1 || s.PerPick > 20 {
		return errors.New("每项指派人数（assignees_per_pick）应在 1–20 之间")
	}
	if len(s.Items) > MaxPool || len(s.Assignees) > MaxPool || len(s.Exclusions) > MaxPool {
		return fmt.Errorf("名录超过 %d 条的上限", MaxPool)
	}
	strata := map[string]int{}
	for i, st := range s.Strata {
		if !keyPattern.MatchString(st.Code) {
			return fmt.Errorf("分层代码 %q 不合规", st.Code)
		}
		if i > 0 && s.Strata[i-1].Code >= st.Code {
			return errors.New("分层未按代码严格升序排列")
		}
		if st.Draw < 0 || st.Draw > st.Pool {
			return fmt.Errorf("分层 %s 的抽取数 %d 超出名录数 %d", st.Code, st.Draw, st.Pool)
		}
		strata[st.Code] = 0
	}
	items := make(map[string]bool, len(s.Items))
	for i, it := range s.Items {
		if !keyPattern.MatchString(it.Key) {
			return fmt.Errorf("对象标识 %q 不合规", it.Key)
		}
		if i > 0 && s.Items[i-1].Key >= it.Key {
			return fmt.Errorf("对象名录未按标识严格升序排列（第 %d 条 %s）", i+1, it.Key)
		}
		if _, ok := strata[it.Stratum]; !ok {
			return fmt.Errorf("对象 %s 的分层 %q 未列出", it.Key, it.Stratum)
		}
		strata[it.Stratum]++
		items[it.Key] = true
	}
	for _, st := range s.Strata {
		if strata[st.Code] != st.Pool {
			return fmt.Errorf("分层 %s 的名录数 %d 与对象名录不符（%d）", st.Code, st.Pool, strata[st.Code])
		}
	}
	people := make(map[string]bool, len(s.Assignees))
	for i, a := range s.Assignees {
		if !keyPattern.MatchString(a.Key) {
			return fmt.Errorf("人员标识 %q 不合规", a.Key)
		}
		if i > 0 && s.Assignees[i-1].Key >= a.Key {
			return fmt.Errorf("人员名录未按标识严格升序排列（第 %d 条 %s）", i+1, a.Key)
		}
		people[a.Key] = true
	}
	for i, p := range s.Exclusions {
		if !people[p.Assignee] || !items[p.Item] {
			return fmt.Errorf("回避关系 %s—%s 指向名录外的人员或对象", p.Assignee, p.Item)
		}
		if i > 0 && comparePair(s.Exclusions[i-1], p) >= 0 {
			return errors.New("回避关系未按人员、对象严格升序排列")
		}
	}
	return nil
}

// conflicts answers whether assignee a may not be given item it.
type conflicts struct {
	sameGroup bool
	pairs     map[Pair]bool
}

func newConflicts(s *Snapshot) conflicts {
	c := conflicts{sameGroup: s.SameGroupExcluded, pairs: make(map[Pair]bool, len(s.Exclusions))}
	for _, p := range s.Exclusions {
		c.pairs[p] = true
	}
	return c
}

func (c conflicts) excluded(a Assignee, it Item) bool {
	if c.sameGroup && a.Group != "" && a.Group == it.Group {
		return true
	}
	return c.pairs[Pair{Assignee: a.Key, Item: it.Key}]
}

// Shortfall is an item with fewer eligible assignees than a pick needs.
type Shortfall struct {
	Item     Item
	Eligible int
}

// Shortfalls lists the items that could not be given PerPick assignees
// once conflicts are excluded (checked before committing: a draw that
// could fail must not be committed).
func (s *Snapshot) Shortfalls() []Shortfall {
	c := newConflicts(s)
	var out []Shortfall
	for _, it := range s.Items {
		n := 0
		for _, a := range s.Assignees {
			if !c.excluded(a, it) {
				n++
			}
		}
		if n < s.PerPick {
			out = append(out, Shortfall{Item: it, Eligible: n})
		}
	}
	return out
}

// stream is the deterministic random source: 32-byte blocks
// HMAC-SHA256(seed, snapshot_sha256 "|" label "|" counter), read as
// big-endian uint32 words in order.
type stream struct {
	mac    []byte
	prefix string
	n      uint64
	buf    []byte
}

func newStream(seed []byte, snapshotHash, label string) *stream {
	return &stream{mac: seed, prefix: snapshotHash + "|" + label + "|"}
}

func (s *stream) word() uint32 {
	if len(s.buf) < 4 {
		m := hmac.New(sha256.New, s.mac)
		m.Write([]byte(s.prefix + strconv.FormatUint(s.n, 10)))
		s.buf = m.Sum(nil)
		s.n++
	}
	v := binary.BigEndian.Uint32(s.buf)
	s.buf = s.buf[4:]
	return v
}

// intn is uniform in [0, n) by rejection: words at or above the largest
// multiple of n below 2^32 are skipped.
func (s *stream) intn(n int) int {
	const span = uint64(1) << 32
	limit := span - span%uint64(n)
	for {
		if x := uint64(s.word()); x < limit {
			return int(x % uint64(n))
		}
	}
}

// choose is a partial Fisher–Yates shuffle: for i in 0..k-1, swap position
// i with i + intn(len-i); the first k positions are the pick, in order.
func choose[T any](s *stream, pool []T, k int) []T {
	a := slices.Clone(pool)
	for i := 0; i < k; i++ {
		j := i + s.intn(len(a)-i)
		a[i], a[j] = a[j], a[i]
	}
	return a[:k]
}

// ErrShortfall is returned by Run when an item has too few eligible assignees.
var ErrShortfall = errors.New("有抽中对象的可选检查人员不足")

// Run draws from a canonical snapshot's bytes with the revealed seed.
func Run(snapshot []byte, seed string) (Result, error) {
	s, err := ParseSnapshot(snapshot)
	if err != nil {
		return Result{}, err
	}
	key, err := seedBytes(seed)
	if err != nil {
		return Result{}, err
	}
	hash := SHA256Hex(snapshot)
	commit := SHA256Hex(key)
	res := Result{Format: Format, Kind: KindResult, Ref: s.Ref, SnapshotSHA256: hash, SeedSHA256: commit, Picks: []Pick{}}
	byStratum := map[string][]Item{}
	for _, it := range s.Items {
		byStratum[it.Stratum] = append(byStratum[it.Stratum], it)
	}
	var picked []Item
	for _, st := range s.Strata {
		picked = append(picked, choose(newStream(key, hash, "item|"+st.Code), byStratum[st.Code], st.Draw)...)
	}
	c := newConflicts(&s)
	for i, it := range picked {
		var eligible []Assignee
		for _, a := range s.Assignees {
			if !c.excluded(a, it) {
				eligible = append(eligible, a)
			}
		}
		if len(eligible) < s.PerPick {
			return Result{}, fmt.Errorf("%w：%s 仅 %d 人", ErrShortfall, it.Key, len(eligible))
		}
		who := choose(newStream(key, hash, "assignee|"+it.Key), eligible, s.PerPick)
		keys := make([]string, len(who))
		for j, a := range who {
			keys[j] = a.Key
		}
		res.Picks = append(res.Picks, Pick{Seq: i + 1, Stratum: it.Stratum, Item: it.Key, Assignees: keys})
	}
	return res, nil
}

// ParseSnapshot decodes and validates a snapshot and checks that the bytes
// are its canonical form (a re-encoding gives the same bytes).
func ParseSnapshot(b []byte) (Snapshot, error) {
	var s Snapshot
	if err := strictDecode(b, &s); err != nil {
		return s, fmt.Errorf("快照文件无法解析：%v", err)
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	again, err := Encode(s)
	if err != nil {
		return s, err
	}
	if !bytes.Equal(again, b) {
		return s, errors.New("快照不是规范格式（多余空白、字段顺序或转义与规范编码不同）")
	}
	return s, nil
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("文件末尾有多余内容")
	}
	return nil
}

// Published is the set of files a plan publishes. Snapshot is kept as bytes:
// its hash is over the bytes exactly as published.
type Published struct {
	Snapshot   []byte
	Commitment Commitment
	Reveal     Reveal
	Result     Result
}

// Classify reads published files given in any order by their "kind".
func Classify(files map[string][]byte) (Published, error) {
	var p Published
	seen := map[string]string{}
	for name, b := range files {
		var head struct {
			Format string `json:"format"`
			Kind   string `json:"kind"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return p, fmt.Errorf("%s：不是 JSON 文件（%v）", name, err)
		}
		if head.Format != Format {
			return p, fmt.Errorf("%s：格式不是 %s", name, Format)
		}
		if other, dup := seen[head.Kind]; dup {
			return p, fmt.Errorf("%s 与 %s 都是 %s 文件", other, name, head.Kind)
		}
		seen[head.Kind] = name
		var err error
		switch head.Kind {
		case KindSnapshot:
			p.Snapshot = b
		case KindCommitment:
			err = strictDecode(b, &p.Commitment)
		case KindReveal:
			err = strictDecode(b, &p.Reveal)
		case KindResult:
			err = strictDecode(b, &p.Result)
		default:
			return p, fmt.Errorf("%s：未知的文件类型 %q", name, head.Kind)
		}
		if err != nil {
			return p, fmt.Errorf("%s：无法解析（%v）", name, err)
		}
	}
	for _, k := range []string{KindSnapshot, KindCommitment, KindReveal, KindResult} {
		if _, ok := seen[k]; !ok {
			return p, fmt.Errorf("缺少 %s 文件", k)
		}
	}
	return p, nil
}

// Verify re-runs the draw from the published files and lists every
// mismatch in Chinese; an empty list means the draw is reproduced.
func Verify(p Published) []string {
	var bad []string
	hash := SHA256Hex(p.Snapshot)
	if hash != p.Commitment.SnapshotSHA256 {
		bad = append(bad, fmt.Sprintf("名录快照的 SHA-256 为 %s，与抽取前公布的 %s 不一致（快照被改动）", hash, p.Commitment.SnapshotSHA256))
	}
	snap, err := ParseSnapshot(p.Snapshot)
	if err != nil {
		bad = append(bad, "名录快照无效："+err.Error())
	}
	for _, r := range []struct{ what, ref string }{{"承诺文件", p.Commitment.Ref}, {"种子文件", p.Reveal.Ref}, {"结果文件", p.Result.Ref}} {
		if err == nil && r.ref != snap.Ref {
			bad = append(bad, fmt.Sprintf("%s的计划编号 %q 与快照的 %q 不一致", r.what, r.ref, snap.Ref))
		}
	}
	commit, serr := SeedCommitment(p.Reveal.Seed)
	switch {
	case serr != nil:
		bad = append(bad, "公开的种子无效："+serr.Error())
	case commit != p.Commitment.SeedSHA256:
		bad = append(bad, fmt.Sprintf("公开的种子的 SHA-256 为 %s，与抽取前公布的承诺值 %s 不一致（种子被更换）", commit, p.Commitment.SeedSHA256))
	}
	if p.Reveal.RevealedAt != "" && p.Commitment.CommittedAt != "" && p.Reveal.RevealedAt < p.Commitment.CommittedAt {
		bad = append(bad, "种子公开时间早于承诺公布时间")
	}
	if p.Result.SnapshotSHA256 != p.Commitment.SnapshotSHA256 || p.Result.SeedSHA256 != p.Commitment.SeedSHA256 {
		bad = append(bad, "结果文件记载的快照哈希或承诺值与承诺文件不一致")
	}
	if err != nil || serr != nil {
		return bad
	}
	again, rerr := Run(p.Snapshot, p.Reveal.Seed)
	if rerr != nil {
		return append(bad, "按公布的快照和种子重新抽取失败："+rerr.Error())
	}
	return append(bad, ComparePicks(p.Result.Picks, again.Picks)...)
}

// ComparePicks lists the differences between published and recomputed picks.
func ComparePicks(published, recomputed []Pick) []string {
	var bad []string
	if len(published) != len(recomputed) {
		bad = append(bad, fmt.Sprintf("公布的结果有 %d 项，重新抽取得到 %d 项", len(published), len(recomputed)))
	}
	for i := range min(len(published), len(recomputed)) {
		a, b := published[i], recomputed[i]
		if a.Seq != b.Seq || a.Stratum != b.Stratum || a.Item != b.Item || !slices.Equal(a.Assignees, b.Assignees) {
			bad = append(bad, fmt.Sprintf("第 %d 项不一致：公布为 %s（%s），重新抽取为 %s（%s）",
				i+1, a.Item, strings.Join(a.Assignees, "、"), b.Item, strings.Join(b.Assignees, "、")))
			if len(bad) >= 10 {
				return append(bad, "……（其余差异从略）")
			}
		}
	}
	return bad
}

// Committed is what Commit produces: the canonical snapshot bytes and the
// commitment to publish; the seed stays secret until Reveal.
type Committed struct {
	Snapshot   []byte
	Commitment Commitment
}

// Commit normalises and validates the snapshot, refuses one with a
// shortfall, and returns its canonical bytes with the commitment to the
// seed. at is an RFC 3339 UTC time.
func Commit(s Snapshot, seed, at string) (Committed, error) {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return Committed{}, err
	}
	if sf := s.Shortfalls(); len(sf) > 0 {
		return Committed{}, fmt.Errorf("%w：%s 仅 %d 人（需 %d 人）", ErrShortfall, sf[0].Item.Name, sf[0].Eligible, s.PerPick)
	}
	b, err := Encode(s)
	if err != nil {
		return Committed{}, err
	}
	commit, err := SeedCommitment(seed)
	if err != nil {
		return Committed{}, err
	}
	return Committed{Snapshot: b, Commitment: Commitment{Format: Format, Kind: KindCommitment, Ref: s.Ref,
		SnapshotSHA256: SHA256Hex(b), SeedSHA256: commit, CommittedAt: at}}, nil
}

// NewReveal is the reveal file for seed.
func NewReveal(ref, seed, at string) Reveal {
	return Reveal{Format: Format, Kind: KindReveal, Ref: ref, Seed: seed, RevealedAt: at}
}
