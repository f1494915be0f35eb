package normdoc

import "fazhi/internal/platform/httpx"

// The Chinese names of this module's request fields whose values huma
// checks before the service (enums): a refusal names the field by them.
func init() {
	httpx.RegisterLabels(map[string]string{
		"outcome":       "清理结论",
		"mode":          "导入方式",
		"filed_on_time": "是否按期报送备案",
		"validity":      "效力状态",
	})
}
