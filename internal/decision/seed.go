package decision

import (
	"context"

	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/db"
)

// DefaultCategories are 渝北's five catalogue categories with their sixteen
// kinds of matters; they are data, edited on the categories page.
var DefaultCategories = []Category{
	{Name: "公共服务", Kinds: []string{"教育", "医疗卫生", "社会保障", "公共文化体育"}},
	{Name: "市场监管", Kinds: []string{"价格管理", "市场准入", "产业政策"}},
	{Name: "社会管理", Kinds: []string{"城乡规划建设", "交通管理", "公共安全"}},
	{Name: "环境保护", Kinds: []string{"生态环境保护", "自然资源开发利用", "污染防治"}},
	{Name: "其他重大事项", Kinds: []string{"重大公共建设项目", "政府投资", "其他"}},
}

// SeedCategories inserts the default categories when there are none.
func (s *Service) SeedCategories(ctx context.Context) error {
	existing, err := s.st.ListCategories(ctx, s.db, false)
	if err != nil || len(existing) > 0 {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		for i, c := range DefaultCategories {
			c.Sort, c.Active = i+1, true
			if _, err := s.st.CreateCategory(ctx, tx, c); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.category.seed", ObjectType: "decision_category", Summary: "载入默认决策事项目录类别（5 类 16 种）"})
	})
}
