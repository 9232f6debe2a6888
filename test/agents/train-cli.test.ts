import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { evaluateCommand } from '../../experiments/cli/evaluate.js';
import { trainCommand } from '../../experiments/cli/train.js';
import { CHECKPOINT_FILE } from '../../agents/core/checkpoint.js';
import '../../agents/index.js';

type Handler = (args: Record<string, unknown>) => Promise<void>;
const train = trainCommand.handler as unknown as Handler;
const evaluateCli = evaluateCommand.handler as unknown as Handler;

function captureStdout(): { text: () => string } {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { text: () => out };
}

afterEach(() => {
  vi.restoreAllMocks();
});

const base = { 'env-options': undefined, backend: 'wasm', 'eval-episodes': 3, quiet: true };

describe('schedlab train', () => {
  test('writes checkpoint, learning curve, evaluation and summary; evaluate --checkpoint reloads the agent', async () => {
    const out = mkdtempSync(join(tmpdir(), 'schedlab-train-'));
    const stdout = captureStdout();
    await train({ ...base, env: 'CartPole-v1', agent: 'ppo', 'agent-options': '{"numSteps": 64}', steps: 2048, seed: 3, out, 'checkpoint-every': 512 });
    expect(stdout.text()).toMatch(/trained ppo on CartPole-v1: 2048 steps .* wasm on cpu \(wasm/);
    expect(readdirSync(out).sort()).toEqual(['checkpoint', 'evaluation.json', 'progress.csv', 'progress.jsonl', 'train.json']);
    const csv = readFileSync(join(out, 'progress.csv'), 'utf8').trim().split('\n');
    expect(csv[0].split(',').slice(0, 12)).toEqual(['global_step', 'episodic_return', 'episodic_length', 'SPS', 'learning_rate', 'value_loss', 'policy_loss', 'entropy', 'old_approx_kl', 'approx_kl', 'clipfrac', 'explained_variance']);
    expect(csv.length).toBe(1 + 8); // 8 iterations of 4 × 64 steps
    expect(readFileSync(join(out, 'progress.jsonl'), 'utf8').trim().split('\n')).toHaveLength(8);
    // Repeated saves leave one weights file and no temporary files.
    expect(readdirSync(join(out, 'checkpoint')).sort()).toEqual([CHECKPOINT_FILE, expect.stringMatching(/^weights-[0-9a-f]{16}\.bin$/)]);
    const summary = JSON.parse(readFileSync(join(out, 'train.json'), 'utf8'));
    expect(summary).toMatchObject({ env: 'CartPole-v1', agent: 'ppo', seed: 3, steps: 2048, backend: 'wasm', agentOptions: { numSteps: 64, numEnvs: 4 } });
    const evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));
    expect(evaluation).toMatchObject({ env: 'CartPole-v1', agent: 'ppo', episodes: 3, seed: 10003 });

    const again = captureStdout();
    await evaluateCli({ env: 'CartPole-v1', agent: 'ppo', episodes: 3, seed: 10003, json: true, checkpoint: join(out, 'checkpoint') });
    const report = JSON.parse(again.text());
    expect(Object.keys(report)).toEqual(['env', 'agent', 'episodes', 'seed', 'deterministic', 'envOptions', 'agentOptions', 'metrics']);
    // The reloaded agent plays exactly as the trained one did (deterministic policy, same seed).
    expect(report.metrics.return.values).toEqual(evaluation.metrics.return.values);

    // --stochastic samples actions from the agent's seeded generator: repeatable, and not the greedy play.
    const sampled = async () => {
      const cap = captureStdout();
      await evaluateCli({ env: 'CartPole-v1', agent: 'ppo', episodes: 3, seed: 10003, json: true, stochastic: true, checkpoint: join(out, 'checkpoint') });
      return JSON.parse(cap.text());
    };
    const first = await sampled();
    expect(first.deterministic).toBe(false);
    expect((await sampled()).metrics.return.values).toEqual(first.metrics.return.values);
    expect(first.metrics.return.values).not.toEqual(report.metrics.return.values);
  });

  test('user mistakes are clear errors', async () => {
    const out = mkdtempSync(join(tmpdir(), 'schedlab-train-'));
    captureStdout();
    await expect(train({ ...base, env: 'CartPole-v1', agent: 'random', steps: 512, seed: 0, out })).rejects.toThrow(/agent 'random' is not a learned agent/);
    await expect(train({ ...base, env: 'CartPole-v1', agent: 'ppo', 'agent-options': '{"lr": 1}', steps: 512, seed: 0, out })).rejects.toThrow(/ppo: option 'lr' is not an option; accepted: one of learningRate/);
    await expect(evaluateCli({ env: 'CartPole-v1', agent: 'ppo', episodes: 1, seed: 0, json: true, checkpoint: join(out, 'nothing') })).rejects.toThrow(/checkpoint\.json: no checkpoint here/);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
  });
});
