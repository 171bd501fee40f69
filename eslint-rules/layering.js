// ESLint rule `local/layering`: the folders of ARCHITECTURE.md and what each may import. Every
// relative import is resolved to the folder it lands in; bare imports are checked for the folders
// that must stay free of Node (the contract and the renderer).
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ENGINE_PARTS = ['contract', 'durable', 'site', 'allocation', 'media', 'payload', 'movers', 'catalog', 'jobs', 'schedule'];

/** Area -> areas it may import (besides itself). */
const ALLOWED = {
  'engine/contract': [],
  'engine/durable': [],
  'engine/site': ['engine/contract', 'engine/durable'],
  'engine/allocation': ['engine/site', 'engine/contract'],
  'engine/media': ['engine/site', 'engine/contract', 'engine/durable'],
  'engine/payload': ['engine/durable'],
  'engine/movers': ['engine/media', 'engine/payload', 'engine/site', 'engine/contract', 'engine/durable'],
  'engine/catalog': ['engine/contract', 'engine/durable'],
  'engine/jobs': ['engine/contract', 'engine/durable', 'engine/site', 'engine/allocation', 'engine/media', 'engine/payload', 'engine/movers', 'engine/catalog'],
  'engine/schedule': ['engine/jobs', 'engine/contract'],
  engine: ENGINE_PARTS.map((p) => `engine/${p}`),
  electron: ['engine', 'engine/contract'],
  cli: ['engine', 'engine/contract'],
  renderer: ['engine/contract'],
};

/** Areas whose code runs where Node does not: only these packages may be imported by name. */
const BARE_ONLY = {
  'engine/contract': /^zod(\/|$)/,
};
const NO_NODE = new Set(['engine/contract', 'renderer']);
const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function areaOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] === 'engine') {
    return rel.length > 2 && ENGINE_PARTS.includes(rel[1]) ? `engine/${rel[1]}` : rel.length === 2 ? 'engine' : null;
  }
  return ['electron', 'cli', 'renderer'].includes(rel[0]) ? rel[0] : null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the folder layering of ARCHITECTURE.md' },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} (it may import: {{allowed}}). See ARCHITECTURE.md.',
      node: '{{from}} runs without Node: it may not import "{{name}}".',
      bare: '{{from}} may import only {{allowed}}, not "{{name}}".',
    },
  },
  create(context) {
    const from = areaOf(context.filename);
    if (!from || !ALLOWED[from]) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (!source.startsWith('.')) {
        if (NO_NODE.has(from) && (NODE.has(source) || source === 'electron')) {
          context.report({ node, messageId: 'node', data: { from, name: source } });
        } else if (BARE_ONLY[from] && !BARE_ONLY[from].test(source)) {
          context.report({ node, messageId: 'bare', data: { from, name: source, allowed: String(BARE_ONLY[from]) } });
        }
        return;
      }
      const target = path.resolve(path.dirname(context.filename), source);
      const rel = path.relative(ROOT, target).split(path.sep);
      // `../engine` or `../../engine/index` is the composition root.
      let to = areaOf(target + (rel.length <= 2 && rel[0] === 'engine' ? '/index.ts' : '.ts'));
      if (rel.length === 1 && rel[0] === 'engine') to = 'engine';
      if (rel.length === 2 && rel[0] === 'engine' && ENGINE_PARTS.includes(rel[1])) to = `engine/${rel[1]}`;
      if (!to) to = rel[0] ?? '(outside)';
      if (to === from || ALLOWED[from].includes(to)) return;
      context.report({ node, messageId: 'layer', data: { from, to, allowed: ALLOWED[from].join(', ') || 'nothing else' } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
