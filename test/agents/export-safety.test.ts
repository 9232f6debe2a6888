/**
 * Nothing lost, nothing silently wrong in checkpoints and exports (each case was a real failure):
 * - a weights file with flipped bytes loaded silently; it is now refused by its own hash;
 * - NaN weights exported with exit 0 into an unloadable policy.json; non-finite tensors are now refused;
 * - a checkpoint without a counter restored `undefined`; it is now an error naming the counter;
 * - export wrote in place (a failure left a truncated model beside the old meta); a failed export now
 *   leaves the previous one intact;
 * - policy.meta.json with a tampered schema version, env id or observation space was accepted.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { loadCheckpoint, saveCheckpoint } from '../../agents/core/checkpoint.js';
import { exportPolicy } from '../../agents/export/export.js';
import { ExportedAgent } from '../../agents/export/exported-agent.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { InputFileError } from '../../core/errors.js';
import { Box } from '../../envs/core/spaces/box.js';
import { tmp } from './export-fixtures.js';
import { MaskedEnv } from './helpers.js';

let checkpoint: string;

beforeAll(async () => {
  await initBackend('wasm', null);
  const env = new MaskedEnv();
  const agent = new PPO(env.observationSpace, env.actionSpace, { piLayers: [8], vfLayers: [8] }, { seed: 1 });
  checkpoint = join(tmp('safety'), 'checkpoint');
  await agent.save(checkpoint);
  agent.dispose();
});

const weightsFile = (dir: string) =>
  join(
    dir,
    readdirSync(dir).find((f) => f.startsWith('weights-'))!,
  );

describe('checkpoint integrity', () => {
  test('a flipped byte in the weights file is refused, naming the file', async () => {
    const copy = join(tmp('flipped'), 'checkpoint');
    const { meta, tensors } = await loadCheckpoint(checkpoint);
    await saveCheckpoint(copy, meta, tensors);
    const file = weightsFile(copy);
    const bytes = readFileSync(file);
    bytes[5] ^= 0xff;
    writeFileSync(file, bytes);
    await expect(loadCheckpoint(copy)).rejects.toThrow(
      /weights-[0-9a-f]{16}\.bin: is corrupt: its SHA-256 begins [0-9a-f]{16}, but the file was saved as [0-9a-f]{16}/,
    );
  });

  test('non-finite weights are refused on load and by export (nothing written)', async () => {
    const { meta, tensors } = await loadCheckpoint(checkpoint);
    const nan = join(tmp('nan'), 'checkpoint');
    const params = Float32Array.from(tensors.params.values);
    params[3] = Number.NaN;
    await saveCheckpoint(nan, meta, { ...tensors, params: { values: params, shape: tensors.params.shape } });
    await expect(loadCheckpoint(nan)).rejects.toThrow(
      /checkpoint\.json \(field tensor 'params'\): holds a non-finite value \(NaN at index 3\)/,
    );
    const out = join(tmp('nan-out'), 'json');
    await expect(exportPolicy({ checkpoint: nan, format: 'json', out })).rejects.toBeInstanceOf(InputFileError);
    expect(existsSync(out)).toBe(false);
  });

  test('a checkpoint missing a counter is an error naming it, not a silent undefined', async () => {
    const copy = join(tmp('counter'), 'checkpoint');
    const { meta, tensors } = await loadCheckpoint(checkpoint);
    const { adamStep: _dropped, ...counters } = meta.counters;
    await saveCheckpoint(copy, { ...meta, counters }, tensors);
    const env = new MaskedEnv();
    const agent = new PPO(env.observationSpace, env.actionSpace, { piLayers: [8], vfLayers: [8] }, { seed: 1 });
    await expect(agent.load(copy)).rejects.toThrow(/field counters\.adamStep\): is missing; a ppo checkpoint needs a number there/);
    agent.dispose();
  });
});

describe('export writes atomically', () => {
  test('a failed export leaves the previous export intact and no staging folder behind', async () => {
    const parent = tmp('atomic');
    const out = join(parent, 'policy');
    await exportPolicy({ checkpoint, format: 'json', out });
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    const failing = exportPolicy({
      checkpoint,
      format: 'onnx',
      out,
      evaluateArtifact: async () => {
        throw new Error('disk full (simulated)');
      },
    });
    await expect(failing).rejects.toThrow('disk full (simulated)');
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]))).toEqual(before);
    expect(readdirSync(parent)).toEqual(['policy']);
  });

  test('a successful export replaces the previous one whole', async () => {
    const out = join(tmp('replace'), 'policy');
    await exportPolicy({ checkpoint, format: 'json', out });
    await exportPolicy({ checkpoint, format: 'onnx', out });
    expect(readdirSync(out).sort()).toEqual(['model.onnx', 'policy.meta.json']);
  });
});

describe('policy.meta.json is validated', () => {
  const tampered = (edit: (meta: Record<string, unknown>) => void) => {
    const dir = join(tmp('tampered'), 'json');
    return exportPolicy({ checkpoint, format: 'json', out: dir }).then(() => {
      const file = join(dir, 'policy.meta.json');
      const meta = JSON.parse(readFileSync(file, 'utf8'));
      edit(meta);
      writeFileSync(file, JSON.stringify(meta));
      return dir;
    });
  };
  const env = new MaskedEnv();

  test('an unknown schema version', async () => {
    const dir = await tampered((m) => (m.schemaVersion = 2));
    expect(() => new ExportedAgent(env.observationSpace, env.actionSpace, { policy: dir })).toThrow(
      /field schemaVersion\): is 2; this schedlab reads version 1/,
    );
  });

  test('an env id other than the env the policy is asked to act on', async () => {
    const dir = await tampered((m) => (m.env = { id: 'CartPole-v1', options: null }));
    expect(() => new ExportedAgent(env.observationSpace, env.actionSpace, { policy: dir }, 'ClusterScheduling-v0')).toThrow(
      /field env\.id\): is 'CartPole-v1', but the policy is asked to act on ClusterScheduling-v0/,
    );
  });

  test('an observation space other than the env’s, even of the same size', async () => {
    const other = new Box(-5, 5, [2], 'float32').toJSON();
    const dir = await tampered((m) => (m.observationSpace = other));
    expect(() => new ExportedAgent(env.observationSpace, env.actionSpace, { policy: dir })).toThrow(
      /field observationSpace\): the policy's observation space differs from the env's at (high|low|shape)\S*: .* in the policy, .* here/,
    );
  });
});
