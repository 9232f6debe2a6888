/** Bad input to the export and to exported policies: clear errors naming the file, field or value. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { loadCheckpoint, saveCheckpoint } from '../../agents/core/checkpoint.js';
import { exportPolicy } from '../../agents/export/export.js';
import { ExportedAgent } from '../../agents/export/exported-agent.js';
import { buildOnnx } from '../../agents/export/onnx.js';
import type { PolicyJSON } from '../../agents/export/runtime/format.js';
import { ExportedPolicy, PolicyInputError } from '../../agents/export/runtime/policy.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { InputFileError, SchedlabError } from '../../core/errors.js';
import { make } from '../../envs/index.js';
import { schedlab, tmp } from './export-fixtures.js';
import { ContinuousEnv, MaskedEnv } from './helpers.js';

let checkpoint: string;
let jsonDir: string;
let onnxDir: string;

beforeAll(async () => {
  await initBackend('wasm', null);
  const env = new MaskedEnv();
  const agent = new PPO(env.observationSpace, env.actionSpace, { piLayers: [8], vfLayers: [8] }, { seed: 1 });
  checkpoint = join(tmp('masked'), 'checkpoint');
  await agent.save(checkpoint);
  agent.dispose();
  jsonDir = join(tmp('masked-json'), 'json');
  onnxDir = join(tmp('masked-onnx'), 'onnx');
  await exportPolicy({ checkpoint, format: 'json', out: jsonDir });
  await exportPolicy({ checkpoint, format: 'onnx', out: onnxDir });
});

describe('export: bad checkpoints', () => {
  test('a folder without checkpoint.json', async () => {
    const dir = tmp('empty');
    await expect(exportPolicy({ checkpoint: dir, format: 'onnx', out: tmp('o') })).rejects.toThrow(
      new RegExp(`${dir}/checkpoint.json: no checkpoint here`),
    );
  });

  test('a checkpoint with no tensors, and one without the policy parameters: no policy to export', async () => {
    const { meta, tensors } = await loadCheckpoint(checkpoint);
    const none = join(tmp('none'), 'checkpoint');
    await saveCheckpoint(none, meta, {});
    await expect(exportPolicy({ checkpoint: none, format: 'json', out: tmp('o') })).rejects.toThrow(
      /checkpoint\.json \(field weightsManifest\): lists no tensors: the checkpoint holds no policy to export/,
    );
    const optimizerOnly = join(tmp('adam'), 'checkpoint');
    await saveCheckpoint(optimizerOnly, meta, { 'adam/m': tensors['adam/m'] });
    const err = await exportPolicy({ checkpoint: optimizerOnly, format: 'json', out: tmp('o') }).catch((e) => e);
    expect(err).toBeInstanceOf(InputFileError);
    expect(err.message).toMatch(/agent 'ppo' cannot restore a policy from it/);
  });

  test('a Gaussian (Box action) policy is refused with the supported spaces named', async () => {
    const env = new ContinuousEnv();
    const agent = new PPO(env.observationSpace, env.actionSpace, {}, { seed: 0 });
    const dir = join(tmp('box'), 'checkpoint');
    await agent.save(dir);
    agent.dispose();
    await expect(exportPolicy({ checkpoint: dir, format: 'onnx', out: tmp('o') })).rejects.toThrow(
      /field actionSpace\): is Box\(-1, 1, \(1,\), float32\); export supports Discrete action spaces/,
    );
  });

  test('ONNX: a layer without an ONNX mapping', () => {
    const policy = JSON.parse(readFileSync(join(jsonDir, 'policy.json'), 'utf8')) as PolicyJSON;
    (policy.actor.layers[0] as { activation: string }).activation = 'sigmoid';
    expect(() => buildOnnx(policy, 'test')).toThrow(SchedlabError);
    expect(() => buildOnnx(policy, 'test')).toThrow(
      /the actor has a layer with activation 'sigmoid', which has no ONNX mapping here; supported: tanh, relu, linear/,
    );
  });
});

describe('runtime: bad observations, masks and files', () => {
  const policy = () => ExportedPolicy.fromJSON(JSON.parse(readFileSync(join(jsonDir, 'policy.json'), 'utf8')));

  test('an observation of the wrong length, outside the space, or not finite', () => {
    const p = policy();
    expect(p.act([0.5, 0.25]).action).toBeGreaterThanOrEqual(0);
    expect(() => p.act([0.5])).toThrow(new PolicyInputError('observation has 1 entries; the policy takes 2'));
    expect(() => p.act([0.5, 1.5])).toThrow('observation[1] = 1.5 is outside the observation space [-1, 1]');
    expect(() => p.act([NaN, 0])).toThrow('observation[0] = NaN is not a finite float32 number');
    // @ts-expect-error -- an untyped caller (JavaScript, a JSON request) may pass no observation at all
    expect(() => p.act(undefined)).toThrow(/observation must be an array of 2 numbers/);
  });

  test('a mask of the wrong length; masked actions never chosen', () => {
    const p = policy();
    expect(() => p.act([0, 0], [1, 0])).toThrow('the action mask has 2 entries; the policy has 4 actions');
    for (const m of [
      [0, 0, 1, 0],
      [0, 1, 0, 0],
      [1, 0, 0, 0],
    ]) {
      const out = p.act([0.1, -0.2], m);
      expect(out.action).toBe(m.indexOf(1));
      expect(Array.from(out.logits).filter((l) => l === -1e8)).toHaveLength(3);
    }
  });

  test('a malformed policy.json', () => {
    const json = JSON.parse(readFileSync(join(jsonDir, 'policy.json'), 'utf8'));
    expect(() => ExportedPolicy.fromJSON({ ...json, format: 'other/1' })).toThrow(
      `policy.json: 'format' is "other/1"; accepted: 'schedlab-policy/1'`,
    );
    json.actor.layers[0].weight.pop();
    expect(() => ExportedPolicy.fromJSON(json)).toThrow(/'actor.layers\[0\].weight' must be an array of 16 numbers/);
  });

  test("the 'exported' agent: a folder that is no export, another env's policy", () => {
    const env = make('CartPole-v1');
    expect(() => new ExportedAgent(env.observationSpace, env.actionSpace, {})).toThrow(/option 'policy' is missing/);
    expect(() => new ExportedAgent(env.observationSpace, env.actionSpace, { policy: tmp('nothing') })).toThrow(
      /policy\.meta\.json: is missing: .* is not a 'schedlab export' folder/,
    );
    expect(() => new ExportedAgent(env.observationSpace, env.actionSpace, { policy: jsonDir })).toThrow(
      /the policy's action space differs from the env's at n: 4 in the policy, 2 here/,
    );
  });
});

describe('command line: one line on stderr, exit status 2', () => {
  test('export of a missing checkpoint, an unknown format; evaluate of an ONNX export; --policy without --agent exported', async () => {
    const missing = join(tmp('cli'), 'nope');
    mkdirSync(missing);
    const runs = await Promise.all([
      schedlab(['export', '--checkpoint', missing, '--format', 'json', '--out', tmp('o')]),
      schedlab(['export', '--checkpoint', checkpoint, '--format', 'xml', '--out', tmp('o')]),
      schedlab(['evaluate', '--env', 'CartPole-v1', '--agent', 'exported', '--policy', onnxDir]),
      schedlab(['evaluate', '--env', 'CartPole-v1', '--agent', 'ppo', '--policy', jsonDir]),
    ]);
    const messages = [
      /checkpoint\.json is missing/,
      /--format must be one of onnx, tfjs, json, got 'xml'/,
      /format\): is 'onnx', which an ONNX runtime runs .*export with --format json or tfjs/,
      /--policy is the folder of an exported policy, used with --agent exported \(not 'ppo'\)/,
    ];
    runs.forEach((r, i) => {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^schedlab: error: /);
      expect(r.stderr).toMatch(messages[i]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }, 30_000);
});
