// The console's messages: modules merge deeply per language (the SAN graph's among them when it
// is built), a key defined twice keeps the first text and is reported; every state the contract
// knows has a look and an English label; every English message compiles and renders.
import { describe, expect, it, vi } from 'vitest';
import { BackupState, CopyState, EventLevel, JobState, ResourceState, ScheduleRunState, StreamStatus } from '../../engine/contract';
import { createConsoleI18n, mergeMessages, OWN_MESSAGES, SAN_MESSAGES, type MessageTree } from '../../renderer/src/i18n';
import { STATE_DOMAINS, stateLook, stateValues } from '../../renderer/src/ui/states';

function leaves(tree: MessageTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : leaves(value, `${prefix}${key}.`)));
}

describe('messages', () => {
  it('merge per language and deeply, keeping the first text of a conflicting key', () => {
    const { messages, conflicts } = mergeMessages([
      { en: { a: { b: 'one', c: 'two' } } },
      { en: { a: { d: 'three' }, san: { title: 'SAN' } }, ja: { a: { b: 'ichi' } } },
      { en: { a: { b: 'other' } } },
    ]);
    expect(messages).toEqual({ en: { a: { b: 'one', c: 'two', d: 'three' }, san: { title: 'SAN' } }, ja: { a: { b: 'ichi' } } });
    expect(conflicts).toEqual(['a.b']);
  });

  it('of the console and of the SAN graph do not clash', () => {
    expect(mergeMessages([...OWN_MESSAGES, ...SAN_MESSAGES]).conflicts).toEqual([]);
  });

  it('include the SAN graph\'s when it is built', () => {
    const i18n = createConsoleI18n();
    for (const module of SAN_MESSAGES) {
      for (const key of leaves(module.en ?? {}).slice(0, 5)) expect(i18n.global.te(key)).toBe(true);
    }
  });

  it('label every state of the contract, with a tone and an icon', () => {
    const domains: Record<string, readonly string[]> = {
      resource: ResourceState.options,
      job: JobState.options,
      stream: StreamStatus.options,
      backup: BackupState.options,
      copy: CopyState.options,
      level: EventLevel.options,
      run: ScheduleRunState.options,
      enabled: ['enabled', 'disabled'],
    };
    expect([...STATE_DOMAINS].sort()).toEqual(Object.keys(domains).sort());
    const i18n = createConsoleI18n({ modules: OWN_MESSAGES });
    for (const [domain, values] of Object.entries(domains)) {
      expect(stateValues(domain as never).sort()).toEqual([...values].sort());
      for (const value of values) {
        expect(stateLook(domain as never, value).icon).toBeTruthy();
        expect(i18n.global.te(`states.${domain}.${value}`), `states.${domain}.${value}`).toBe(true);
      }
    }
  });

  it('all compile and render without warnings', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const i18n = createConsoleI18n({ modules: OWN_MESSAGES });
      const { messages } = mergeMessages(OWN_MESSAGES);
      const keys = leaves(messages.en!);
      expect(keys.length).toBeGreaterThan(200);
      const params = new Proxy({}, { get: (_t, name) => `<${String(name)}>`, has: () => true });
      for (const key of keys) {
        const text = i18n.global.t(key, params as Record<string, unknown>);
        expect(text, key).not.toBe(key);
        expect(text, key).not.toMatch(/[{}]/);
      }
      expect(warn).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
