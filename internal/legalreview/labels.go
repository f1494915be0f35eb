package legalreview

import "fazhi/internal/platform/httpx"

// The Chinese names of this module's request fields whose values huma
// checks before the service (enums): a refusal names the field by them.
func init() {
	httpx.RegisterLabels(map[string]string{
		"answer":     "审查要点判断",
		"conclusion": "审查结论",
		"adoption":   "采纳情况",
	})
}
