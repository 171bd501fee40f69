// Switching the console's language, in Asia/Tokyo on 1 December 2026: the header's switch
// (English | 日本語, radio buttons, so keyboard reachable) changes every text of the shell and the
// open view at once, and the dates with them (job list, calendar title, weekdays from Monday,
// a day as 2026年12月1日(火), a weekly schedule's days); `<html lang>` follows; the choice is
// remembered, and a console opened later starts in it.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../renderer/src/App.vue';
import { createConsoleI18n } from '../../renderer/src/i18n';
import { initialLocale, LOCALE_STORAGE_KEY } from '../../renderer/src/i18n/locale';
import ScheduleView from '../../renderer/src/schedule/ScheduleView.vue';
import { useSiteStore } from '../../renderer/src/stores/site';
import { demoHandlers, schedule } from './fixtures';
import { consoleI18n, mountWith, settle, setup } from './mount';
import { calendarHandlers, planned } from './schedule/calendarFixtures';

const zone = process.env.TZ;
process.env.TZ = 'Asia/Tokyo';
afterAll(() => {
  process.env.TZ = zone;
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-01T03:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  window.location.hash = '';
  localStorage.clear();
  document.documentElement.lang = 'en';
  document.body.innerHTML = '';
});

describe('the language switch', () => {
  it('sits in the header as English | 日本語, and switches the shell and the open view at once', async () => {
    window.location.hash = '#/jobs';
    const { pinia } = setup(demoHandlers());
    const i18n = consoleI18n();
    const wrapper = mountWith(App, pinia, { global: { plugins: [pinia, i18n] } });
    await settle();
    const header = wrapper.find('header.top');
    const choices = header.findAll('.language-switch label');
    expect(choices.map((c) => [c.text(), c.attributes('lang')])).toEqual([
      ['English', 'en'],
      ['日本語', 'ja'],
    ]);
    // Radio buttons in a named group: Tab reaches the chosen one, arrow keys change it.
    expect(header.find('.language-switch legend').text()).toBe('Language');
    const radios = header.findAll<HTMLInputElement>('.language-switch input[type="radio"]');
    expect(radios.map((r) => [r.element.value, r.element.checked, r.attributes('tabindex')])).toEqual([
      ['en', true, undefined],
      ['ja', false, undefined],
    ]);
    // Beside the theme switch.
    expect(header.find('.language-switch + .theme-switch').exists()).toBe(true);
    expect(wrapper.find('h1').text()).toBe('Jobs');
    expect(wrapper.find('[data-status="running"]').text()).toBe('No job running');
    expect(document.documentElement.lang).toBe('en');
    const listed = wrapper.find('tr[data-job="6"]').text();
    expect(listed).toContain('Dec 1');

    await radios[1]!.setValue(true);
    await settle();
    expect(i18n.global.locale.value).toBe('ja');
    expect(document.documentElement.lang).toBe('ja');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('ja');
    const nav = wrapper.findAll('nav.app-nav a').map((a) => a.text());
    expect(nav).toEqual(expect.arrayContaining(['概要', 'スケジュール', 'SAN', 'ジョブ', 'リストア', 'インベントリ', 'ログ']));
    expect(nav.filter((text) => /^[A-Za-z ]+$/.test(text) && text !== 'SAN')).toEqual([]);
    expect(wrapper.find('h1').text()).toBe('ジョブ');
    expect(wrapper.find('[data-status="running"]').text()).toBe('実行中のジョブなし');
    expect(wrapper.find('.language-switch legend').text()).toBe('表示言語');
    expect(wrapper.findAll('.theme-switch label').map((l) => l.text())).toEqual(['システム', 'ライト', 'ダーク']);
    // The list's dates are Japanese now (16:00 in Tokyo), and its states.
    const row = wrapper.find('tr[data-job="6"]').text();
    expect(row).toContain('12月1日 16:00');
    expect(row).toContain('成功');
    expect(row).not.toContain('Dec');
    // The language names stay in their own language.
    expect(wrapper.findAll('.language-switch label').map((c) => c.text())).toEqual(['English', '日本語']);

    await wrapper.findAll<HTMLInputElement>('.language-switch input')[0]!.setValue(true);
    await settle();
    expect(wrapper.find('h1').text()).toBe('Jobs');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    wrapper.unmount();
  });

  it('is remembered: the console opens in the language chosen last, whatever the system\'s', async () => {
    const first = setup(demoHandlers());
    const i18n = consoleI18n();
    const wrapper = mountWith(App, first.pinia, { global: { plugins: [first.pinia, i18n] } });
    await settle();
    await wrapper.findAll<HTMLInputElement>('.language-switch input')[1]!.setValue(true);
    await settle();
    wrapper.unmount();

    // As main.ts makes it on the next start (the browser says English).
    expect(initialLocale({ language: 'en-US', languages: ['en-US'] })).toBe('ja');
    const again = setup(demoHandlers());
    const reopened = createConsoleI18n({ locale: initialLocale({ languages: ['en-US'] }) });
    const next = mountWith(App, again.pinia, { global: { plugins: [again.pinia, reopened] } });
    await settle();
    expect(next.find('h1').text()).toBe('概要');
    expect(next.findAll<HTMLInputElement>('.language-switch input').map((r) => r.element.checked)).toEqual([false, true]);
    expect(document.documentElement.lang).toBe('ja');
    expect(next.find('[data-status="problems"]').text()).toBe('失敗・縮退したジョブ 1 件 (24 時間以内)');
    next.unmount();
  });

  it('opens in Japanese on a Japanese system when nothing was chosen', async () => {
    const { pinia } = setup(demoHandlers());
    const i18n = createConsoleI18n({ locale: initialLocale({ language: 'ja-JP', languages: ['ja-JP', 'ja', 'en-US'] }) });
    const wrapper = mountWith(App, pinia, { global: { plugins: [pinia, i18n] } });
    await settle();
    expect(wrapper.find('h1').text()).toBe('概要');
    expect(wrapper.find('section.health').text()).toContain('バックアップサーバーによる独立系統');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBeNull();
    wrapper.unmount();
  });
});

describe('the calendar in Japanese', () => {
  it('writes months, weekdays (from Monday), days and schedules as Japanese does, and back', async () => {
    const { pinia } = setup(
      calendarHandlers({
        schedules: [schedule(1, { when: { kind: 'weekly', days: ['mon', 'wed', 'fri'], time: '22:00' } })],
        forecast: [planned(1, '2026-12-01T13:00:00.000Z')],
        runs: [],
        jobs: [],
      }),
    );
    await useSiteStore().load();
    const i18n = consoleI18n();
    const wrapper = mountWith(ScheduleView, pinia, { global: { plugins: [pinia, i18n] } });
    await settle();
    const title = () => wrapper.find('.range-title').text();
    const weekdays = () => wrapper.findAll('.weekday[role="columnheader"]').map((w) => w.text());
    expect(title()).toBe('December 2026');
    expect(weekdays()).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(wrapper.find('tr[data-schedule="1"]').text()).toContain('Weekly on Mon, Wed, Fri at 22:00');

    i18n.global.locale.value = 'ja';
    await settle();
    expect(title()).toBe('2026年12月');
    expect(weekdays()).toEqual(['月', '火', '水', '木', '金', '土', '日']);
    expect(wrapper.find('tr[data-schedule="1"]').text()).toContain('毎週 月、水、金 22:00');
    // A day of the month says its date with the weekday (22:00 in Tokyo is the run's local time).
    const first = wrapper.find('[data-day="2026-12-01"] button[aria-label]');
    expect(first.attributes('aria-label')).toMatch(/^2026年12月1日\(火\): 実行 1 件。日を表示します。$/);
    await wrapper.find('button[data-calendar-view="day"]').trigger('click');
    await settle();
    expect(title()).toBe('2026年12月1日(火)');
    expect(wrapper.find('[data-run]').attributes('aria-label')).toContain('予定: 22:00 X:');

    i18n.global.locale.value = 'en';
    await settle();
    expect(title()).toBe('Tuesday, December 1, 2026');
    wrapper.unmount();
  });
});
