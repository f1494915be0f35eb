package calendar

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"fazhi/internal/platform/apperr"
)

// Year is one year's holiday schedule as published by the 国务院办公厅 notice
// 《关于YYYY年部分节假日安排的通知》. It is the unit administrators import and
// the unit a database store keeps: one row (or JSON document) per year.
//
// Days lists public holidays (Off true) and make-up working days (Off false,
// 调休上班). Ordinary weekends are not listed. A notice may reach back into the
// previous December (2019's 元旦 began on 2018-12-30), so days in December of
// Year-1 are accepted and belong to this Year.
type Year struct {
	Year   int    `json:"year"`
	Source string `json:"source"` // notice title and number, e.g. "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"
	Days   []Day  `json:"days"`
}

// Day is one listed day of a Year.
type Day struct {
	Date Date   `json:"date"`
	Name string `json:"name"` // holiday name: "春节", "国庆节、中秋节"
	Off  bool   `json:"off"`  // true: public holiday; false: make-up working day
}

// rawYear mirrors Year with pointers so that ParseYear can tell a missing
// field from a zero value (a missing "off" must not silently mean "work").
type rawYear struct {
	Year   *int     `json:"year"`
	Source *string  `json:"source"`
	Days   []rawDay `json:"days"`
}

type rawDay struct {
	Date *string `json:"date"`
	Name *string `json:"name"`
	Off  *bool   `json:"off"`
}

// maxYearBytes bounds an imported document: a real year has about forty days.
const maxYearBytes = 64 << 10

// ParseYear decodes and validates one year of holiday data imported by an
// administrator (JSON in the Year format). Every problem is reported at once
// as an apperr Invalid error with one FieldError per bad field, in Chinese:
// unknown fields, a missing year, source, date, name or off, dates outside the
// year (December of the previous year is allowed), duplicate dates, make-up
// working days that are not Saturdays or Sundays, and a year with no holiday.
func ParseYear(data []byte) (Year, error) {
	if len(data) > maxYearBytes {
		return Year{}, apperr.New(apperr.TooLarge, "放假安排数据过大（超过 %d KB）", maxYearBytes>>10)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw rawYear
	if err := dec.Decode(&raw); err != nil {
		return Year{}, apperr.Wrap(err, apperr.Invalid, "放假安排数据不是有效的 JSON：%s", jsonErrorZH(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Year{}, apperr.New(apperr.Invalid, "放假安排数据在 JSON 对象之后还有多余内容")
	}

	var v apperr.Fields
	var y Year
	switch {
	case raw.Year == nil:
		v.Add("year", "缺少年份（year）")
	case *raw.Year < 1949 || *raw.Year > 2200:
		v.Add("year", "年份 %d 不在 1949–2200 之间", *raw.Year)
	default:
		y.Year = *raw.Year
	}
	if raw.Source == nil || trimSpace(*raw.Source) == "" {
		v.Add("source", "缺少来源（source），请填写国务院办公厅通知的标题和文号")
	} else {
		y.Source = trimSpace(*raw.Source)
	}
	if len(raw.Days) == 0 {
		v.Add("days", "没有列出任何放假日或调休上班日（days）")
	}
	if len(raw.Days) > 400 {
		v.Add("days", "列出的日期过多（%d 个），一年最多 400 个", len(raw.Days))
		return Year{}, v.Err()
	}
	seen := make(map[Date]int, len(raw.Days))
	offDays := 0
	for i, rd := range raw.Days {
		f := fmt.Sprintf("days[%d]", i)
		var day Day
		ok := true
		if rd.Date == nil {
			v.Add(f+".date", "第 %d 条缺少日期（date）", i+1)
			ok = false
		} else if d, err := ParseDate(*rd.Date); err != nil {
			v.Add(f+".date", "第 %d 条日期“%s”格式不正确，应为 YYYY-MM-DD", i+1, *rd.Date)
			ok = false
		} else {
			day.Date = d
			if y.Year != 0 && !(d.Year == y.Year || (d.Year == y.Year-1 && d.Month == time.December)) {
				v.Add(f+".date", "第 %d 条日期 %s 不在 %d 年内（只允许本年或上一年 12 月的日期）", i+1, d, y.Year)
				ok = false
			}
			if j, dup := seen[d]; dup {
				v.Add(f+".date", "第 %d 条日期 %s 与第 %d 条重复", i+1, d, j+1)
				ok = false
			} else {
				seen[d] = i
			}
		}
		if rd.Name == nil || trimSpace(*rd.Name) == "" {
			v.Add(f+".name", "第 %d 条缺少节日名称（name）", i+1)
			ok = false
		} else if n := []rune(trimSpace(*rd.Name)); len(n) > 20 {
			v.Add(f+".name", "第 %d 条节日名称过长（最多 20 个字）", i+1)
			ok = false
		} else {
			day.Name = string(n)
		}
		if rd.Off == nil {
			v.Add(f+".off", "第 %d 条缺少 off（true 为放假，false 为调休上班）", i+1)
			ok = false
		} else {
			day.Off = *rd.Off
		}
		if ok && !day.Off {
			if wd := day.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
				v.Add(f+".off", "第 %d 条 %s 是%s，调休上班日应为周六或周日", i+1, day.Date, day.Date.WeekdayZH())
				ok = false
			}
		}
		if ok {
			if day.Off {
				offDays++
			}
			y.Days = append(y.Days, day)
		}
	}
	if len(raw.Days) > 0 && offDays == 0 && len(v) == 0 {
		v.Add("days", "没有任何放假日（off 为 true 的日期）")
	}
	if err := v.Err(); err != nil {
		return Year{}, err
	}
	sort.Slice(y.Days, func(i, j int) bool { return y.Days[i].Date.Before(y.Days[j].Date) })
	return y, nil
}

func trimSpace(s string) string { return strings.TrimSpace(s) }

func jsonErrorZH(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("第 %d 个字节附近有语法错误", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("字段 %s 的类型不正确", e.Field)
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return "内容为空或不完整"
	}
	return "无法解析（可能含有未知字段）"
}

//go:embed data/*.json
var shippedFS embed.FS

// ShippedYears returns the schedules shipped with the program (2016–2026),
// transcribed from the State Council notices named in each Year's Source.
// They are parsed once per process; each call returns a copy the caller may
// change.
func ShippedYears() []Year {
	years := slices.Clone(shipped())
	for i := range years {
		years[i].Days = slices.Clone(years[i].Days)
	}
	return years
}

// shipped parses the embedded schedules once. They are validated by
// ParseYear; a bad file is a build defect and panics.
var shipped = sync.OnceValue(parseShipped)

func parseShipped() []Year {
	entries, err := shippedFS.ReadDir("data")
	if err != nil {
		panic(err)
	}
	years := make([]Year, 0, len(entries))
	for _, e := range entries {
		b, err := shippedFS.ReadFile("data/" + e.Name())
		if err != nil {
			panic(err)
		}
		y, err := ParseYear(b)
		if err != nil {
			panic(fmt.Sprintf("calendar: shipped %s: %v", e.Name(), err))
		}
		years = append(years, y)
	}
	return years
}
