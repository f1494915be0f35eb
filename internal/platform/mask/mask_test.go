package mask

import "testing"

func TestMask(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) string
		in   string
		want string
	}{
		{"mobile", Phone, "13812345678", "138****5678"},
		{"landline", Phone, "023-68881234", "023*****1234"},
		{"short phone", Phone, "1234567", "*******"},
		{"empty phone", Phone, "", ""},
		{"ID 18", IDNumber, "500103199001011234", "500103********1234"},
		{"ID with X", IDNumber, "50010319900101123X", "500103********123X"},
		{"ID 15", IDNumber, "500103900101123", "500103*****1123"},
		{"short ID", IDNumber, "5001031", "*******"},
		{"address", Address, "重庆市渝中区解放碑街道民族路88号", "重庆市渝中区****"},
		{"short address", Address, "渝中区", "渝中区"},
		{"spaces", Phone, " 13812345678 ", "138****5678"},
	} {
		if got := c.f(c.in); got != c.want {
			t.Errorf("%s: %q → %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{"张三、李四": "张*、李*", "欧阳修,王小明": "欧**,王**", "": "", "赵": "赵"} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}
