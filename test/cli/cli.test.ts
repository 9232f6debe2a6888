/**
 * The `schedlab` command line as a user runs it: the compiled CLI in a child process (`npm test` builds
 * dist/ with tsc before vitest). A user's mistake must give one clear line on stderr, exit status 2 and
 * never a stack trace. Each CLI start costs about a second (it loads every command), so the tests run
 * concurrently and spawn as few processes as they can.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { listEnvs } from '../../envs/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = 'dist/experiments/cli/main.js';
const plugins = './test/cli/fixtures/buggy-plugins.mjs';

type ExpectFn = typeof expect;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function schedlab(args: string[], { withPlugins = false } = {}): Promise<Run> {
  const nodeArgs = [...(withPlugins ? ['--import', plugins] : []), main, ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, nodeArgs, { cwd: root, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** One line on stderr naming the problem, exit status 2, no stack trace. */
function expectUserError(expect: ExpectFn, r: Run, message: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^schedlab: error: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

// A CLI start is about a second of CPU; on a loaded machine the concurrent ones can take much longer.
vi.setConfig({ testTimeout: 180_000 });

beforeAll(() => {
  if (!existsSync(new URL(`../../${main}`, import.meta.url)))
    throw new Error(`${main} is missing: build with 'npx tsc -p .' first (npm test does)`);
});

const ids = listEnvs().map((s) => s.id);

describe.concurrent('schedlab envs', () => {
  it('lists every registered env with its spaces', async ({ expect }) => {
    const r = await schedlab(['envs']);
    expect(r.status, r.stderr).toBe(0);
    for (const id of ids) expect(r.stdout).toContain(`${id}\n`);
    expect(r.stdout).toContain(
      'CartPole-v1\n  balance a pole on a cart (Gymnasium CartPole-v1 dynamics)\n' +
        '  observation: Box([-4.8, -Infinity, -0.41887902047863906, -Infinity], [4.8, Infinity, 0.41887902047863906, Infinity], (4,), float32)\n' +
        '  action:      Discrete(2)\n  maxEpisodeSteps: 500   rewardThreshold: 475\n',
    );
  });
});

describe.concurrent('schedlab check-env', () => {
  it('--all checks every registered env, prints a pass line per check and exits 0', async ({ expect }) => {
    const r = await schedlab(['check-env', '--all']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/FAIL/);
    for (const id of ids) expect(r.stdout).toMatch(new RegExp(`^${id}\\n(  (pass|warn)  .*\\n)+  passed: 16/16 checks passed`, 'm'));
    expect(r.stdout).toMatch(/ {2}pass {2}step determinism: /);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${ids.length}/${ids.length} envs pass every check`);
  });

  it('checks one env with --env-options and reports JSON', async ({ expect }) => {
    const r = await schedlab(['check-env', 'CartPole-v1', '--env-options', '{"suttonBartoReward": true}', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const [report] = JSON.parse(r.stdout) as { env: string; passed: boolean; checks: { name: string; ok: boolean }[] }[];
    expect(report.env).toBe('CartPole-v1');
    expect(report.passed).toBe(true);
    expect(report.checks).toHaveLength(16);
  });

  it('exits 1 and names the failed check and env when an env fails', async ({ expect }) => {
    const r = await schedlab(['check-env', '--all'], { withPlugins: true });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout, r.stderr).toMatch(/ {2}FAIL {2}step reward: the reward returned by step\(\) is NaN/);
    expect(r.stdout).toMatch(/^NaNRewardCartPole-v0\n(.*\n)*? {2}FAILED: 15\/16 checks passed/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${ids.length}/${ids.length + 1} envs pass every check; failing: NaNRewardCartPole-v0`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an unknown id, listing the known ones', async ({ expect }) => {
    expectUserError(expect, await schedlab(['check-env', 'CartPol-v1']), /unknown env id 'CartPol-v1'\. Known envs: .*CartPole-v1/);
  });

  it('refuses a call without an id or --all, and --env-options with --all', async ({ expect }) => {
    const [none, both] = await Promise.all([schedlab(['check-env']), schedlab(['check-env', '--all', '--env-options', '{}'])]);
    expectUserError(expect, none, /check-env takes either one env id or --all; known envs: .*CartPole-v1/);
    expectUserError(expect, both, /--env-options applies to a single env id/);
  });
});

describe.concurrent('schedlab evaluate', () => {
  it('prints the evaluation JSON: env, agent, episodes, seed and mean/std/values per metric', async ({ expect }) => {
    const r = await schedlab(['evaluate', '--env', 'CartPole-v1', '--agent', 'random', '--episodes', '3', '--seed', '1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ env: 'CartPole-v1', agent: 'random', episodes: 3, seed: 1 });
    expect(Object.keys(report.metrics).sort()).toEqual(['length', 'return']);
    for (const m of Object.values<{ mean: number; std: number; values: number[] }>(report.metrics)) {
      expect(Object.keys(m).sort()).toEqual(['mean', 'std', 'values']);
      expect(m.values).toHaveLength(3);
      expect(m.mean).toBeCloseTo(m.values.reduce((a, b) => a + b, 0) / 3, 10);
    }
    // CartPole pays +1 per step, so an episode's return is its length.
    expect(report.metrics.return.values).toEqual(report.metrics.length.values);
  });
});

describe.concurrent('bad input through the CLI: one line, exit 2, no stack trace', () => {
  it('an unknown env id lists the known ones', async ({ expect }) => {
    expectUserError(
      expect,
      await schedlab(['evaluate', '--env', 'CartPole-v0', '--agent', 'random']),
      /unknown env id 'CartPole-v0'\. Other versions of it: CartPole-v1\. Known envs: .*CartPole-v1/,
    );
  });

  it('malformed --env-options JSON', async ({ expect }) => {
    expectUserError(
      expect,
      await schedlab(['evaluate', '--env', 'CartPole-v1', '--agent', 'random', '--env-options', '{suttonBartoReward: true}']),
      /--env-options is not valid JSON/,
    );
  });

  it('an unknown option names the option and the accepted ones', async ({ expect }) => {
    expectUserError(
      expect,
      await schedlab(['check-env', 'CartPole-v1', '--env-options', '{"gravity": 3}']),
      /CartPole-v1: option 'gravity' is not an option; accepted: one of suttonBartoReward/,
    );
  });

  it('a flag that fails its check', async ({ expect }) => {
    expectUserError(
      expect,
      await schedlab(['evaluate', '--env', 'CartPole-v1', '--agent', 'random', '--episodes', '0']),
      /--episodes must be a positive integer, got 0/,
    );
  });

  it('an invalid action reaching the env gives its InvalidActionError message', async ({ expect }) => {
    expectUserError(
      expect,
      await schedlab(['evaluate', '--env', 'CartPole-v1', '--agent', 'push-two'], { withPlugins: true }),
      /CartPole-v1: action 2 is not in the action space Discrete\(2\); accepted: 0 \(push left\) or 1 \(push right\)/,
    );
  });

  it('stepping after the end of an episode gives the ResetNeededError message', async ({ expect }) => {
    expectUserError(
      expect,
      await schedlab(['evaluate', '--env', 'CartPole-v1', '--agent', 'peeking', '--episodes', '20'], { withPlugins: true }),
      /CartPole-v1: the episode has ended \(terminated or truncated\); call reset\(\) before step\(\)/,
    );
  });
});
