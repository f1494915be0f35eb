package legalreview

// Review is one legality review request.
type Review struct {
	ID          int64  `json:"id"`
	Kind        Kind   `json:"kind"`
	Title       string `json:"title"`
	UnitID      int64  `json:"unit_id"`
	SubjectType string `json:"subject_type"`
	SubjectID   int64  `json:"subject_id"`
	Status      string `json:"status"`
	Version     int64  `json:"version"`
}
