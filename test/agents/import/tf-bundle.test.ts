/**
 * The TensorFlow tensor-bundle reader and RLScheduler's policy import, on a shipped model
 * (data/rlscheduler-models/bsld-lublin256): the tensors read are those the model holds, a corrupt or
 * mismatched bundle is a clear error naming the file and what is wrong, and the imported checkpoint acts
 * as RLScheduler's per-job network computes (scores checked against a float64 re-computation).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../../agents/core/backend.js';
import { importRlschedulerKernel, kernelProblems } from '../../../agents/import/rlscheduler.js';
import { crc32c, maskCrc, readTensorBundle } from '../../../agents/import/tf-bundle.js';
import { PPO } from '../../../agents/ppo/ppo.js';
import { InputFileError } from '../../../core/errors.js';
import { make } from '../../../envs/index.js';
import { tmp } from '../export-fixtures.js';

const MODEL = join(import.meta.dirname, '..', '..', '..', 'data', 'rlscheduler-models', 'bsld-lublin256');

beforeAll(async () => {
  await initBackend('wasm', null);
});

/** A copy of the model whose index file is changed by `edit`. */
function corrupted(edit: (bytes: Uint8Array) => void): string {
  const dir = tmp('bundle');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(MODEL, 'variables.data-00000-of-00001'), join(dir, 'variables.data-00000-of-00001'));
  const bytes = new Uint8Array(readFileSync(join(MODEL, 'variables.index')));
  edit(bytes);
  writeFileSync(join(dir, 'variables.index'), bytes);
  return dir;
}

describe('tensor bundle reader', () => {
  test('CRC-32C: the standard check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789')).toString(16)).toBe('e3069283');
    expect(maskCrc(0)).toBe(0xa282ead8);
  });

  test("reads RLScheduler's 76 tensors with their shapes", () => {
    const tensors = readTensorBundle(join(MODEL, 'variables'));
    expect(tensors).toHaveLength(76);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    expect(byName.get('pi/dense/kernel')?.shape).toEqual([8, 32]);
    expect(byName.get('pi/dense_3/bias')?.shape).toEqual([1]);
    expect(byName.get('pi/dense/kernel')?.values?.[0]).toBeCloseTo(0.39858931, 7);
    expect(tensors.every((t) => t.dtype === 'float32' && t.values?.length === t.shape.reduce((a, b) => a * b, 1))).toBe(true);
  });

  test('a bad magic number, a corrupt block and a missing index are clear errors', () => {
    const badMagic = corrupted((b) => (b[b.length - 1] ^= 0xff));
    expect(() => readTensorBundle(join(badMagic, 'variables'))).toThrow(/variables\.index: has a bad magic number .*not a LevelDB table/);
    const badBlock = corrupted((b) => (b[40] ^= 0x01));
    expect(() => readTensorBundle(join(badBlock, 'variables'))).toThrow(
      /variables\.index: the data block at offset 0 fails its CRC-32C check/,
    );
    expect(() => readTensorBundle(join(tmp('none'), 'variables'))).toThrow(InputFileError);
  });
});

describe("RLScheduler's policy as a schedlab checkpoint", () => {
  test('the imported per-item actor scores each job as the kernel network does', async () => {
    const env = make<Float32Array, number>('BatchScheduling-v0', { trace: 'lublin-1', sequenceLength: 64 });
    const out = join(tmp('imported'), 'checkpoint');
    const result = await importRlschedulerKernel({
      from: MODEL,
      out,
      observationSpace: env.observationSpace,
      actionSpace: env.actionSpace,
      envId: 'BatchScheduling-v0',
      samplerSeeds: [0, 178],
    });
    expect(result.parameters).toBe(961);
    const meta = JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8'));
    expect(meta.extra.imported).toMatchObject({ format: 'tf-bundle', tfMultinomial: { seed: 0, seed2: 178 } });
    const agent = new PPO(
      env.observationSpace,
      env.actionSpace,
      { body: 'items', piLayers: [32, 16, 8], vfLayers: [64, 32, 8], activation: 'relu' },
      { seed: 0, envId: 'BatchScheduling-v0' },
    );
    await agent.load(out);
    const { observation } = env.reset({ seed: 3 });
    const logits = agent.net.headCpu(observation, 1);
    // The kernel network in float64 from the bundle's own tensors.
    const t = new Map(readTensorBundle(join(MODEL, 'variables')).map((x) => [x.name, x.values!]));
    const layer = (x: number[], w: Float32Array, b: Float32Array, relu: boolean): number[] => {
      const out: number[] = [];
      for (let o = 0; o < b.length; o++) {
        const v = x.reduce((sum, xi, i) => sum + xi * w[i * b.length + o], b[o]);
        out.push(relu ? Math.max(0, v) : v);
      }
      return out;
    };
    for (const job of [0, 1, 5]) {
      let h = Array.from(observation.subarray(job * 8, job * 8 + 8));
      h = layer(h, t.get('pi/dense/kernel')!, t.get('pi/dense/bias')!, true);
      h = layer(h, t.get('pi/dense_1/kernel')!, t.get('pi/dense_1/bias')!, true);
      h = layer(h, t.get('pi/dense_2/kernel')!, t.get('pi/dense_2/bias')!, true);
      h = layer(h, t.get('pi/dense_3/kernel')!, t.get('pi/dense_3/bias')!, false);
      expect(logits[job]).toBeCloseTo(h[0], 4);
    }
    expect(agent.net.valueCpu(observation, 1)[0]).toBe(0); // the critic is not imported
    agent.dispose();
  });

  test('a model for another observation shape is refused, naming the mismatched tensor', async () => {
    const env = make('CartPole-v1');
    const err = await importRlschedulerKernel({
      from: MODEL,
      out: tmp('x'),
      observationSpace: env.observationSpace,
      actionSpace: env.actionSpace,
      envId: 'CartPole-v1',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(InputFileError);
    expect(String(err.message)).toMatch(
      /is not RLScheduler's per-job kernel policy for this env \(2 features per job\): 'pi\/dense\/kernel' has shape \[8, 32\], the env's observation needs \[2, 32\]/,
    );
    const queue = make('BatchScheduling-v0', { trace: 'lublin-1', sequenceLength: 64, queueSize: 64 });
    // 64 jobs × 8 features still fits the per-job network (its input is one job's 8 features).
    await expect(
      importRlschedulerKernel({
        from: MODEL,
        out: tmp('q'),
        observationSpace: queue.observationSpace,
        actionSpace: queue.actionSpace,
        envId: 'BatchScheduling-v0',
      }),
    ).resolves.toMatchObject({ parameters: 961 });
  });

  test('a bundle without a policy tensor, or with one of another shape, is named', () => {
    const tensors = new Map(readTensorBundle(join(MODEL, 'variables')).map((t) => [t.name, t]));
    expect(kernelProblems(tensors, 8)).toEqual([]);
    tensors.delete('pi/dense_3/bias');
    tensors.set('pi/dense/kernel', { ...tensors.get('pi/dense/kernel')!, shape: [9, 32] });
    expect(kernelProblems(tensors, 8)).toEqual([
      "'pi/dense/kernel' has shape [9, 32], the env's observation needs [8, 32]",
      "'pi/dense_3/bias' is missing",
    ]);
  });
});
