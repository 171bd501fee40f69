// The operator console in Japanese, end to end: the built renderer in Chromium (a Japanese
// system: navigator.language ja-JP, Asia/Tokyo) over `mpbackup serve` on a demo site with history
// (a mirrored backup, a failover backup whose copy device crashed, a mirrored one ended degraded)
// and a backup server out of service. It opens in Japanese by itself; every view, in the light and
// the dark theme, shows no raw message key and no English text of the console's messages where
// a Japanese one exists (the engine's own messages, the site's name, device names and paths stay as
// they are: the site's name is marked translate="no"), with
// `<html lang="ja">`; screenshots of each, and of the forms, the calendar's week and day, the SAN
// graph's choices and details, a restore's plan and report, in test/e2e/artifacts/ (ui-ja-*).
// On an English system the language is switched from the keyboard and is remembered.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/child';
import { go, type History, inPage, makeHistorySite, screenshot, useConsole } from './console';

const WIDTH = 1400;
/** Text that looks like a message key of the console left unrendered (the file site.json is no key). */
const RAW_KEY = /\b(?!site\.json\b)(?:shell|common|states|kinds|kind|modes|jobKinds|failures|overview|jobs|inventory|schedule|restore|log|san|site)\.[a-z][A-Za-z]*(?:\.[A-Za-z-]+)*\b/;

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
}

/** Every message module of the renderer (`{ en, ja }` exports of its i18n modules, whoever added them). */
async function messageModules(): Promise<{ en: Tree; ja?: Tree }[]> {
  const src = path.join(ROOT, 'renderer/src');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.ts$/.test(entry.name) && (path.dirname(file) === path.join(src, 'i18n') || /messages\.ts$/.test(entry.name))) files.push(file);
    }
  };
  walk(src);
  const modules: { en: Tree; ja?: Tree }[] = [];
  for (const file of files) {
    const exports = (await import(file)) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (value && typeof value === 'object' && 'en' in value) modules.push(value as { en: Tree; ja?: Tree });
    }
  }
  return modules;
}

/** The names the Site view proposes for a new device (`FC switch {n}`): given, they are the site's data, as the demo site's English names are. */
const NAME_PROPOSALS = /^site\.devices\.newName\./;

/**
 * The English texts of the console that have a Japanese one of their own, as patterns a whole
 * text on the page would match; only those with a word of three letters or more besides
 * placeholders, so units and symbols (`{n} MiB/s`) do not count. Placeholders match anything
 * where the text has two words of its own or more; in a one-word text they match a number only
 * (`Job {id}` is "Job 12", while "Backup server A" is a device's name, not `Backup {id}`).
 */
async function englishPatterns(): Promise<{ key: string; pattern: RegExp }[]> {
  const patterns: { key: string; pattern: RegExp }[] = [];
  for (const module of await messageModules()) {
    const ja = new Map(leaves(module.ja ?? {}));
    for (const [key, english] of leaves(module.en)) {
      if (ja.get(key) === english || NAME_PROPOSALS.test(key)) continue;
      for (const form of english.split('|').map((f) => f.trim())) {
        const literal = form.replace(/\{[^}]*\}/g, ' ');
        if (!/[A-Za-z]{3,}/.test(literal)) continue;
        const words = literal.match(/[A-Za-z]{2,}/g) ?? [];
        const source = form
          .split(/\{\s*[A-Za-z_$][\w$]*\s*\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join(words.length >= 2 ? '.+?' : '[\\d,.]+');
        patterns.push({ key, pattern: new RegExp(`^${source}$`) });
      }
    }
  }
  return patterns;
}

/** Texts the page shows or says: each text node, each element's own text, labels and titles. */
const PAGE_TEXTS = `(() => {
  const out = new Set();
  const skip = (el) => el.closest('[data-engine-text], [translate="no"], .message, td.msg, .reason, .error, .mono, code, option, datalist, script, style, .visually-hidden[aria-live]');
  const walker = document.createTreeWalker(document.getElementById('app'), NodeFilter.SHOW_ELEMENT);
  for (let el = walker.currentNode; el; el = walker.nextNode()) {
    if (skip(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.add(value.trim());
    }
    let own = '';
    for (const child of el.childNodes) {
      if (child.nodeType === 3) {
        own += child.textContent;
        const text = child.textContent.trim();
        if (text) out.add(text);
      }
    }
    own = own.replace(/\\s+/g, ' ').trim();
    if (own) out.add(own);
  }
  return [...out];
})()`;

describe('the operator console in Japanese, in Chromium', () => {
  let history: History;
  let english: { key: string; pattern: RegExp }[];

  const app = useConsole('mpb-e2e-ja-', async (dir) => {
    const site = path.join(dir, 'site');
    history = await makeHistorySite(site);
    return site;
  });
  beforeAll(async () => {
    english = await englishPatterns();
    expect(english.length).toBeGreaterThan(400);
  }, 120_000);

  async function open(colorScheme: 'light' | 'dark', locale = 'ja-JP'): Promise<{ page: Page; errors: string[] }> {
    const page = await app.browser.newPage({ viewport: { width: WIDTH, height: 900 }, colorScheme, locale, timezoneId: 'Asia/Tokyo' });
    return { page, errors: await app.load(page) };
  }

  /** The console's English texts the page shows, with their message keys. */
  async function englishOn(page: Page): Promise<string[]> {
    const texts = await inPage<string[]>(page, PAGE_TEXTS);
    const found: string[] = [];
    for (const text of texts) {
      const hit = english.find((e) => e.pattern.test(text));
      if (hit) found.push(`${hit.key}: ${text}`);
    }
    return found;
  }

  /** The view is in Japanese: no raw key, no English message text, no error. */
  async function checkJapanese(page: Page, name: string): Promise<void> {
    const text = await page.locator('#app').innerText();
    expect(text, `${name}: a message key is shown raw`).not.toMatch(RAW_KEY);
    expect(await englishOn(page), `${name}: English texts of the console`).toEqual([]);
    expect(await page.locator('[role="alert"]').count(), `${name}: an error is shown`).toBe(0);
  }

  it('opens in Japanese on a Japanese system and shows every view in it, in both themes', async () => {
    const views: { hash: string; name: string; heading: string; ready: string }[] = [
      { hash: '#/overview', name: 'overview', heading: '概要', ready: '[data-mode="failover"] .count' },
      { hash: '#/schedule', name: 'schedule', heading: 'スケジュール', ready: 'tr[data-schedule]' },
      { hash: '#/san', name: 'san', heading: 'SAN', ready: 'svg.san-graph' },
      { hash: '#/jobs', name: 'jobs', heading: 'ジョブ', ready: 'tr[data-job]' },
      { hash: `#/jobs/${history.failoverJob}`, name: 'job-failover', heading: `ジョブ ${history.failoverJob} · /movies のバックアップ`, ready: '.chunk-map .failover' },
      { hash: `#/jobs/${history.degradedJob}`, name: 'job-degraded', heading: `ジョブ ${history.degradedJob} · X: のバックアップ`, ready: '.chunk-map .segment' },
      { hash: '#/restore', name: 'restore', heading: 'リストア', ready: 'tr[data-backup]' },
      { hash: '#/inventory', name: 'inventory', heading: 'インベントリ', ready: 'tr[data-tape="A00001"] .held a' },
      { hash: '#/site', name: 'site', heading: 'サイト', ready: '[data-device-index]' },
      { hash: '#/log', name: 'log', heading: 'イベントログ', ready: 'tr[data-level="warning"]' },
    ];
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await open(scheme);
      expect(await inPage(page, 'document.documentElement.lang')).toBe('ja');
      expect(await page.locator('.language-switch input[value="ja"]').isChecked()).toBe(true);
      expect(await page.locator('[data-status="unavailable"]').innerText()).toBe('使用不可のデバイス 1 台');
      expect(await page.locator('[data-status="problems"]').innerText()).toBe('失敗・縮退したジョブ 1 件 (24 時間以内)');
      for (const view of views) {
        await go(page, view.hash);
        await expect.poll(() => page.locator('#main h1').first().innerText(), { timeout: 15_000 }).toEqual(view.heading);
        await page.locator(view.ready).first().waitFor({ timeout: 15_000 });
        await page.waitForTimeout(300);
        await checkJapanese(page, `${view.name} (${scheme})`);
        await screenshot(page, `ui-ja-${view.name}-${scheme}`);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
    expect(app.stderr).toBe('');
  });

  it('writes dates as Japanese does, and the job pages in Japanese', async () => {
    const { page, errors } = await open('light');
    await go(page, `#/jobs/${history.failoverJob}`);
    await page.locator('.chunk-map .failover').waitFor();
    const streams = page.locator('li.stream');
    await expect.poll(() => streams.count()).toBe(2);
    expect(await streams.nth(0).innerText()).toMatch(/系統 0\s+失敗/);
    expect(await streams.nth(1).innerText()).toMatch(/系統 1\s+完了/);
    expect(await page.locator('.chunk-map').innerText()).toContain('チャンク 3 で系統 0 が失敗し、系統 1 がそのチャンクから続行しました。');
    // A full date with its weekday: 2026年12月1日(火) 22:05:09.
    const facts = await page.locator('#main dl').first().innerText();
    expect(facts).toMatch(/\d{4}年\d{1,2}月\d{1,2}日\([月火水木金土日]\) \d{2}:\d{2}:\d{2}/);
    await go(page, '#/schedule');
    await page.locator('tr[data-schedule]').first().waitFor();
    expect(await page.locator('.range-title').innerText()).toMatch(/^\d{4}年\d{1,2}月$/);
    expect(await page.locator('.weekday[role="columnheader"]').allInnerTexts()).toEqual(['月', '火', '水', '木', '金', '土', '日']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the forms, the calendar\'s week and day, and the SAN graph\'s choices in Japanese', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await open(scheme);
      await go(page, '#/jobs');
      await page.getByRole('button', { name: 'バックアップを開始…' }).click();
      await page.getByLabel('対象', { exact: true }).waitFor();
      await checkJapanese(page, `start backup (${scheme})`);
      await screenshot(page, `ui-ja-jobs-start-${scheme}`);

      await go(page, '#/schedule');
      await page.locator('tr[data-schedule]').first().waitFor();
      await page.getByRole('button', { name: '新しいスケジュール…' }).click();
      await page.locator('.schedule-form').waitFor();
      await page.locator('.schedule-form label.kind', { hasText: '毎週' }).click();
      await checkJapanese(page, `schedule form (${scheme})`);
      await screenshot(page, `ui-ja-schedule-form-${scheme}`);
      await page.locator('.schedule-form').getByRole('button', { name: 'キャンセル' }).click();
      // Tomorrow's runs are all still to come (the demo's schedules run in the morning, Tokyo time).
      const tomorrow = await inPage<string>(page, '(() => { const d = new Date(); d.setDate(d.getDate() + 1); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`; })()');
      for (const view of ['week', 'day'] as const) {
        await go(page, `#/schedule/${view}/${tomorrow}`);
        await page.locator(`section.calendar[data-calendar-view="${view}"] .run`).first().waitFor({ timeout: 15_000 });
        await page.waitForTimeout(200);
        await checkJapanese(page, `schedule ${view} (${scheme})`);
        await screenshot(page, `ui-ja-schedule-${view}-${scheme}`);
      }
      await page.locator('section.calendar[data-calendar-view="day"] .run').first().click();
      await page.waitForTimeout(200);
      await checkJapanese(page, `run details (${scheme})`);
      await screenshot(page, `ui-ja-schedule-details-${scheme}`);

      await go(page, '#/inventory');
      await page.locator('details.label summary', { hasText: '新しいテープにラベルを付ける…' }).first().click();
      await page.waitForTimeout(200);
      await checkJapanese(page, `label tape (${scheme})`);
      await screenshot(page, `ui-ja-inventory-label-${scheme}`);

      await go(page, '#/san');
      const node = (id: string) => page.locator(`.san-graph .node[aria-label*="(${id})"]`);
      await node('server-A').waitFor({ timeout: 20_000 });
      await page.locator('[data-test=target]').selectOption('X:');
      await page.locator('label:has(input[name=san-tool][value=pin])').click();
      await page.locator('[data-test=tool-stream]').selectOption('0');
      await node('server-A').click();
      await page.locator('label:has(input[name=san-tool][value=exclude])').click();
      await page.locator('[data-test=tool-stream]').selectOption('1');
      await node('switch-4').click();
      await expect.poll(() => page.locator('.route.planned').count(), { timeout: 10_000 }).toBe(2);
      await page.locator('label:has(input[name=san-tool][value=details])').click();
      await node('library-A').click();
      await page.locator('.san-details').waitFor();
      await page.waitForTimeout(300);
      await checkJapanese(page, `san plan and details (${scheme})`);
      await screenshot(page, `ui-ja-san-plan-${scheme}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('plans and runs a restore in Japanese, to its report', async () => {
    const { page, errors } = await open('light');
    await go(page, '#/restore/%2Fpictures');
    const backup = page.locator('tr[data-backup]').first();
    await backup.waitFor({ timeout: 15_000 });
    await backup.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'バックアップ全体をリストアに追加' }).click();
    await page.locator('[data-basket] li[data-item]').first().waitFor();
    await page.locator('[data-destination]').fill(path.join(app.dir, 'restored'));
    await page.locator('[data-check-plan]').click();
    await page.locator('table.tape-order tbody tr').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await checkJapanese(page, 'restore plan');
    await screenshot(page, 'ui-ja-restore-plan-light');
    await page.locator('[data-run]').click();
    await page.locator('[data-report]').waitFor({ timeout: 45_000 });
    expect(await page.locator('[data-restore-job] .badge').first().innerText()).toBe('成功');
    await checkJapanese(page, 'restore report');
    await screenshot(page, 'ui-ja-restore-report-light');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches language from the keyboard on an English system and remembers it', async () => {
    const { page, errors } = await open('light', 'en-US');
    expect(await inPage(page, 'document.documentElement.lang')).toBe('en');
    expect(await page.locator('#main h1').innerText()).toBe('Overview');
    // Tab from the skip link to the language switch (the checked radio button is its stop).
    await page.keyboard.press('Tab');
    let focused = '';
    for (let i = 0; i < 10 && focused !== 'language en'; i++) {
      await page.keyboard.press('Tab');
      focused = await inPage<string>(page, '`${document.activeElement?.name} ${document.activeElement?.value}`');
    }
    expect(focused).toBe('language en');
    expect(await inPage(page, 'getComputedStyle(document.activeElement.parentElement).outlineStyle')).toBe('solid');
    await screenshot(page, 'ui-ja-switch-focus-light');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('#main h1').innerText()).toBe('概要');
    expect(await inPage(page, 'document.documentElement.lang')).toBe('ja');
    expect(await inPage(page, 'localStorage.getItem("mpbackup.locale")')).toBe('ja');
    // Come back the way the operator did (the address has lost its token): still Japanese.
    await page.goto(app.url);
    await page.locator('footer.status-bar').waitFor();
    expect(await page.locator('#main h1').innerText()).toBe('概要');
    expect(await page.locator('[data-status="unavailable"]').innerText()).toBe('使用不可のデバイス 1 台');
    // A view already drawn follows a switch too: the SAN graph's layers and devices.
    await go(page, '#/san');
    await page.locator('svg.san-graph .node').first().waitFor({ timeout: 20_000 });
    const layers = () => page.locator('svg.san-graph .titles').textContent();
    expect(await layers()).toContain('FCスイッチ');
    await page.locator('.language-switch label', { hasText: 'English' }).click();
    await expect.poll(() => page.locator('#main h1').innerText()).toBe('SAN');
    await expect.poll(layers).toContain('FC switches');
    expect(await page.locator('svg.san-graph .node title').first().textContent()).not.toMatch(/[\u3040-\u30ff]/);
    expect(await inPage(page, 'localStorage.getItem("mpbackup.locale")')).toBe('en');
    expect(errors).toEqual([]);
    await page.close();
  });
});
