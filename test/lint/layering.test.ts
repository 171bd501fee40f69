// The layering rule of ARCHITECTURE.md catches imports across forbidden folders.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'local/layering').map((m) => m.message);
}

describe('local/layering', () => {
  it.each([
    ['engine/site/x.ts', "import { Catalog } from '../catalog';", 'engine/site may not import engine/catalog'],
    ['engine/catalog/x.ts', "import { SiteModel } from '../site/model';", 'engine/catalog may not import engine/site'],
    ['engine/allocation/x.ts', "export * from '../catalog/db';", 'engine/allocation may not import engine/catalog'],
    ['engine/site/x.ts', "import { Engine } from '../index';", 'engine/site may not import engine'],
    ['engine/durable/x.ts', "import { SiteModel } from '../site';", 'engine/durable may not import engine/site'],
    ['engine/contract/x.ts', "import fs from 'node:fs';", 'engine/contract runs without Node'],
    ['engine/contract/x.ts', "import initSqlJs from 'sql.js';", 'engine/contract may import only'],
    ['renderer/src/x.ts', "import { Catalog } from '../../engine/catalog';", 'renderer may not import engine/catalog'],
    ['renderer/src/x.ts', "import { Engine } from '../../engine';", 'renderer may not import engine '],
    ['renderer/src/x.ts', "import path from 'path';", 'renderer runs without Node'],
    ['cli/x.ts', "import { Inventory } from '../engine/site';", 'cli may not import engine/site'],
    ['electron/main/x.ts', "const m = import('../../cli/main');", 'electron may not import cli'],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await layeringErrors(file, code);
    expect(errors.join('\n')).toContain(message);
  });

  it.each([
    ['engine/allocation/x.ts', "import type { SiteModel } from '../site';\nimport type { Zone } from '../contract';"],
    ['engine/contract/x.ts', "import { z } from 'zod';\nimport type { Job } from './jobs';"],
    ['engine/x.ts', "import { Catalog } from './catalog';"],
    ['engine/catalog/x.ts', "import { writeFileAtomic } from '../durable';"],
    ['cli/x.ts', "import { Engine } from '../engine';\nimport type { StreamPlan } from '../engine/contract';"],
    ['renderer/src/x.ts', "import type { SiteView } from '../../engine/contract';"],
  ])('%s: allowed imports pass', async (file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });
});
