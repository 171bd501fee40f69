// Mounting renderer components and using stores in tests: a fresh Pinia, the fake engine in the
// API client's place, and the console's vue-i18n whose every missing message key is recorded
// (each test's afterEach asserts there were none).
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, expect } from 'vitest';
import { nextTick, type Component } from 'vue';
import { provideApi } from '../../renderer/src/api/client';
import { createConsoleI18n } from '../../renderer/src/i18n';
import { fakeApi, type FakeApi, type Handlers } from './fakeApi';

const missing: string[] = [];

afterEach(() => {
  const found = missing.splice(0);
  expect(found, 'message keys without an English text').toEqual([]);
});

export function consoleI18n() {
  return createConsoleI18n({ missing: (_locale, key) => void missing.push(key) });
}

/** A fresh Pinia made active, with `handlers` as the engine. */
export function setup(handlers: Handlers = {}): { fake: FakeApi; pinia: Pinia } {
  const fake = fakeApi(handlers);
  provideApi(fake.api);
  const pinia = createPinia();
  setActivePinia(pinia);
  return { fake, pinia };
}

export function mountWith<C extends Component>(component: C, pinia: Pinia, options: ComponentMountingOptions<C> = {}) {
  return mount(component, { ...options, attachTo: document.body, global: { plugins: [pinia, consoleI18n()], ...(options.global ?? {}) } } as ComponentMountingOptions<C>);
}

/** Lets pending promises (fake engine replies) and Vue's updates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await nextTick();
  }
}
