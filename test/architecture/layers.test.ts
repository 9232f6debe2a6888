/**
 * The package's layers import only downward (the README's architecture): core ← envs/core ←
 * envs/<domain> ← agents/core ← agents/<algorithm>, agents/heuristics, agents/export ← experiments.
 * An upward import couples a lower layer to everything above it (importing the agents used to register
 * every env through the export metadata's evaluator); this test reads every source file's imports and
 * names each one that points up.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The layer of a source file (relative path), or undefined outside the layered folders. */
export function layerOf(file: string): number | undefined {
  const parts = file.split('/');
  if (parts[0] === 'core') return 1;
  if (parts[0] === 'envs') return parts[1] === 'core' ? 2 : 3;
  if (parts[0] === 'agents') return parts[1] === 'core' ? 4 : 5;
  if (parts[0] === 'experiments') return 6;
  return undefined;
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file: static imports and re-exports, and dynamic import('...'). */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) found.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g)) found.push(m[1]);
  for (const m of text.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) found.push(m[1]);
  return found;
}

function upwardImports(): string[] {
  const problems: string[] = [];
  for (const file of ['core', 'envs', 'agents', 'experiments'].flatMap(sources)) {
    const from = layerOf(file)!;
    for (const spec of importsOf(readFileSync(join(root, file), 'utf8'))) {
      const target = relative('.', normalize(join(dirname(file), spec))).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (to === undefined) problems.push(`${file} imports ${spec}, outside the layered folders`);
      else if (to > from) problems.push(`${file} (layer ${from}) imports ${target} (layer ${to})`);
    }
  }
  return problems;
}

describe('layers', () => {
  test('the layer of a path', () => {
    expect([
      layerOf('core/rng.ts'),
      layerOf('envs/core/env.ts'),
      layerOf('envs/batch/swf-reader.ts'),
      layerOf('agents/core/evaluation.ts'),
      layerOf('agents/ppo/ppo.ts'),
      layerOf('experiments/cli/main.ts'),
    ]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('the checker finds an upward import', () => {
    expect(
      importsOf("import { evaluate } from '../../experiments/evaluate.js';\nexport * from './x.js';\nawait import('../y.js');"),
    ).toEqual(['../../experiments/evaluate.js', './x.js', '../y.js']);
  });

  test('no source file imports from a higher layer', () => {
    expect(upwardImports()).toEqual([]);
  });

  test("importing 'schedlab/agents' registers no env (each domain registers its envs when imported)", () => {
    const script =
      "await import('schedlab/agents'); const { listEnvs } = await import('schedlab/envs/core'); process.stdout.write(JSON.stringify(listEnvs().map((e) => e.id)));";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});
