package exam

import "math/rand/v2"

// Item is one question of a drawn paper with its points.
type Item struct {
	QuestionID int64
	Points     int
}

// Assemble draws a paper: for each quota in order, Count questions of its
// pool (the usable question ids frozen when the exam was created) in a
// random order determined by seed alone. The same seed, quotas and pools
// always give the same paper, so a stored seed reproduces any candidate's
// paper; different seeds give different draws.
func Assemble(seed int64, quotas []Quota, pools [][]int64) []Item {
	var out []Item
	for i, q := range quotas {
		if i >= len(pools) {
			break
		}
		r := rand.New(rand.NewPCG(uint64(seed), uint64(i)+1))
		pool := append([]int64(nil), pools[i]...)
		r.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
		for _, id := range pool[:min(q.Count, len(pool))] {
			out = append(out, Item{QuestionID: id, Points: q.Points})
		}
	}
	return out
}
