// 问题销号审核流程 through the pages: a department head (区城市管理局) sees the
// chain but cannot edit it; 区司法局 (finding.config) opens the JSON editor, a bad step
// kind and an unknown role are refused with Chinese messages by step and the
// text stays as typed; nothing is saved. The home page shows the demo
// ledger's figures.
import { assert, screenshot } from './lib.mjs'
import { loginAs, waitText } from './flows.mjs'

export const tests = [
  {
    name: '问题销号审核流程：只读查看、JSON 编辑器校验错误按步骤列出、不保存',
    async run({ page, baseURL }) {
      // 区城市管理局 has one open finding in the demo (未取得执法证件上岗).
      await loginAs(page, baseURL, 'head_cgj')
      const figure = page.locator('.el-card, .stat-card', { hasText: '未销号问题' }).first()
      await waitText(figure, /未销号问题\s*[1-9]/)
      await page.goto(`${baseURL}/findings/chains`)
      await page.getByText('责任单位负责人审核').first().waitFor()
      assert((await page.getByRole('button', { name: '修改' }).count()) === 0, 'a head may not edit the chain')

      await loginAs(page, baseURL, 'sifaju')
      await page.goto(`${baseURL}/findings/chains`)
      await page.getByText('超期督办：司法局监督审核人员').first().waitFor()
      const header = await page.locator('.el-card__header').first().innerText()
      const version = /第 (\d+) 版/.exec(header)?.[1]
      assert(version, `version in header: ${header}`)
      await page.getByRole('button', { name: '修改' }).click()
      const editor = page.locator('textarea[data-test="definition"]')
      await editor.waitFor()
      const def = JSON.parse(await editor.inputValue())
      def.steps[0].kind = 'every'
      def.steps[1].assignees = [{ role: 'supervisr' }]
      const typed = JSON.stringify(def, null, 2)
      await editor.fill(typed)
      await page.locator('[data-test="save"]').click()
      const problems = page.locator('[data-test="problems"]')
      await waitText(problems, '第1步 · kind')
      await waitText(problems, '审批方式须为 single')
      await waitText(problems, '第2步 · assignees[0]')
      await waitText(problems, '角色 supervisr 不存在')
      await screenshot(page, 'finding-chain-refused')
      assert((await editor.inputValue()) === typed, 'the typed definition was kept')

      // Broken JSON never leaves the page.
      await editor.fill('{"code": "finding.closeout",')
      await page.locator('[data-test="save"]').click()
      await waitText(problems, '不是有效的 JSON')

      await page.reload()
      await page.getByText('超期督办：司法局监督审核人员').first().waitFor()
      const after = await page.locator('.el-card__header').first().innerText()
      assert(after.includes(`第 ${version} 版`), `nothing saved: ${after}`)
      await screenshot(page, 'finding-chains')
    },
  },
]
