// What every command of `mpbackup` is made of: its words, options and a run function, and the
// helpers they share (opening the site's engine, printing text or JSON, common options).
import type { ParseArgsConfig } from 'node:util';
import { Engine } from '../engine';
import { parseFault, type Fault } from '../engine/contract';
import { UsageError } from './errors';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface Context {
  site: string;
  json: boolean;
  io: Io;
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  /** The environment the command runs in. */
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments it takes: exactly N, or from min to max. */
  positionals: number | readonly [min: number, max: number];
  run(ctx: Context): Promise<number>;
}

export async function withEngine<T>(ctx: Context, work: (engine: Engine) => T | Promise<T>): Promise<T> {
  const engine = await Engine.open(ctx.site);
  try {
    return await work(engine);
  } finally {
    engine.close();
  }
}

export function print(ctx: Context, json: unknown, text: () => string): void {
  ctx.io.out(ctx.json ? JSON.stringify(json, null, 2) : text());
}

export function streamCount(values: Context['values']): number {
  const streamsText = values.streams as string | undefined;
  const streams = streamsText === undefined ? 2 : Number(streamsText);
  if (!Number.isInteger(streams) || streams < 2 || streams > 8) {
    throw new UsageError(`--streams: a whole number from 2 to 8, not "${streamsText}"`);
  }
  return streams;
}


/** `--timeout MS`, when given. */
export function timeoutOf(values: Context['values']): number | undefined {
  const text = values.timeout as string | undefined;
  const timeoutMs = text === undefined ? undefined : Number(text);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw new UsageError(`--timeout: a whole number of milliseconds, not "${text}"`);
  return timeoutMs;
}

/** Every `--inject DEVICE:KIND[@WHERE=N]`. */
export function faultsOf(values: Context['values']): Fault[] {
  return ((values.inject as string[] | undefined) ?? []).map((text) => {
    try {
      return parseFault(text);
    } catch (error) {
      throw new UsageError(`--inject ${(error as Error).message}`);
    }
  });
}
