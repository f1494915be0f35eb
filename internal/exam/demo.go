package exam

import (
	"context"
	"math/rand/v2"
)

// DemoAnswers returns answers for the candidate's open attempt with about
// share of them right (demo data only: it reads the keys, which nothing
// serving a candidate does). The seeder saves them through SaveAnswers.
func (s *Service) DemoAnswers(ctx context.Context, attemptID int64, share float64, rng *rand.Rand) ([]AnswerInput, error) {
	if _, _, err := s.owned(ctx, s.db, attemptID); err != nil {
		return nil, err
	}
	items, err := s.st.items(ctx, s.db, attemptID)
	if err != nil {
		return nil, err
	}
	var out []AnswerInput
	for _, it := range items {
		a := it.Key
		if rng.Float64() >= share {
			switch it.Kind {
			case KindJudge:
				a = map[string]string{"T": "F", "F": "T"}[it.Key]
			case KindSingle:
				a = string(letters(len(it.Options))[(int(it.Key[0]-'A')+1)%len(it.Options)])
			default:
				a = it.Key[:1] // one right option of several: wrong
			}
		}
		out = append(out, AnswerInput{Pos: it.Pos, Answer: a})
	}
	return out, nil
}
