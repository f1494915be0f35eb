import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { h } from 'vue'
import { ElConfigProvider, ElFormItem } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import {
  addHolidayRange,
  draftFromYear,
  draftToJSON,
  draftToPayload,
  newRow,
  parseYearText,
  placeFieldErrors,
  sortRows,
  type YearDraft,
} from '@/views/calendar/dayTable'
import { buildMonthGrid, buildYearGrid, daysInMonth, groupRanges, rangeLabel } from '@/views/calendar/monthGrid'
import { formatPeriod, weekdayZH, type CalDay } from '@/views/calendar/types'
import YearEditorDialog from '@/views/calendar/YearEditorDialog.vue'

// The 2026 national-day part of the shipped schedule (国办发明电〔2025〕7号).
const autumn2026: CalDay[] = [
  { date: '2026-09-20', name: '国庆节', off: false },
  { date: '2026-09-25', name: '中秋节', off: true },
  { date: '2026-09-26', name: '中秋节', off: true },
  { date: '2026-09-27', name: '中秋节', off: true },
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, name: '国庆节', off: true })),
  { date: '2026-10-10', name: '国庆节', off: false },
]

function draft(rows: Array<[string, string, boolean]>, year: number | null = 2027, source = '国务院办公厅关于2027年部分节假日安排的通知'): YearDraft {
  return { year, source, rows: rows.map(([date, name, off]) => newRow({ date, name, off })) }
}

describe('day table ↔ JSON', () => {
  it('builds the request body in table order and skips blank rows, remembering which row is which', () => {
    const d = draft([
      ['2027-01-01', '元旦', true],
      ['', '', true], // an 添加一行 left empty
      ['2027-02-06', ' 春节 ', true],
      ['', '春节', false], // half filled: sent, so the server names it
    ])
    const p = draftToPayload(d)
    expect(p.body).toEqual({
      year: 2027,
      source: '国务院办公厅关于2027年部分节假日安排的通知',
      days: [
        { date: '2027-01-01', name: '元旦', off: true },
        { date: '2027-02-06', name: '春节', off: true },
        { name: '春节', off: false },
      ],
    })
    expect(p.rowIndex).toEqual([0, 2, 3])
    expect(Object.keys(p.body)).toEqual(['year', 'source', 'days'])
  })

  it('leaves out a missing year so the server reports it as missing', () => {
    const p = draftToPayload(draft([['2027-01-01', '元旦', true]], null))
    expect('year' in p.body).toBe(false)
  })

  it('writes one day per line and reads it back to the same table', () => {
    const d = draft([
      ['2027-01-01', '元旦', true],
      ['2027-02-20', '春节', false],
    ])
    const text = draftToJSON(d)
    expect(text).toBe(
      [
        '{',
        '  "year": 2027,',
        '  "source": "国务院办公厅关于2027年部分节假日安排的通知",',
        '  "days": [',
        '    {"date": "2027-01-01", "name": "元旦", "off": true},',
        '    {"date": "2027-02-20", "name": "春节", "off": false}',
        '  ]',
        '}',
      ].join('\n'),
    )
    const back = parseYearText(text)
    expect(back.ok).toBe(true)
    if (!back.ok) return
    expect(back.draft.year).toBe(2027)
    expect(back.draft.source).toBe(d.source)
    expect(back.draft.rows.map(({ date, name, off }) => ({ date, name, off }))).toEqual([
      { date: '2027-01-01', name: '元旦', off: true },
      { date: '2027-02-20', name: '春节', off: false },
    ])
    // Keys are fresh and distinct (v-for keys).
    expect(new Set(back.draft.rows.map((r) => r.key)).size).toBe(2)
  })

  it('escapes quotes in names and sources', () => {
    const text = draftToJSON(draft([['2027-01-01', '元"旦', true]], 2027, '通知〔2026〕"7"号'))
    expect(JSON.parse(text)).toEqual({ year: 2027, source: '通知〔2026〕"7"号', days: [{ date: '2027-01-01', name: '元"旦', off: true }] })
  })

  it('round-trips a year as the server returns it', () => {
    const d = draftFromYear({ year: 2026, source: '国办发明电〔2025〕7号', days: autumn2026 })
    expect(JSON.parse(draftToJSON(d))).toEqual({ year: 2026, source: '国办发明电〔2025〕7号', days: autumn2026 })
  })

  it('refuses JSON the table cannot hold, in Chinese, naming the place', () => {
    expect(parseYearText('')).toEqual({ ok: false, errors: ['请粘贴放假安排 JSON'] })
    const bad = parseYearText('{"year": 2027, "days": [')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^不是有效的 JSON/)
    expect(parseYearText('[1,2]')).toEqual({ ok: false, errors: ['JSON 应为一个对象：{"year": …, "source": …, "days": […]}'] })

    const r = parseYearText(
      JSON.stringify({
        year: '2027',
        source: 'x',
        note: 'y',
        days: [{ date: '2027-01-01', name: '元旦', off: 'true' }, 5, { date: 20270101, name: '元旦', off: true, extra: 1 }],
      }),
    )
    expect(r).toEqual({
      ok: false,
      errors: [
        '无法识别的字段“note”（只允许 year、source、days）',
        'year 应为整数年份，如 2027',
        '第 1 条（days[0]） off 应为 true（放假）或 false（调休上班）',
        '第 2 条（days[1]）应为 {"date", "name", "off"} 对象',
        '第 3 条（days[2]）有无法识别的字段“extra”',
        '第 3 条（days[2]） date 应为 "YYYY-MM-DD" 文字',
      ],
    })
  })

  it('puts the server field errors on the rows that produced them', () => {
    // Rows 0 and 2 were sent as days[0] and days[1]; row 1 was blank.
    const placed = placeFieldErrors(
      [
        { field: 'body.days[1].date', message: '第 2 条日期 2027-13-01 格式不正确' },
        { field: 'days[1].off', message: '第 2 条 2027-02-03 是星期三，调休上班日应为周六或周日' },
        { field: 'days[1].date', message: '第 2 条日期与第 1 条重复' },
        { field: 'days[0].name', message: '第 1 条缺少节日名称（name）' },
        { field: 'source', message: '缺少来源（source）' },
        { field: 'days[7].date', message: '第 8 条缺少日期' },
        { field: 'rule', message: '别的' },
      ],
      [0, 2],
    )
    expect(placed.rows).toEqual({
      2: { date: '第 2 条日期 2027-13-01 格式不正确；第 2 条日期与第 1 条重复', off: '第 2 条 2027-02-03 是星期三，调休上班日应为周六或周日' },
      0: { name: '第 1 条缺少节日名称（name）' },
    })
    expect(placed.general).toEqual({ source: '缺少来源（source）' })
    expect(placed.other).toEqual(['第 8 条缺少日期', '别的'])
  })

  it('adds a holiday range day by day, updating dates already listed and sorting', () => {
    const rows = [newRow(), newRow({ date: '2027-10-10', name: '国庆节', off: false }), newRow({ date: '2027-10-02', name: '旧名', off: false })]
    const out = addHolidayRange(rows, '2027-09-30', '2027-10-03', '国庆节、中秋节')
    expect(out.map((r) => [r.date, r.name, r.off])).toEqual([
      ['2027-09-30', '国庆节、中秋节', true],
      ['2027-10-01', '国庆节、中秋节', true],
      ['2027-10-02', '国庆节、中秋节', true],
      ['2027-10-03', '国庆节、中秋节', true],
      ['2027-10-10', '国庆节', false],
    ])
    // Across a month end and a leap day.
    expect(addHolidayRange([], '2028-02-28', '2028-03-01', '测试').map((r) => r.date)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01'])
    // A reversed or malformed range changes nothing.
    expect(addHolidayRange(rows, '2027-10-03', '2027-10-01', 'x').map((r) => r.date)).toEqual(['2027-10-02', '2027-10-10', ''])
    expect(addHolidayRange(rows, '2027-02-30', '2027-03-01', 'x')).toHaveLength(3)
  })

  it('sorts rows by date and keeps undated rows last in their order', () => {
    const rows = [newRow({ name: 'a' }), newRow({ date: '2027-05-01' }), newRow({ name: 'b' }), newRow({ date: '2027-01-01' })]
    expect(sortRows(rows).map((r) => r.date || r.name)).toEqual(['2027-01-01', '2027-05-01', 'a', 'b'])
  })
})

describe('month grid', () => {
  it('lays October 2026 out Monday first, marking 休 and 班 with names', () => {
    const g = buildMonthGrid(2026, 10, autumn2026)
    // 2026-10-01 is a Thursday: three blank cells before it.
    expect(g.weeks[0].map((c) => c?.day ?? null)).toEqual([null, null, null, 1, 2, 3, 4])
    expect(g.weeks).toHaveLength(5)
    expect(g.weeks[4].map((c) => c?.day ?? null)).toEqual([26, 27, 28, 29, 30, 31, null])
    const cell = (d: number) => g.weeks.flat().find((c) => c?.day === d)!
    expect(cell(1)).toEqual({ date: '2026-10-01', day: 1, weekday: 4, kind: 'holiday', name: '国庆节' })
    expect(cell(7).kind).toBe('holiday')
    expect(cell(8)).toEqual({ date: '2026-10-08', day: 8, weekday: 4, kind: 'workday' })
    expect(cell(10)).toEqual({ date: '2026-10-10', day: 10, weekday: 6, kind: 'makeup', name: '国庆节' })
    expect(cell(11).kind).toBe('weekend') // an ordinary Sunday
    expect(g.marks.map((m) => [m.label, m.name, m.off, m.count])).toEqual([
      ['10月1日—7日', '国庆节', true, 7],
      ['10月10日（星期六）', '国庆节', false, 1],
    ])
  })

  it('starts February 2026 on a Sunday and fits it in five weeks', () => {
    const g = buildMonthGrid(2026, 2, [])
    expect(g.weeks[0].map((c) => c?.day ?? null)).toEqual([null, null, null, null, null, null, 1])
    expect(g.weeks).toHaveLength(5)
    expect(g.weeks.flat().filter(Boolean)).toHaveLength(28)
    expect(g.marks).toEqual([])
  })

  it('builds twelve months and shows each listed day in its own month only', () => {
    const months = buildYearGrid(2026, autumn2026)
    expect(months.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(months[8].marks.map((m) => m.label)).toEqual(['9月20日（星期日）', '9月25日—27日'])
    expect(months.reduce((n, m) => n + m.weeks.flat().filter((c) => c && (c.kind === 'holiday' || c.kind === 'makeup')).length, 0)).toBe(
      autumn2026.length,
    )
    // A day listed from the previous December does not leak into this year's grid.
    const withDec = buildYearGrid(2027, [{ date: '2026-12-31', name: '元旦', off: true }])
    expect(withDec.every((m) => m.marks.length === 0)).toBe(true)
  })

  it('groups runs by name and kind, not only by adjacency', () => {
    const r = groupRanges([
      { date: '2026-10-02', name: '国庆节', off: true },
      { date: '2026-09-30', name: '中秋节', off: true },
      { date: '2026-10-01', name: '国庆节', off: true },
      { date: '2026-10-03', name: '国庆节', off: false },
    ])
    expect(r.map((m) => [m.from, m.to, m.name, m.off])).toEqual([
      ['2026-09-30', '2026-09-30', '中秋节', true],
      ['2026-10-01', '2026-10-02', '国庆节', true],
      ['2026-10-03', '2026-10-03', '国庆节', false],
    ])
    expect(rangeLabel('2026-12-31', '2027-01-01')).toBe('2026年12月31日—2027年1月1日')
    expect(rangeLabel('2026-04-30', '2026-05-05')).toBe('4月30日—5月5日')
  })

  it('knows month lengths and weekdays', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2026, 2), daysInMonth(2026, 4), daysInMonth(2026, 12)]).toEqual([29, 28, 30, 31])
    expect(weekdayZH('2026-10-30')).toBe('星期五')
    expect(weekdayZH('2026-9-1')).toBe('')
    expect(formatPeriod({ n: 20, unit: 'working_days' })).toBe('20 个工作日')
    expect(formatPeriod({ n: 30, unit: 'calendar_days' }, true)).toBe('不少于 30 日')
    expect(formatPeriod({ n: 6, unit: 'months' })).toBe('6 个月')
  })
})

describe('录入 dialog', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('shows the server field errors on the rows and keeps everything typed', async () => {
    const fetchMock = vi.fn(async () =>
      new Response(
        JSON.stringify({
          code: 'invalid',
          message: '放假安排有误',
          fields: [
            { field: 'days[1].off', message: '第 2 条 2027-02-03 是星期三，调休上班日应为周六或周日' },
            { field: 'source', message: '缺少来源（source），请填写国务院办公厅通知的标题和文号' },
          ],
        }),
        { status: 422, headers: { 'Content-Type': 'application/json' } },
      ),
    )
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = mount(() => h(ElConfigProvider, { locale: zhCn }, () => h(YearEditorDialog)), { attachTo: document.body })
    const dialog = wrapper.findComponent(YearEditorDialog) as unknown as {
      vm: { open: (o: { year?: number }) => Promise<void> }
    }
    await dialog.vm.open({ year: 2027 })
    await flushPromises()

    // Add a second row and type the two holiday names (dates left empty).
    const body = document.body
    expect(body.textContent).toContain('录入年度放假安排')
    const nameInputs = () => [...body.querySelectorAll<HTMLInputElement>('[data-test="editor-days"] .el-table__body input[placeholder="如 春节"]')]
    expect(nameInputs()).toHaveLength(1)
    ;[...body.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.includes('添加一行'))!.click()
    await flushPromises()
    expect(nameInputs()).toHaveLength(2)
    nameInputs()[0].value = '元旦'
    nameInputs()[0].dispatchEvent(new Event('input'))
    nameInputs()[1].value = '春节'
    nameInputs()[1].dispatchEvent(new Event('input'))
    await flushPromises()

    body.querySelector<HTMLButtonElement>('[data-test="editor-save"]')!.click()
    await flushPromises()
    await flushPromises()

    expect(fetchMock).toHaveBeenCalledTimes(1)
    const req = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])
    expect(req[0]).toBe('/api/calendar/years')
    expect(req[1].method).toBe('POST')
    expect(JSON.parse(String(req[1].body))).toEqual({
      year: 2027,
      source: '',
      days: [
        { name: '元旦', off: true },
        { name: '春节', off: true },
      ],
    })
    // The dialog is still open, the typed names are still there, and the
    // messages sit next to the fields they are about.
    expect(nameInputs().map((i) => i.value)).toEqual(['元旦', '春节'])
    const rows = body.querySelectorAll('[data-test="editor-days"] .el-table__body tr')
    expect(rows[1].textContent).toContain('调休上班日应为周六或周日')
    expect(rows[0].textContent).not.toContain('调休上班日应为周六或周日')
    const sourceItem = body.querySelector('[data-test="editor-source"]')!.closest('.el-form-item')!
    expect(sourceItem.classList.contains('is-error')).toBe(true)
    const sourceFormItem = wrapper.findAllComponents(ElFormItem).find((c) => c.props('label') === '来源通知')!
    expect(sourceFormItem.props('error')).toBe('缺少来源（source），请填写国务院办公厅通知的标题和文号')
    expect(body.querySelector('[data-test="editor-summary"]')?.textContent).toContain('有 2 处需要修改')
    wrapper.unmount()
  })
})
