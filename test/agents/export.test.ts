/**
 * Policy export: for each format (ONNX through onnxruntime-node, TF.js through tf.loadLayersModel from
 * the written files, JSON through the dependency-free runtime), on thousands of random valid
 * observations with random masks, the exported policy's actions equal the trained agent's
 * deterministic actions and its logits (and value) agree within 1e-5; the runtime is bit-exact. And
 * `schedlab evaluate --agent exported --policy DIR` gives the checkpoint's metrics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { loadCheckpoint } from '../../agents/core/checkpoint.js';
import { evaluate } from '../../agents/core/evaluation.js';
import { evaluateExport } from '../../agents/export/evaluate-export.js';
import { exportPolicy } from '../../agents/export/export.js';
import { ExportedAgent } from '../../agents/export/exported-agent.js';
import type { PolicyMeta } from '../../agents/export/meta.js';
import { ONNX_OPSET } from '../../agents/export/onnx.js';
import { ExportedPolicy } from '../../agents/export/runtime/policy.js';
import { loadTfjsPolicy } from '../../agents/export/tfjs.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { spaceFromJSON } from '../../envs/core/spaces/json.js';
import { make } from '../../envs/index.js';
import {
  CLUSTER_ENV_OPTIONS,
  itemsCheckpoint,
  randomInputs,
  reference,
  root,
  schedlab,
  tmp,
  trainA2c,
  trainCartPole,
  trainCluster,
  type PolicyAgent,
  type Sample,
} from './export-fixtures.js';

const COUNT = 2000;
const TOL = 1e-5;
/** The value head sums float32 products of raw observations (A2C here: no normalisation, entries up to 380): float32 accumulation in onnxruntime/TF.js vs float64 in the agent leaves ~1e-5 relative. */
const VALUE_TOL = 1e-4;
/** Worst relative differences seen per fixture and format (printed with SCHEDLAB_EXPORT_REPORT=1). */
const worstSeen: string[] = [];

interface Fixture {
  name: string;
  checkpoint: string;
  agent: PolicyAgent;
  n: number;
  start: number;
  sample: Sample;
  exports: Record<'onnx' | 'tfjs' | 'json', string>;
}

const fixtures: Fixture[] = [];

/** Restores a checkpoint as the trained agent. */
async function restore(checkpoint: string): Promise<PPO> {
  const { meta } = await loadCheckpoint(checkpoint);
  const agent = new PPO(spaceFromJSON(meta.observationSpace), spaceFromJSON(meta.actionSpace), meta.config, {
    seed: 0,
    envId: meta.envId ?? undefined,
  });
  await agent.load(checkpoint);
  return agent;
}

async function exportAll(
  name: string,
  checkpoint: string,
  agent: PolicyAgent,
  seed: number,
  envOptions?: Record<string, unknown>,
): Promise<Fixture> {
  const out = tmp(`${name}-out`);
  const exports = { onnx: join(out, 'onnx'), tfjs: join(out, 'tfjs'), json: join(out, 'json') };
  for (const format of ['onnx', 'tfjs', 'json'] as const)
    await exportPolicy({
      checkpoint,
      format,
      out: exports[format],
      envOptions,
      evaluateArtifact: (dir, meta) => evaluateExport(dir, meta, { episodes: 2, seed: (meta.seed ?? 0) + 10000 }),
    });
  const a = agent.actionSpace.toJSON() as { n: number; start: number };
  return { name, checkpoint, agent, n: a.n, start: a.start, sample: randomInputs(agent.observationSpace, a.n, COUNT, seed), exports };
}

beforeAll(async () => {
  await initBackend('wasm', null);
  const cluster = trainCluster(); // a child process, in parallel with the in-process training
  const cartPole = await trainCartPole();
  const items = await itemsCheckpoint();
  const a2c = await trainA2c();
  const clusterDir = await cluster;
  fixtures.push(await exportAll('CartPole-v1 (normalised, tanh)', join(cartPole.dir, 'checkpoint'), cartPole.agent, 11));
  fixtures.push(
    await exportAll(
      'ClusterScheduling-v0 (masked, shared ReLU body, normalised)',
      join(clusterDir, 'checkpoint'),
      await restore(join(clusterDir, 'checkpoint')),
      12,
    ),
  );
  fixtures.push(await exportAll('per-item scorer (Discrete start 1)', join(items.dir, 'checkpoint'), items.agent, 13));
  fixtures.push(await exportAll('A2C on ClusterScheduling-v0 (masked)', join(a2c.dir, 'checkpoint'), a2c.agent, 14, CLUSTER_ENV_OPTIONS));
}, 50_000);

afterAll(() => {
  if (process.env.SCHEDLAB_EXPORT_REPORT) console.log(worstSeen.join('\n'));
  for (const f of fixtures) f.agent.dispose();
});

/** Actions equal (a mismatch is allowed only where the reference's two best logits are within float32 rounding: counted, expected 0); logits and values within TOL. */
function compare(f: Fixture, got: { action: number; logits: Float32Array; value?: number }[], format: string): { nearTies: number } {
  let nearTies = 0;
  let worst = 0;
  let worstValue = 0;
  f.sample.obs.forEach((obs, i) => {
    const ref = reference(f.agent, obs, f.sample.masks[i]);
    const g = got[i];
    for (let j = 0; j < f.n; j++) {
      if (ref.logits[j] === -1e8) expect(g.logits[j], `${f.name} #${i} masked logit ${j}`).toBe(-1e8);
      worst = Math.max(worst, Math.abs(g.logits[j] - ref.logits[j]) / Math.max(1, Math.abs(ref.logits[j])));
    }
    if (g.action !== ref.action) {
      const sorted = [...ref.logits].sort((a, b) => b - a);
      expect(sorted[0] - sorted[1], `${f.name} #${i}: action ${g.action} != ${ref.action} with a clear margin`).toBeLessThan(TOL);
      nearTies++;
    }
    if (g.value !== undefined) worstValue = Math.max(worstValue, Math.abs(g.value - ref.value) / Math.max(1, Math.abs(ref.value)));
  });
  worstSeen.push(`${format} | ${f.name} | logits ${worst.toExponential(2)} | value ${worstValue.toExponential(2)}`);
  expect(worst, `${f.name}: worst logit difference`).toBeLessThan(TOL);
  expect(worstValue, `${f.name}: worst value difference`).toBeLessThan(VALUE_TOL);
  expect(nearTies).toBe(0);
  return { nearTies };
}

describe('exported policies compute what the trained agent computes (2000 random observations and masks each; PPO and A2C)', () => {
  test('JSON export through the dependency-free runtime: bit-exact actions, logits and values', () => {
    for (const f of fixtures) {
      const policy = ExportedPolicy.fromJSON(JSON.parse(readFileSync(join(f.exports.json, 'policy.json'), 'utf8')));
      const got = f.sample.obs.map((o, i) => policy.act(o, f.sample.masks[i]));
      compare(f, got, 'json');
      f.sample.obs.forEach((o, i) => {
        const ref = reference(f.agent, o, f.sample.masks[i]);
        expect(got[i].action).toBe(ref.action);
        expect(got[i].logits).toEqual(ref.logits);
        expect(got[i].value).toBe(Math.fround(ref.value));
      });
    }
  });

  test(`ONNX (opset ${ONNX_OPSET}) through onnxruntime-node, one batch of 2000`, async () => {
    for (const f of fixtures) {
      const session = await ort.InferenceSession.create(join(f.exports.onnx, 'model.onnx'));
      expect(session.inputNames).toEqual(['observation', 'action_mask']);
      expect(session.outputNames).toEqual(['action', 'logits', 'value']);
      const size = f.sample.obs[0].length;
      const obs = new Float32Array(COUNT * size);
      const mask = new Uint8Array(COUNT * f.n).fill(1);
      f.sample.obs.forEach((o, i) => obs.set(o, i * size));
      f.sample.masks.forEach((m, i) => m && mask.set(m, i * f.n));
      const out = await session.run({
        observation: new ort.Tensor('float32', obs, [COUNT, size]),
        action_mask: new ort.Tensor('uint8', mask, [COUNT, f.n]),
      });
      expect(out.action.dims).toEqual([COUNT]);
      expect(out.action.type).toBe('int64');
      const actions = out.action.data as BigInt64Array;
      const logits = out.logits.data as Float32Array;
      const values = out.value.data as Float32Array;
      compare(
        f,
        f.sample.obs.map((_, i) => ({ action: Number(actions[i]), logits: logits.subarray(i * f.n, (i + 1) * f.n), value: values[i] })),
        'onnx',
      );
      await session.release();
    }
  });

  test('TF.js model.json + weights.bin through tf.loadLayersModel, one batch of 2000', async () => {
    for (const f of fixtures) {
      const model = await loadTfjsPolicy(f.exports.tfjs);
      const size = f.sample.obs[0].length;
      const [logits, values] = tf.tidy(() => {
        const obs = tf.tensor2d(
          f.sample.obs.flatMap((o) => Array.from(o)),
          [COUNT, size],
        );
        const mask = tf.tensor2d(
          f.sample.masks.flatMap((m) => (m ? Array.from(m) : new Array(f.n).fill(1))),
          [COUNT, f.n],
        );
        const [l, v] = model.predict([obs, mask]) as tf.Tensor[];
        return [l.dataSync() as Float32Array, v.dataSync() as Float32Array];
      });
      const actions = tf.tidy(() => tf.argMax(tf.tensor2d(logits, [COUNT, f.n]), 1).dataSync());
      compare(
        f,
        f.sample.obs.map((_, i) => ({ action: f.start + actions[i], logits: logits.subarray(i * f.n, (i + 1) * f.n), value: values[i] })),
        'tfjs',
      );
      model.dispose();
    }
  });

  test('TF.js: the same files load by URL, as a browser loads them (tf.loadLayersModel over http)', async () => {
    const f = fixtures[1];
    const server = createServer((req, res) => {
      const name = basename(req.url ?? '');
      try {
        res.end(readFileSync(join(f.exports.tfjs, name)));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const [byUrl, byFile] = [await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`), await loadTfjsPolicy(f.exports.tfjs)];
      const size = f.sample.obs[0].length;
      const [a, b] = tf.tidy(() => {
        const inputs = [
          tf.tensor2d(
            f.sample.obs.slice(0, 100).flatMap((o) => Array.from(o)),
            [100, size],
          ),
          tf.ones([100, f.n]),
        ];
        return [(byUrl.predict(inputs) as tf.Tensor[])[0].dataSync(), (byFile.predict(inputs) as tf.Tensor[])[0].dataSync()];
      });
      expect(a).toEqual(b);
      byUrl.dispose();
      byFile.dispose();
    } finally {
      server.close();
    }
  });

  test('the runtime imports nothing outside its folder (copyable into a service as is)', () => {
    const dir = join(root, 'agents', 'export', 'runtime');
    for (const file of readdirSync(dir)) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const i of imports) expect(i, `${file} imports ${i}`).toMatch(/^\.\/[\w-]+\.js$/);
    }
  });
});

test('--no-value: no value output, no critic in policy.json', async () => {
  const f = fixtures[2];
  const out = tmp('no-value');
  await exportPolicy({ checkpoint: f.checkpoint, format: 'onnx', out: join(out, 'onnx'), withValue: false });
  await exportPolicy({ checkpoint: f.checkpoint, format: 'json', out: join(out, 'json'), withValue: false });
  const session = await ort.InferenceSession.create(join(out, 'onnx', 'model.onnx'));
  expect(session.outputNames).toEqual(['action', 'logits']);
  await session.release();
  const policy = JSON.parse(readFileSync(join(out, 'json', 'policy.json'), 'utf8'));
  expect(policy.critic).toBeUndefined();
  expect(ExportedPolicy.fromJSON(policy).act(f.sample.obs[0]).value).toBeUndefined();
});

describe('policy.meta.json', () => {
  test('records the contract and the provenance', () => {
    const cluster = fixtures[1];
    const meta = JSON.parse(readFileSync(join(cluster.exports.onnx, 'policy.meta.json'), 'utf8')) as PolicyMeta;
    expect(meta).toMatchObject({
      schemaVersion: 1,
      format: 'onnx',
      files: ['model.onnx', 'policy.meta.json'],
      agent: 'ppo',
      env: { id: 'ClusterScheduling-v0', options: CLUSTER_ENV_OPTIONS },
      seed: 3,
      trainingSteps: 2048,
    });
    expect(meta.actionSpace).toEqual({ type: 'Discrete', n: 6, start: 0 });
    expect(meta.normalization?.clip).toBe(10);
    expect(meta.normalization?.mean).toHaveLength(meta.observation.size);
    expect(meta.configHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(meta.libraries['onnxruntime-node']).toMatch(/^\d+\.\d+/);
    expect(meta.backend?.backend).toBe('wasm');
    // The score is measured on the exported artifact (here model.onnx in onnxruntime), not copied from the
    // training run: it equals the checkpoint agent's deterministic evaluation on the same episodes.
    const reference = evaluate(make('ClusterScheduling-v0', CLUSTER_ENV_OPTIONS), cluster.agent, {
      episodes: 2,
      seed: 3 + 10000,
      deterministic: true,
    });
    expect(meta.evaluation).toEqual({
      source: 'measured on the exported onnx artifact (deterministic actions)',
      episodes: 2,
      seed: 10003,
      deterministic: true,
      metrics: Object.fromEntries(Object.entries(reference.metrics).map(([k, m]) => [k, m.mean])),
    });
    expect(meta.inputs.map((i) => [i.name, i.dtype])).toEqual([
      ['observation', 'float32'],
      ['action_mask', 'uint8'],
    ]);
    expect(meta.onnx).toEqual({ opset: ONNX_OPSET, irVersion: 8, domain: 'ai.onnx (default)' });
    expect(meta.libraries.schedlab).toMatch(/^\d+\.\d+\.\d+/);
    const cp = JSON.parse(readFileSync(join(fixtures[0].exports.json, 'policy.meta.json'), 'utf8')) as PolicyMeta;
    expect(cp.evaluation?.source).toMatch(/measured on the exported json artifact/);
    expect(cp.evaluation?.episodes).toBe(2);
    expect(cp.env.options).toBeNull();
    // A checkpoint of an env outside the registry has no evaluation.
    const items = JSON.parse(readFileSync(join(fixtures[2].exports.tfjs, 'policy.meta.json'), 'utf8')) as PolicyMeta;
    expect(items.evaluation).toBeNull();
  });
});

describe('an exported policy scored by the shared evaluator', () => {
  test('CartPole-v1: --agent exported (json and tfjs) gives the checkpoint agent’s metrics', async () => {
    const f = fixtures[0];
    const env = make('CartPole-v1');
    const expected = evaluate(env, f.agent, { episodes: 5, seed: 7 }).metrics;
    for (const format of ['json', 'tfjs'] as const) {
      const agent = new ExportedAgent(env.observationSpace, env.actionSpace, { policy: f.exports[format] });
      await agent.load();
      expect(evaluate(env, agent, { episodes: 5, seed: 7 }).metrics, format).toEqual(expected);
      agent.dispose();
    }
  });

  test('ClusterScheduling-v0 through the command line: schedlab export, then schedlab evaluate --agent exported --policy DIR = --agent ppo --checkpoint DIR', async () => {
    const f = fixtures[1];
    const common = [
      'evaluate',
      '--env',
      'ClusterScheduling-v0',
      '--env-options',
      JSON.stringify(CLUSTER_ENV_OPTIONS),
      '--episodes',
      '4',
      '--seed',
      '21',
      '--json',
    ];
    const cliExport = tmp('cli-json');
    const exportThenEvaluate = async () => {
      const exported = await schedlab(['export', '--checkpoint', f.checkpoint, '--format', 'json', '--out', cliExport]);
      expect(exported.status, exported.stderr).toBe(0);
      expect(exported.stdout).toMatch(/^exported ppo policy for ClusterScheduling-v0 as json/);
      return schedlab([...common, '--agent', 'exported', '--policy', cliExport]);
    };
    const [ppo, json] = await Promise.all([schedlab([...common, '--agent', 'ppo', '--checkpoint', f.checkpoint]), exportThenEvaluate()]);
    for (const r of [ppo, json]) expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(ppo.stdout);
    expect(Object.keys(expected.metrics)).toContain('utilization');
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report)).toEqual(['env', 'agent', 'episodes', 'seed', 'deterministic', 'envOptions', 'agentOptions', 'metrics']);
    expect(report.metrics).toEqual(expected.metrics);
    // The deploy example: without --env-options, the export's policy.meta.json (and a checkpoint's train.json) give them.
    const bare = common.filter((a, i) => a !== '--env-options' && common[i - 1] !== '--env-options');
    const [ppoBare, jsonBare] = await Promise.all([
      schedlab([...bare, '--agent', 'ppo', '--checkpoint', f.checkpoint]),
      schedlab([...bare, '--agent', 'exported', '--policy', cliExport]),
    ]);
    for (const r of [ppoBare, jsonBare]) {
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ envOptions: CLUSTER_ENV_OPTIONS, metrics: expected.metrics });
    }
    // The TF.js export, in process, on the same episodes.
    const env = make('ClusterScheduling-v0', CLUSTER_ENV_OPTIONS);
    const agent = new ExportedAgent(env.observationSpace, env.actionSpace, { policy: f.exports.tfjs });
    await agent.load();
    expect(evaluate(env, agent, { episodes: 4, seed: 21 }).metrics).toEqual(expected.metrics);
    agent.dispose();
  }, 30_000);
});
