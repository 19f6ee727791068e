// The NOC page in headless Chromium (Debian's, driven by playwright-core): a span cut turns the
// span red and lists the incident without a reload; an engineer confirms a switchover from the
// page; the 500-ring topology stays usable. Screenshots go to test-artifacts/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import { resolveConfig } from '../src/cli/config.js';
import { startService, type Service } from '../src/service.js';
import { DEMO } from './helpers/harness.js';
import { freeTcpPort, freeUdpPort, hasTool, itWith } from './helpers/env.js';

const ROOT = new URL('..', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const it = itWith(['chromium']);

async function service(topology: string, env: NodeJS.ProcessEnv = {}): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-web-'));
  const cfg = resolveConfig({ db: join(dir, 'rg.db'), httpPort: String(await freeTcpPort()), trapPort: String(await freeUdpPort()), holdDownMs: '300', topology }, {});
  return startService(cfg, pino({ level: 'silent' }), env);
}

describe('NOC page', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The page the tests load is the one built from the current sources.
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.web.json')]);
    execFileSync(process.execPath, [join(ROOT, 'scripts/postbuild.mjs')]);
    if (hasTool('chromium')) {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows a span cut live, and confirms a switchover from the page', async () => {
    const svc = await service(DEMO, { RINGGUARD_API_TOKENS: 'engineer:eng-secret,viewer:view-secret' });
    const page = await browser!.newPage({ viewport: { width: 1500, height: 1000 } });
    try {
      await page.goto(`http://127.0.0.1:${svc.httpPort}/`);
      // No token yet: the API answers 401 and the page says it is not live.
      await page.waitForSelector('#conn[data-state="offline"]', { timeout: 10_000 });
      await page.fill('#token', 'eng-secret');
      await page.dispatchEvent('#token', 'change');
      await page.waitForSelector('#conn[data-state="live"]', { timeout: 10_000 });
      expect(await page.textContent('h2[data-i18n="incidents"]')).toBe('当前故障');
      expect(await page.getAttribute('line[data-span="S-A1-A2"]', 'data-status')).toBe('ok');

      // Both fibres of S-A1-A2 cut; the ring does not report a switch.
      const sender = new TrapSender({ host: '127.0.0.1', port: svc.trapPort });
      await sender.notify({ kind: 'raise', node: 'XT-A1', object: '1-1', alarmName: 'R_LOS', severity: 'critical', eventTime: Date.now(), serial: 1 });
      await sender.notify({ kind: 'raise', node: 'XT-A2', object: '2-1', alarmName: 'R_LOS', severity: 'critical', eventTime: Date.now(), serial: 1 });
      await sender.notify({ kind: 'raise', node: 'XT-A3', object: '4-1:1', alarmName: 'TU_AIS', severity: 'major', eventTime: Date.now(), serial: 1 });
      sender.close();
      await page.waitForSelector('line[data-span="S-A1-A2"][data-status="cut"]', { timeout: 10_000 });
      await page.waitForSelector('li[data-kind="span-cut"][data-priority="P2"]', { timeout: 10_000 });
      await page.waitForSelector('tr[data-circuit="CKT-0001"][data-state="switch-required"]', { timeout: 10_000 });
      // Suppressed alarms are there to expand.
      await page.click('li[data-kind="span-cut"] summary');
      await page.waitForSelector('li[data-kind="span-cut"] li.sup', { timeout: 5000 });
      expect(await page.getAttribute('#conn', 'data-state')).toBe('live');
      await page.screenshot({ path: join(ARTIFACTS, 'noc-span-cut.png') });

      page.once('dialog', (d) => void d.accept('eng-li'));
      await page.click('button.confirm[data-circuit="CKT-0001"]');
      await page.waitForSelector('tr[data-circuit="CKT-0001"][data-state="on-protection"]', { timeout: 10_000 });
      expect(await page.textContent('tr[data-circuit="CKT-0001"] td.state')).toContain('eng-li');
      expect(svc.store.getCircuit('CKT-0001')).toMatchObject({ state: 'on-protection', confirmedBy: 'eng-li' });
      await page.screenshot({ path: join(ARTIFACTS, 'noc-confirmed.png') });

      await page.click('#lang');
      await page.waitForFunction(() => document.querySelector('h2[data-i18n="incidents"]')?.textContent === 'Open incidents');
      expect(await page.textContent('tr[data-circuit="CKT-0001"] td.state')).toContain('on protection');
    } finally {
      await page.close();
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
      await sender.notify({ kind: 'raise', node: 'R317-N3', object: '1-1', alarmName: 'R_LOS', eventTime: Date.now(), serial: 1 });
      await sender.notify({ kind: 'raise', node: 'R317-N4', object: '2-1', alarmName: 'R_LOS', eventTime: Date.now(), serial: 1 });
      sender.close();
      await page.fill('#ring-search', '');
      await page.waitForSelector('.ring[data-ring="RING-317"] line[data-span="S-R317-N3-R317-N4"][data-status="cut"]', { timeout: 15_000 });
      expect(await page.locator('.ring').count()).toBe(1);
      await page.screenshot({ path: join(ARTIFACTS, 'noc-scale.png') });
    } finally {
      await page.close();
      await svc.stop();
    }
  }, 90_000);
});
