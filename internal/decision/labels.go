package decision

import "fazhi/internal/platform/httpx"

// The Chinese names of this module's request fields whose values huma
// checks before the service (enums): a refusal names the field by them.
func init() {
	httpx.RegisterLabels(map[string]string{
		"step":          "程序步骤",
		"meeting_type":  "会议类型",
		"head_decision": "行政首长决定",
		"adopted":       "采纳情况",
	})
}
