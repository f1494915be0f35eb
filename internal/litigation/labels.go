package litigation

import "fazhi/internal/platform/httpx"

// The Chinese names of this module's request fields whose values huma
// checks before the service (enums): a refusal names the field by them.
func init() {
	httpx.RegisterLabels(map[string]string{
		"instance":   "审级",
		"appearance": "出庭情况",
	})
}
