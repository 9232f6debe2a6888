import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CHECKPOINT_FILE } from '../../agents/core/checkpoint.js';
import '../../agents/index.js';
import { captureStdout, evaluateCli, train } from '../cli-handlers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const base = { 'env-options': undefined, backend: 'wasm', 'eval-episodes': 3, quiet: true };

describe('schedlab train', () => {
  test('writes checkpoint, learning curve, evaluation and summary; evaluate --checkpoint reloads the agent', async () => {
    const out = mkdtempSync(join(tmpdir(), 'schedlab-train-'));
    const stdout = captureStdout();
    await train({
      ...base,
      env: 'CartPole-v1',
      agent: 'ppo',
      'agent-options': '{"numSteps": 64}',
      steps: 2048,
      seed: 3,
      out,
      'checkpoint-every': 512,
    });
    expect(stdout.text()).toMatch(/trained ppo on CartPole-v1: 2048 steps .* wasm on cpu \(wasm/);
    expect(readdirSync(out).sort()).toEqual(['checkpoint', 'evaluation.json', 'progress.csv', 'progress.jsonl', 'train.json']);
    const csv = readFileSync(join(out, 'progress.csv'), 'utf8').trim().split('\n');
    expect(csv[0].split(',').slice(0, 12)).toEqual([
      'global_step',
      'episodic_return',
      'episodic_length',
      'SPS',
      'learning_rate',
      'value_loss',
      'policy_loss',
      'entropy',
      'old_approx_kl',
      'approx_kl',
      'clipfrac',
      'explained_variance',
    ]);
    expect(csv.length).toBe(1 + 8); // 8 iterations of 4 × 64 steps
    expect(readFileSync(join(out, 'progress.jsonl'), 'utf8').trim().split('\n')).toHaveLength(8);
    // Repeated saves leave one weights file and no temporary files.
    expect(readdirSync(join(out, 'checkpoint')).sort()).toEqual([CHECKPOINT_FILE, expect.stringMatching(/^weights-[0-9a-f]{16}\.bin$/)]);
    const summary = JSON.parse(readFileSync(join(out, 'train.json'), 'utf8'));
    expect(summary).toMatchObject({
      env: 'CartPole-v1',
      agent: 'ppo',
      seed: 3,
      steps: 2048,
      backend: 'wasm',
      agentOptions: { numSteps: 64, numEnvs: 4 },
    });
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
      await evaluateCli({
        env: 'CartPole-v1',
        agent: 'ppo',
        episodes: 3,
        seed: 10003,
        json: true,
        stochastic: true,
        checkpoint: join(out, 'checkpoint'),
      });
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
    await expect(train({ ...base, env: 'CartPole-v1', agent: 'random', steps: 512, seed: 0, out })).rejects.toThrow(
      /agent 'random' is not a learned agent; the learned agents are .*ppo/,
    );
    await expect(
      train({ ...base, env: 'CartPole-v1', agent: 'ppo', 'agent-options': '{"lr": 1}', steps: 512, seed: 0, out }),
    ).rejects.toThrow(/ppo: option 'lr' is not an option; accepted: one of learningRate/);
    await expect(
      evaluateCli({ env: 'CartPole-v1', agent: 'ppo', episodes: 1, seed: 0, json: true, checkpoint: join(out, 'nothing') }),
    ).rejects.toThrow(/checkpoint\.json: no checkpoint here/);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
  });

  test('--out holding a run is refused (naming --resume and --force); --force starts afresh', async () => {
    const out = mkdtempSync(join(tmpdir(), 'schedlab-train-'));
    captureStdout();
    const args = { ...base, env: 'CartPole-v1', agent: 'ppo', 'agent-options': '{"numSteps": 64}', steps: 512, seed: 1, out };
    await train(args);
    const before = readFileSync(join(out, 'progress.csv'), 'utf8');
    await expect(train({ ...args, seed: 2 })).rejects.toThrow(
      /already holds a training run \(checkpoint, progress\.csv, progress\.jsonl, evaluation\.json, train\.json\); continue it with --resume, or replace it with --force/,
    );
    expect(readFileSync(join(out, 'progress.csv'), 'utf8')).toBe(before);
    await expect(train({ ...args, seed: 2, resume: true })).rejects.toThrow(/--resume: the run in .* was started with --seed 1, not 2/);
    await train({ ...args, seed: 2, force: true });
    expect(JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')).seed).toBe(2);
    expect(readFileSync(join(out, 'progress.csv'), 'utf8')).not.toBe(before);
    expect(readFileSync(join(out, 'progress.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2);
  });

  // Ctrl-C stops after the iteration it interrupts and saves the checkpoint; --resume trains the rest.
  // REINFORCE's iterations play whole episodes, so its mid-training checkpoints hold all of its state.
  test('Ctrl-C saves and says how to resume; --resume from the mid-training checkpoint equals the uninterrupted run bit for bit', async () => {
    const args = {
      ...base,
      env: 'CartPole-v1',
      agent: 'reinforce',
      'agent-options': '{"rolloutsPerSequence": 2, "sequencesPerBatch": 2, "numSequences": 4}',
      steps: 1500,
      seed: 5,
      'checkpoint-every': 200,
      quiet: false,
    };
    const whole = mkdtempSync(join(tmpdir(), 'schedlab-train-'));
    captureStdout();
    await train({ ...args, out: whole });
    vi.restoreAllMocks();

    const parts = mkdtempSync(join(tmpdir(), 'schedlab-train-'));
    let err = '';
    let signalled = false;
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      // The progress line of an iteration past step 600: Ctrl-C there.
      const m = /global_step=(\d+)/.exec(String(chunk));
      if (!signalled && m && Number(m[1]) > 600) {
        signalled = true;
        process.emit('SIGINT', 'SIGINT');
      }
      return true;
    });
    await train({ ...args, out: parts });
    expect(process.exitCode).toBe(130);
    process.exitCode = undefined;
    const stoppedAt = Number(/interrupted \(SIGINT\) at step (\d+) of 1500/.exec(err)?.[1]);
    expect(stoppedAt).toBeGreaterThan(600);
    expect(stoppedAt).toBeLessThan(1500);
    expect(err).toContain(
      `The checkpoint of step ${stoppedAt} is saved in ${join(parts, 'checkpoint')}. Continue with:\n  schedlab train --env CartPole-v1 --agent reinforce --agent-options`,
    );
    expect(err).toContain(`--steps 1500 --seed 5 --out ${parts} --checkpoint-every 200 --eval-episodes 3 --backend wasm --resume`);
    expect(existsSync(join(parts, 'evaluation.json'))).toBe(false);
    vi.restoreAllMocks();

    captureStdout();
    await train({ ...args, out: parts, resume: true });
    vi.restoreAllMocks();
    const noTiming = (file: string) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, number>)
        .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'SPS' && !k.startsWith('time'))));
    expect(noTiming(join(parts, 'progress.jsonl'))).toEqual(noTiming(join(whole, 'progress.jsonl')));
    const csvSteps = (dir: string) =>
      readFileSync(join(dir, 'progress.csv'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(',')[0]);
    expect(csvSteps(parts)).toEqual(csvSteps(whole));
    const checkpoint = (dir: string) => {
      const meta = JSON.parse(readFileSync(join(dir, 'checkpoint', CHECKPOINT_FILE), 'utf8'));
      return { ...meta, weights: readFileSync(join(dir, 'checkpoint', meta.weightsManifest[0].paths[0])).toString('base64') };
    };
    expect(checkpoint(parts)).toEqual(checkpoint(whole));
    expect(JSON.parse(readFileSync(join(parts, 'evaluation.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(whole, 'evaluation.json'), 'utf8')),
    );
    const summary = JSON.parse(readFileSync(join(parts, 'train.json'), 'utf8'));
    expect(summary).toMatchObject({ steps: JSON.parse(readFileSync(join(whole, 'train.json'), 'utf8')).steps, resumedFrom: stoppedAt });
  }, 120_000);

  test('the real command: SIGINT stops after the iteration, saves, prints the resume command and exits 130', async () => {
    const main = join(import.meta.dirname, '..', '..', 'dist', 'experiments', 'cli', 'main.js');
    if (!existsSync(main)) execFileSync('npx', ['tsc', '-p', '.'], { cwd: join(import.meta.dirname, '..', '..'), stdio: 'ignore' });
    const out = mkdtempSync(join(tmpdir(), 'schedlab-train-'));
    const args = [
      'train',
      '--env',
      'CartPole-v1',
      '--agent',
      'ppo',
      '--agent-options',
      '{"numSteps":64}',
      '--steps',
      '1000000',
      '--seed',
      '0',
      '--out',
      out,
      '--checkpoint-every',
      '512',
      '--backend',
      'wasm',
    ];
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    const seen = new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        stderr += String(d);
        if (/global_step=1024\b/.test(stderr)) resolve();
      }),
    );
    await Promise.race([seen, exited]);
    expect(child.exitCode, stderr).toBeNull();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const step = Number(/interrupted \(SIGINT\) at step (\d+) of 1000000/.exec(stderr)?.[1]);
    expect(step).toBeGreaterThanOrEqual(1024);
    expect(stderr).toContain(`The checkpoint of step ${step} is saved in ${join(out, 'checkpoint')}. Continue with:`);
    expect(stderr).toContain(`--steps 1000000 --seed 0 --out ${out} --checkpoint-every 512 --backend wasm --resume`);
    const meta = JSON.parse(readFileSync(join(out, 'checkpoint', CHECKPOINT_FILE), 'utf8'));
    expect(meta.counters.globalStep).toBe(step);
    expect(JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')).status).toBe('training');
  }, 120_000);
});
