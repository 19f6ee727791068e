// The NOC page in headless Chromium (Debian's, driven by playwright-core), at 1600, 1280×720
// and 390 px, against a real service fed real SNMP traps. Assertions are on what is visible
// (rendered text, computed colours, boxes inside the screen), not only on the DOM.
// Screenshots go to test-artifacts/; `npm run screenshots` also writes the README's to docs/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import { resolveConfig } from '../src/cli/config.js';
import { startService, type Service } from '../src/service.js';
import { DEMO } from './helpers/harness.js';
import { freeTcpPort, freeUdpPort, hasTool, itWith } from './helpers/env.js';

const ROOT = new URL('..', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test-artifacts');
const DOCS = process.env.RINGGUARD_SCREENSHOTS === 'docs' ? join(ROOT, 'docs') : null;
const CHROMIUM = '/usr/bin/chromium';
const it = itWith(['chromium']);
const TOKENS = 'engineer:eng-secret,viewer:view-secret';
const RED = 'rgb(229, 72, 77)';

async function service(
  topology: string,
  env: NodeJS.ProcessEnv = {},
  flags: Record<string, string> = {},
): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-web-'));
  const cfg = resolveConfig(
    {
      db: join(dir, 'rg.db'),
      httpPort: String(await freeTcpPort()),
      trapPort: String(await freeUdpPort()),
      holdDownMs: '300',
      switchTimeoutMs: '1500',
      topology,
      ...flags,
    },
    {},
  );
  return startService(cfg, pino({ level: 'silent' }), env);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, name) });
  if (DOCS) copyFileSync(join(ARTIFACTS, name), join(DOCS, name));
}

/** LOS at both ends of a span (a cut), or the clears (the repair). */
async function cut(
  svc: Service,
  ends: Array<[string, string]>,
  kind: 'raise' | 'clear' = 'raise',
  serial = 1,
): Promise<void> {
  const sender = new TrapSender({ host: '127.0.0.1', port: svc.trapPort });
  for (const [node, port] of ends)
    await sender.notify({
      kind,
      node,
      object: port,
      alarmName: 'R_LOS',
      severity: kind === 'raise' ? 'critical' : 'cleared',
      eventTime: Date.now(),
      serial,
    });
  sender.close();
}

/** Opens the page with a token and a name already entered (as a returning operator has them). */
async function open(
  browser: Browser,
  svc: Service,
  viewport: { width: number; height: number },
  query = '',
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.addInitScript(() => {
    localStorage.setItem('rg.token', 'eng-secret');
    localStorage.setItem('rg.name', 'eng-li');
  });
  await page.goto(`http://127.0.0.1:${svc.httpPort}/${query}`);
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 10_000 });
  return page;
}

const stroke = (page: Page, sel: string) => page.$eval(sel, (el) => getComputedStyle(el).stroke);

/** Nothing is wider than the screen: no horizontal scroll, no visible box past the right edge. */
async function fitsWidth(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = window.innerWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > w)
      out.push(`scrollWidth ${document.documentElement.scrollWidth} > ${w}`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.height && getComputedStyle(el).visibility !== 'hidden' && (r.right > w + 1 || r.left < -1))
        out.push(`${el.tagName}#${el.id}.${el.className}: ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return out.slice(0, 10);
  });
}

describe('NOC page', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The page the tests load is the one built from the current sources.
    execFileSync(process.execPath, [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.web.json'),
    ]);
    execFileSync(process.execPath, [join(ROOT, 'scripts/postbuild.mjs')]);
    if (hasTool('chromium')) {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('1600 px: a span cut and a spur cut, P1 first and red, the incident in full, a circuit route drawn', async () => {
    const svc = await service(
      DEMO,
      { RINGGUARD_API_TOKENS: TOKENS },
      { roster: join(ROOT, 'fixtures/roster.example.yaml') },
    );
    const page = await browser!.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await page.goto(`http://127.0.0.1:${svc.httpPort}/`);
      // No token yet: the API answers 401 and the page says so.
      await page.waitForSelector('#conn[data-state="unauthorized"]', { timeout: 10_000 });
      expect(await page.innerText('#conn')).toBe('令牌无效或未填写');
      await page.fill('#token', 'eng-secret');
      await page.dispatchEvent('#token', 'change');
      await page.waitForSelector('#conn[data-state="live"]', { timeout: 10_000 });
      expect(await page.innerText('#role')).toBe('权限：传输工程师');
      expect(await stroke(page, 'line[data-span="S-A5-L1"]')).not.toBe(RED);

      // The spur to the remote base station is cut (two unprotected circuits down: P2), then
      // the busiest core span without a switch (VIP circuits switch-failed after 1.5 s: P1).
      await cut(svc, [
        ['XT-A5', '7-1'],
        ['XT-L1', '1-1'],
      ]);
      await page.waitForSelector('li[data-kind="span-cut"][data-priority="P2"]', { timeout: 10_000 });
      await cut(svc, [
        ['XT-A1', '1-1'],
        ['XT-A2', '2-1'],
      ]);
      const tu = new TrapSender({ host: '127.0.0.1', port: svc.trapPort });
      await tu.notify({
        kind: 'raise',
        node: 'XT-A3',
        object: '4-1:1',
        alarmName: 'TU_AIS',
        severity: 'major',
        eventTime: Date.now(),
        serial: 1,
      });
      tu.close();
      await page.waitForSelector('li[data-kind="span-cut"][data-priority="P1"]', { timeout: 15_000 });
      expect(await stroke(page, 'line[data-span="S-A5-L1"]')).toBe(RED);
      expect(await stroke(page, 'line[data-span="S-A1-A2"]')).toBe(RED);
      expect(await page.isVisible('line[data-span="S-A5-L1"]')).toBe(true);

      // Priority first: the P1 (opened later) above the P2; it stands out in red; the tab says so.
      const items = page.locator('#incidents > li');
      expect(await items.count()).toBe(2);
      expect(await items.nth(0).innerText()).toMatch(/^P1\s*光缆中断\s*S-A1-A2/);
      expect(await items.nth(1).innerText()).toMatch(/^P2\s*光缆中断\s*S-A5-L1/);
      expect(
        await items
          .nth(0)
          .locator('.prio')
          .evaluate((el) => getComputedStyle(el).backgroundColor),
      ).toBe(RED);
      await page.waitForFunction(() => document.title.startsWith('‼ 1 个 P1 · 2 个故障'));
      expect(await page.getAttribute('#favicon', 'data-count')).toBe('1/2');
      const side = await page.innerText('#side');
      expect(side).toMatch(/\d+秒钟前|\d+分钟前/);
      expect(side).not.toMatch(/\b(suppressed|alarms?|ago|seconds?|minutes?)\b|\ds前/);

      // The P1 in full: ticket, priority, escalation, impact, runbook.
      await items.nth(0).locator('button.pick').click();
      const detail = page.locator('#detail-body');
      await detail.locator('ol.runbook li').first().waitFor({ state: 'visible' });
      const facts = await detail.locator('dl.facts').innerText();
      expect(facts).toMatch(/工单\s+TKT-\d+ · 待处理/);
      expect(facts).toMatch(/升级\s+2 级 · 应急预案实施小组/);
      // Who is on duty for level 2, from the roster, as the ticket route gives it.
      expect(await detail.locator('[data-field="contacts"]').innerText()).toMatch(
        /刘工（传输） 13900000001[\s\S]*孙师傅（代维） 13900000002/,
      );
      expect(await detail.locator('tr[data-impact-circuit="CKT-0001"] td.impact').innerText()).toBe('倒换失败');
      expect(await detail.locator('tr[data-impact-circuit="CKT-0001"] td.now').innerText()).toBe('倒换失败');
      expect(await detail.locator('tr[data-impact-circuit="CKT-0007"] td.impact').innerText()).toBe('失去保护');
      expect(await items.nth(0).innerText()).toMatch(/条倒换失败/);
      expect(await detail.locator('[data-switch="CKT-0001"][data-to="protection"]').isVisible()).toBe(true);
      await detail.locator('details.alarms summary').click();
      await detail.locator('details.alarms li.sup').first().waitFor({ state: 'visible', timeout: 5000 });
      expect(await detail.locator('details.alarms li.sup').first().innerText()).toMatch(/^伴随\s+XT-A3 4-1:1 TU-AIS/);

      // Its route: working path solid (active), protection dashed.
      await detail.locator('button[data-route="CKT-0001"]').click();
      await page.waitForSelector('line.route.working.active[data-route-span="S-A1-A2"]');
      expect(
        await page.$eval('line.route.protect[data-route-span="S-A6-A1"]', (el) => getComputedStyle(el).strokeDasharray),
      ).not.toBe('none');
      expect(
        await page.$eval('line.route.working[data-route-span="S-A1-A2"]', (el) => getComputedStyle(el).strokeDasharray),
      ).toBe('none');
      expect(await page.innerText('#route-info')).toContain('CKT-0001 路由');
      await shot(page, 'noc-span-cut.png');

      await page.click('#lang');
      await page.waitForFunction(
        () => document.querySelector('h2[data-i18n="incidents"]')?.textContent === 'Open incidents',
      );
      await page.waitForFunction(() =>
        /level 2 · implementation group/.test(document.querySelector('#detail-body')?.textContent ?? ''),
      );
      expect(await page.innerText('#incidents')).toMatch(/ago/);

      // CKT-0001 switched by hand, then the span repaired: the revertive circuit counts down its WTR.
      const ok = await fetch(`http://127.0.0.1:${svc.httpPort}/api/v1/circuits/CKT-0001/switchover`, {
        method: 'POST',
        headers: { authorization: 'Bearer eng-secret', 'content-type': 'application/json' },
        body: JSON.stringify({ confirmedBy: 'eng-li', to: 'protection' }),
      });
      expect(ok.status).toBe(200);
      await cut(
        svc,
        [
          ['XT-A1', '1-1'],
          ['XT-A2', '2-1'],
        ],
        'clear',
        2,
      );
      await page.waitForSelector('tr[data-circuit="CKT-0001"][data-state="wtr"]', { timeout: 10_000 });
      await page.waitForFunction(() =>
        /^wait-to-restore/.test(
          (document.querySelector('tr[data-circuit="CKT-0001"] td.state') as HTMLElement | null)?.innerText ?? '',
        ),
      );
      expect(await page.innerText('tr[data-circuit="CKT-0001"]')).toMatch(/reverts in (5:00|4:[0-5]\d)/);
    } finally {
      await page.close();
      await svc.stop();
    }
  }, 60_000);

  it('1280×720: the no-switch drill, confirmed to protection from the page and back to working after the repair; the ticket acknowledged', async () => {
    const svc = await service(DEMO, { RINGGUARD_API_TOKENS: TOKENS });
    const page = await open(browser!, svc, { width: 1280, height: 720 });
    try {
      await cut(svc, [
        ['XT-B1', '1-1'],
        ['XT-B2', '2-1'],
      ]);
      await page.waitForSelector('li[data-kind="span-cut"]', { timeout: 10_000 });
      await page.click('li[data-kind="span-cut"] button.pick');
      const confirm = page.locator('#detail-body [data-switch="CKT-0011"][data-to="protection"]');
      await confirm.waitFor({ state: 'visible', timeout: 10_000 });
      await confirm.click();
      // The result is what the service answered: the state before and after, and the path.
      await page.waitForFunction(() =>
        /CKT-0011：.+ → 保护通道运行，现走保护通道/.test(document.querySelector('#result')?.textContent ?? ''),
      );
      expect(await page.isVisible('#result')).toBe(true);
      expect(svc.store.getCircuit('CKT-0011')).toMatchObject({ state: 'on-protection', confirmedBy: 'eng-li' });
      await page.waitForSelector('#detail-body tr[data-impact-circuit="CKT-0011"] td.now[data-state="on-protection"]');
      expect(await page.locator('[data-switch="CKT-0011"][data-to="protection"]').count()).toBe(0);

      // A second screen whose event stream stopped after its first load still offers CKT-0009;
      // another engineer confirms it meanwhile; the service's refusal is shown as it words it.
      const stale = await browser!.newPage({ viewport: { width: 1280, height: 720 } });
      let streams = 0;
      await stale.route('**/api/v1/events', (route) => {
        if (streams++ === 0)
          void route.fulfill({ status: 200, contentType: 'text/event-stream', body: ': connected\n\n' });
      });
      await stale.addInitScript(() => {
        localStorage.setItem('rg.token', 'eng-secret');
        localStorage.setItem('rg.name', 'eng-li');
      });
      await stale.goto(`http://127.0.0.1:${svc.httpPort}/`);
      await stale.click('li[data-kind="span-cut"] button.pick');
      const staleButton = stale.locator('#detail-body [data-switch="CKT-0009"][data-to="protection"]');
      await staleButton.waitFor({ state: 'visible', timeout: 10_000 });
      const other = await fetch(`http://127.0.0.1:${svc.httpPort}/api/v1/circuits/CKT-0009/switchover`, {
        method: 'POST',
        headers: { authorization: 'Bearer eng-secret', 'content-type': 'application/json' },
        body: JSON.stringify({ confirmedBy: 'eng-zhang', to: 'protection' }),
      });
      expect(other.status).toBe(200);
      await staleButton.click();
      await stale.waitForFunction(() => /^失败（409）：.+/.test(document.querySelector('#result')?.textContent ?? ''));
      expect(await stale.getAttribute('#result', 'class')).toBe('err');
      expect(await stale.isVisible('#result')).toBe(true);
      await stale.close();

      await page.click('#detail-body [data-ticket-act="ack"]');
      await page.waitForFunction(() => /已确认（eng-li）/.test(document.querySelector('#result')?.textContent ?? ''));
      expect(await page.innerText('#detail-body [data-field="ticket"]')).toMatch(/已确认 · eng-li 已确认/);
      expect(await page.locator('[data-ticket-act="ack"]').count()).toBe(0);
      const t = svc.store.getTicket(
        svc.store.getIncident((await page.getAttribute('#detail', 'data-selected')) ?? '')!.ticketId!,
      );
      expect(t).toMatchObject({ state: 'acknowledged', ackBy: 'eng-li' });
      await shot(page, 'noc-confirmed.png');

      // The span is repaired: the SNCP circuit is non-revertive and stays on protection until
      // the engineer sends it back to working, from the page.
      await cut(
        svc,
        [
          ['XT-B1', '1-1'],
          ['XT-B2', '2-1'],
        ],
        'clear',
        2,
      );
      const back = page.locator('#detail-body [data-switch="CKT-0011"][data-to="working"]');
      await back.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await back.innerText()).toBe('确认倒回工作');
      await back.click();
      await page.waitForFunction(() =>
        /CKT-0011：保护通道运行 → 正常，现走工作通道/.test(document.querySelector('#result')?.textContent ?? ''),
      );
      expect(svc.store.getCircuit('CKT-0011')).toMatchObject({ state: 'ok', activePath: 'working' });
      expect(await page.locator('[data-switch="CKT-0011"]').count()).toBe(0);
    } finally {
      await page.close();
      await svc.stop();
    }
  }, 60_000);

  it('1600 px: a planned (割接) cut marked and below a real fault; a note and an alarm acknowledged from the page; who is on duty', async () => {
    const svc = await service(
      DEMO,
      { RINGGUARD_API_TOKENS: TOKENS },
      { roster: join(ROOT, 'fixtures/roster.example.yaml') },
    );
    const page = await open(browser!, svc, { width: 1600, height: 1000 });
    try {
      // Who is on duty now, as the service says it, in each group.
      const duty = await (
        await fetch(`http://127.0.0.1:${svc.httpPort}/api/v1/duty`, { headers: { authorization: 'Bearer eng-secret' } })
      ).json();
      await page.waitForSelector('#duty [data-duty-group="duty"]', { state: 'visible', timeout: 10_000 });
      const panel = await page.innerText('#duty-panel');
      expect(panel).toMatch(/^当前值班/);
      expect(panel).toMatch(/1 级 · 24 小时值班[\s\S]*2 级 · 应急预案实施小组[\s\S]*3 级 · 应急领导小组/);
      for (const g of ['duty', 'implementation', 'leadership'] as const) {
        const shown = await page.innerText(`#duty [data-duty-group="${g}"]`);
        for (const p of duty.groups[g].people as Array<{ name: string; phone: string }>)
          expect(shown).toContain(`${p.name} ${p.phone}`);
      }
      expect(await page.innerText('#duty [data-duty-group="duty"] .shift')).toMatch(/^(白班|夜班|临时调班|常驻成员)$/);
      expect(await page.innerText('#duty [data-duty-group="leadership"]')).toContain(
        '周总（应急领导小组） 13700000001',
      );

      // Planned works on the busiest core span, then the cut inside them (P1: VIP circuits fail
      // to switch), and a real cut of the spur (P2).
      const mw = await fetch(`http://127.0.0.1:${svc.httpPort}/api/v1/maintenance`, {
        method: 'POST',
        headers: { authorization: 'Bearer eng-secret', 'content-type': 'application/json' },
        body: JSON.stringify({
          targets: { spans: ['S-A1-A2'] },
          from: new Date(Date.now() - 1000).toISOString(),
          to: new Date(Date.now() + 3_600_000).toISOString(),
          reason: '光缆迁改',
          by: 'eng-li',
        }),
      });
      expect(mw.status).toBe(201);
      await cut(svc, [
        ['XT-A1', '1-1'],
        ['XT-A2', '2-1'],
      ]);
      await page.waitForSelector('li[data-planned="true"][data-priority="P1"]', { timeout: 15_000 });
      await cut(svc, [
        ['XT-A5', '7-1'],
        ['XT-L1', '1-1'],
      ]);
      await page.waitForSelector('li[data-kind="span-cut"][data-priority="P2"]:not([data-planned])', {
        timeout: 10_000,
      });
      const items = page.locator('#incidents > li');
      expect(await items.count()).toBe(2);
      // The real P2 first; the planned P1 after it, marked 割接, not red, not counted as a P1.
      expect(await items.nth(0).innerText()).toMatch(/^P2\s*光缆中断\s*S-A5-L1/);
      expect(await items.nth(1).innerText()).toMatch(/^P1\s*光缆中断\s*S-A1-A2[^\n]*割接\n【割接 MW-1】/);
      expect(await items.nth(1).locator('.planned-tag').isVisible()).toBe(true);
      expect(await items.nth(1).locator('.tk-title').innerText()).toMatch(/^【割接 MW-1】/);
      expect(
        await items
          .nth(1)
          .locator('.pick')
          .evaluate((el) => getComputedStyle(el).backgroundColor),
      ).not.toBe('rgb(58, 20, 23)');
      expect(
        await items
          .nth(0)
          .locator('.pick')
          .evaluate((el) => getComputedStyle(el).borderLeftStyle),
      ).toBe('solid');
      expect(
        await items
          .nth(1)
          .locator('.pick')
          .evaluate((el) => getComputedStyle(el).borderLeftStyle),
      ).toBe('dashed');
      await page.waitForFunction(() => document.title === '1 个故障 — ringguard');
      expect(await page.getAttribute('#favicon', 'data-count')).toBe('0/1');
      await shot(page, 'noc-planned.png');

      // The real fault in full: acknowledge its root alarm, then write a note.
      await items.nth(0).locator('button.pick').click();
      const detail = page.locator('#detail-body');
      await detail.locator('details.alarms summary').click();
      const ackBtn = detail.locator('details.alarms li.root [data-ack-alarm]').first();
      await ackBtn.waitFor({ state: 'visible', timeout: 10_000 });
      const alarmId = (await ackBtn.getAttribute('data-ack-alarm'))!;
      await ackBtn.click();
      await page.waitForFunction(
        (id) => document.querySelector('#result')?.textContent === `告警 ${id} 已确认（eng-li）`,
        alarmId,
      );
      expect(await page.isVisible('#result')).toBe(true);
      expect(await detail.locator(`li[data-alarm="${alarmId}"]`).innerText()).toContain('eng-li 已确认');
      expect(await detail.locator(`[data-ack-alarm="${alarmId}"]`).count()).toBe(0);
      expect(svc.store.getAlarm(alarmId)).toMatchObject({ ackBy: 'eng-li' });

      expect(await page.isVisible('#note-text')).toBe(true);
      await page.fill('#note-text', '已联系代维孙师傅，预计 40 分钟到达');
      await page.click('#note-send');
      await page.waitForFunction(() =>
        /^备注已记入工单 TKT-\d+ 日志$/.test(document.querySelector('#result')?.textContent ?? ''),
      );
      const note = detail.locator('ol.journal li[data-action="note"]').last();
      await note.waitFor({ state: 'visible', timeout: 5000 });
      expect(await note.innerText()).toMatch(/备注 · eng-li\s+已联系代维孙师傅，预计 40 分钟到达/);
      expect(await page.inputValue('#note-text')).toBe('');
      const tk = svc.store.getTicket(
        svc.store.getIncident((await page.getAttribute('#detail', 'data-selected')) ?? '')!.ticketId!,
      )!;
      expect(tk.journal.filter((j) => j.action === 'note')).toMatchObject([
        { by: 'eng-li', text: '已联系代维孙师傅，预计 40 分钟到达' },
      ]);

      // The language switch reconnects and reloads: tickets from the list of open ones, not the
      // whole history through the feed.
      const asked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      const acked = page.waitForRequest((r) => r.url().includes('/api/v1/tickets?state=acknowledged'));
      await page.click('#lang');
      await page.waitForFunction(() =>
        /^On duty now/.test((document.querySelector('#duty-panel') as HTMLElement)?.innerText ?? ''),
      );
      expect(await page.innerText('#duty-panel')).toMatch(/level 1 · NOC duty[\s\S]*level 2 · implementation group/);
      expect(await items.nth(1).innerText()).toMatch(/planned/);
      await acked;
      const tickets = asked.filter((u) => new URL(u).pathname === '/api/v1/tickets').map((u) => new URL(u).search);
      expect(tickets).toEqual(['?state=open&limit=1000', '?state=acknowledged&limit=1000']);
    } finally {
      await page.close();
      await svc.stop();
    }
  }, 90_000);

  it('390 px: incidents first, map below, nothing wider than the screen; wall display has no controls', async () => {
    const svc = await service(DEMO, { RINGGUARD_API_TOKENS: TOKENS });
    const page = await open(browser!, svc, { width: 390, height: 844 });
    const wall = await open(browser!, svc, { width: 1600, height: 900 }, '?wall=1');
    try {
      await cut(svc, [
        ['XT-A1', '1-1'],
        ['XT-A2', '2-1'],
      ]);
      // Base station 017 (XT-A3) loses mains: 240 battery minutes.
      const mains = new TrapSender({ host: '127.0.0.1', port: svc.trapPort });
      await mains.notify({
        kind: 'raise',
        node: 'XT-A3',
        object: '',
        alarmName: 'MAINS_FAIL',
        severity: 'critical',
        eventTime: Date.now(),
        serial: 2,
      });
      mains.close();
      await page.waitForSelector('li[data-kind="span-cut"]', { timeout: 10_000 });
      await page.waitForSelector('line[data-span="S-A1-A2"][data-status="cut"]');
      await page.waitForSelector('g.node[data-node="XT-A3"][data-status="on-battery"]', { timeout: 10_000 });
      expect(await page.$eval('g.node[data-node="XT-A3"] circle.body', (el) => getComputedStyle(el).fill)).toBe(
        'rgb(245, 165, 36)',
      );
      await page.waitForFunction(() =>
        /^电池剩余 3:5\d:\d\d$/.test(
          document.querySelector('g.node[data-node="XT-A3"] .battery-left')?.textContent ?? '',
        ),
      );
      const list = (await page.locator('#incidents').boundingBox())!;
      const map = (await page.locator('#rings-panel').boundingBox())!;
      expect(list.y).toBeLessThan(map.y);
      // No roster loaded: the duty panel says so, below the incidents.
      expect(await page.innerText('#duty')).toBe('未加载值班表（--roster）');
      expect((await page.locator('#duty-panel').boundingBox())!.y).toBeGreaterThan(list.y);
      expect(await fitsWidth(page)).toEqual([]);
      await shot(page, 'noc-phone.png');
      await page.click('li[data-kind="span-cut"] button.pick');
      await page.locator('#detail-body ol.runbook').waitFor({ state: 'visible' });
      expect(await fitsWidth(page)).toEqual([]);
      expect((await page.locator('.ring[data-ring="RING-A"] svg').boundingBox())!.width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(ARTIFACTS, 'noc-phone-detail.png') });

      await wall.waitForSelector('li[data-kind="span-cut"]', { timeout: 10_000 });
      for (const sel of ['#token', '#lang', '#ring-search', '#detail', '.acts button'])
        expect(
          await wall
            .locator(sel)
            .first()
            .isVisible()
            .catch(() => false),
          sel,
        ).toBe(false);
      expect(
        parseFloat(await wall.$eval('#incidents .kind', (el) => getComputedStyle(el).fontSize)),
      ).toBeGreaterThanOrEqual(20);
      await shot(wall, 'noc-wall.png');
    } finally {
      await page.close();
      await wall.close();
      await svc.stop();
    }
  }, 60_000);

  it('stays usable on the generated 500-ring topology (only faulty or searched rings drawn)', async () => {
    const { generateScale } = await import(join(ROOT, 'scripts/gen-scale.mjs'));
    const file = join(mkdtempSync(join(tmpdir(), 'rg-web-scale-')), 'scale.json');
    writeFileSync(file, JSON.stringify(generateScale({ rings: 500, ringSize: 10, circuits: 20_000 })));
    const svc = await service(file);
    const page = await browser!.newPage({ viewport: { width: 1500, height: 1000 } });
    try {
      await page.goto(`http://127.0.0.1:${svc.httpPort}/`);
      await page.waitForSelector('#conn[data-state="live"]', { timeout: 30_000 });
      expect(await page.locator('.ring').count()).toBe(0);
      await page.fill('#ring-search', 'RING-42');
      await page.waitForSelector('.ring[data-ring="RING-42"]', { timeout: 5000 });
      expect(await page.locator('.ring').count()).toBeLessThanOrEqual(12);
      const sender = new TrapSender({ host: '127.0.0.1', port: svc.trapPort });
      await sender.notify({
        kind: 'raise',
        node: 'R317-N3',
        object: '1-1',
        alarmName: 'R_LOS',
        eventTime: Date.now(),
        serial: 1,
      });
      await sender.notify({
        kind: 'raise',
        node: 'R317-N4',
        object: '2-1',
        alarmName: 'R_LOS',
        eventTime: Date.now(),
        serial: 1,
      });
      sender.close();
      await page.fill('#ring-search', '');
      await page.waitForSelector('.ring[data-ring="RING-317"] line[data-span="S-R317-N3-R317-N4"][data-status="cut"]', {
        timeout: 15_000,
      });
      expect(await page.locator('.ring').count()).toBe(1);
      expect(await stroke(page, 'line[data-span="S-R317-N3-R317-N4"]')).toBe(RED);
      await page.screenshot({ path: join(ARTIFACTS, 'noc-scale.png') });
    } finally {
      await page.close();
      await svc.stop();
    }
  }, 90_000);
});
