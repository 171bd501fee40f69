// A fake engine behind the renderer's API client: every method of the contract answers from a
// handler the test gives (or fails with "not faked", so a call nobody expected shows), every call
// is recorded, and the test pushes events as a host would.
import { ApiError, METHOD_NAMES, type BackupApi, type EventName, type EventPayload, type MethodInput, type MethodName, type MethodOutput } from '../../engine/contract';

export type Handlers = { [M in MethodName]?: (input: MethodInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>> };

export interface FakeApi {
  api: BackupApi;
  calls: { method: MethodName; input: unknown }[];
  /** The inputs of every call of one method. */
  inputs<M extends MethodName>(method: M): MethodInput<M>[];
  handle(handlers: Handlers): void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  listeners(event: EventName): number;
}

export function fakeApi(initial: Handlers = {}): FakeApi {
  const handlers: Handlers = { ...initial };
  const calls: FakeApi['calls'] = [];
  const subscribers = new Map<EventName, Set<(payload: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const name of METHOD_NAMES) {
    api[name] = async (input?: unknown) => {
      calls.push({ method: name, input });
      const handler = handlers[name] as ((input: unknown) => unknown) | undefined;
      if (!handler) throw new ApiError('internal', `the fake engine has no ${name}`);
      // A copy, as a real transport gives: the store may change what it got.
      return structuredClone(await handler(input));
    };
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    const set = subscribers.get(event) ?? new Set();
    set.add(listener);
    subscribers.set(event, set);
    return () => set.delete(listener);
  };
  return {
    api: api as BackupApi,
    calls,
    inputs: <M extends MethodName>(method: M) => calls.filter((c) => c.method === method).map((c) => c.input as MethodInput<M>),
    handle: (more) => Object.assign(handlers, more),
    emit: (event, payload) => subscribers.get(event)?.forEach((listener) => listener(structuredClone(payload))),
    listeners: (event) => subscribers.get(event)?.size ?? 0,
  };
}
