/**
 * Output failures and CLI hygiene: a full disk or an unwritable output path gives one line (the path,
 * what failed, what to do) from every command, and leaves whatever was written before whole; help text
 * wraps between words; number flags given text say what they got (never "got NaN"); an option list that
 * is empty says so; the output flag is `--out` everywhere (`--results` kept as an alias).
 *
 * Tests run as root in CI, where chmod does not stop writes, so an unwritable path is one under a regular
 * file (ENOTDIR), and a full disk is simulated by replacing the writer (ENOSPC).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent } from '../../agents/index.js';
import { make } from '../../envs/index.js';
import { commandLoaders } from '../../experiments/cli/commands.js';
import { outputFailureLine, outputFolder } from '../../experiments/cli/output-failure.js';
import { io, OutputError, writeFileAtomic } from '../../experiments/records/atomic.js';
import { validateExperiment } from '../../experiments/spec/validate.js';
import { expandRuns } from '../../experiments/sweep/expand.js';
import { writeTables } from '../../experiments/tables/write.js';
import { tempDir } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'experiments', 'cli', 'main.js');
const cli = (args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });

beforeAll(() => {
  if (!existsSync(main)) execFileSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'ignore' });
}, 180_000);

const realWrite = io.writeFileSync;
afterEach(() => {
  io.writeFileSync = realWrite;
});

/** Replaces the writer: the `failAt`-th write and every later one fail with `code`. */
function failWrites(code: string, failAt = 1): void {
  let n = 0;
  io.writeFileSync = (...args: Parameters<typeof realWrite>) => {
    if (++n >= failAt)
      throw Object.assign(new Error(`${code}: simulated, write '${String(args[0])}'`), { code, syscall: 'write', path: String(args[0]) });
    return realWrite(...args);
  };
}

/** A results directory with two finished runs, made by hand. */
function results(): string {
  const dir = tempDir('schedlab-out-');
  const doc = {
    name: 'out-test',
    seeds: [0, 1],
    tasks: [{ label: 'cp', env: 'CartPole-v1', agents: ['random'] }],
    tables: [{ name: 'main', metrics: ['return'] }],
  };
  const file = join(dir, 'experiment.json');
  writeFileSync(file, JSON.stringify(doc));
  // The experiment's own runs, with their real ids (tables keep only those).
  for (const run of expandRuns(validateExperiment(doc, file), file)) {
    const runDir = join(dir, 'runs', run.id);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'run.json'), JSON.stringify(run));
    writeFileSync(
      join(runDir, 'evaluation.json'),
      JSON.stringify({ episodes: 1, seed: run.evalSeed, metrics: { return: { mean: 10 + run.seed, std: 0, values: [10 + run.seed] } } }),
    );
  }
  return dir;
}

describe('a full disk', () => {
  it('an atomic write that fails names the file, the cause and what to do, and leaves the old file whole', () => {
    const dir = tempDir('schedlab-out-');
    const file = join(dir, 'table.csv');
    writeFileAtomic(file, 'old contents\n');
    failWrites('ENOSPC');
    expect(() => writeFileAtomic(file, 'new contents\n')).toThrow(OutputError);
    expect(() => writeFileAtomic(file, 'new contents\n')).toThrow(
      `cannot write ${file}: no space left on the device (ENOSPC); free some space or write elsewhere`,
    );
    expect(readFileSync(file, 'utf8')).toBe('old contents\n');
    expect(readdirSync(dir)).toEqual(['table.csv']);
  });

  it("a failure that names no file (fs.promises' ENOSPC) is reported against the command's output folder", () => {
    const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const argv = ['export', '--checkpoint', 'c', '--format', 'onnx', '--out', 'exports/x'];
    expect(outputFailureLine(err, 'export', outputFolder(argv))).toBe(
      'schedlab: error: cannot write into exports/x: no space left on the device (ENOSPC); free some space or write elsewhere (a previous export in that folder is unchanged; rerun with another --out)',
    );
    expect(outputFolder(['train', '--env', 'CartPole-v1', '--out=runs/a'])).toBe('runs/a');
    expect(outputFolder(['run', 'e.yaml', '--results', 'r'])).toBe('r');
    expect(outputFolder(['plot', 'results/x'])).toBe('results/x');
    expect(outputFolder(['evaluate', '--env', 'CartPole-v1'])).toBeUndefined();
    expect(outputFailureLine(new Error('a bug'), 'export')).toBeUndefined();
  });

  it('schedlab table: the tables written before stay as they were', () => {
    const dir = results();
    writeTables(dir);
    const before = readFileSync(join(dir, 'table.md'), 'utf8');
    const seed1 = readdirSync(join(dir, 'runs')).find((id) =>
      readFileSync(join(dir, 'runs', id, 'run.json'), 'utf8').includes('"seed":1,'),
    )!;
    writeFileSync(
      join(dir, 'runs', seed1, 'evaluation.json'),
      JSON.stringify({ episodes: 1, seed: 1001, metrics: { return: { mean: 99, std: 0, values: [99] } } }),
    );
    failWrites('ENOSPC', 2);
    expect(() => writeTables(dir)).toThrow(/cannot write .*table\.md: no space left on the device \(ENOSPC\)/);
    expect(readFileSync(join(dir, 'table.md'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });
});

/** A one-run experiment file (CartPole-v1, random agent). */
function experimentFile(): string {
  const file = join(tempDir('schedlab-out-'), 'exp.json');
  writeFileSync(
    file,
    JSON.stringify({ name: 'w', seeds: [0], evaluation: { episodes: 1 }, tasks: [{ env: 'CartPole-v1', agents: ['random'] }] }),
  );
  return file;
}

describe('an unwritable output path: one line, no stack trace', () => {
  const file = () => {
    const f = join(tempDir('schedlab-out-'), 'a-file');
    writeFileSync(f, 'x');
    return f;
  };

  it.each([
    [
      'reproduce',
      (f: string) => ['reproduce', 'rlscheduler-table', '--traces', 'lublin-1', '--out', join(f, 'sub')],
      'rerun with another --out',
    ],
    ['start', (f: string) => ['start', '--out', join(f, 'sub'), '--workers', '0'], 'rerun the same command to resume'],
    ['run', (f: string) => ['run', experimentFile(), '--out', join(f, 'sub'), '--workers', '0'], 'choose another path (--out)'],
    [
      'train',
      (f: string) => ['train', '--env', 'CartPole-v1', '--agent', 'reinforce', '--steps', '64', '--out', join(f, 'sub')],
      'rerun with --resume or another --out',
    ],
    // The folder is checked before the checkpoint is read: the one line names --out's folder, not a staging folder.
    [
      'export',
      (f: string) => ['export', '--checkpoint', 'unused', '--format', 'json', '--out', join(f, 'sub')],
      'rerun with another --out',
    ],
  ])(
    '%s',
    (_name, args, after) => {
      const f = file();
      const r = cli(args(f));
      expect(r.status, r.stderr).toBe(1);
      const lines = r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('schedlab: error'));
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`${f}(/sub)?\\b`));
      expect(lines[0]).toMatch(/\((ENOTDIR|EEXIST)\)/);
      expect(lines[0]).toContain(after);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    120_000,
  );

  it('plot: figures/ is a file', () => {
    const dir = results();
    writeFileSync(join(dir, 'figures'), 'in the way');
    const r = cli(['plot', dir]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `schedlab: error: cannot create the folder ${join(dir, 'figures')}: a file is in the way (EEXIST); choose another path or remove the file (files written before are unchanged (each is replaced whole or not at all); rerun when there is room)`,
    ]);
  }, 120_000);
});

/** The descriptions a command's builder gives its options and positionals (a stand-in records the calls). */
function describedOptions(builder: unknown): string[] {
  const texts: string[] = [];
  const recorder: unknown = new Proxy(
    {},
    {
      get: (_target, method) => (_name: string, spec?: { describe?: string; hidden?: boolean }) => {
        if ((method === 'option' || method === 'positional') && spec?.describe && !spec.hidden) texts.push(spec.describe);
        return recorder;
      },
    },
  );
  if (typeof builder === 'function') (builder as (y: unknown) => unknown)(recorder);
  return texts;
}

describe('CLI hygiene', () => {
  it('help text wraps between words, never inside one', async () => {
    const help = cli(['--help']).stdout;
    // Joined back (line break + indent → one space), every command's description reads whole.
    const joined = help.replace(/\n\s+/g, ' ');
    for (const load of Object.values(commandLoaders)) {
      const command = await load();
      expect(joined).toContain(command.describe as string);
    }
    expect(help.split('\n').every((l) => l.length <= 110)).toBe(true);
  });

  it('a number flag given text names what it got, never NaN', () => {
    const r = cli(['run', 'nope.yaml', '--workers', 'abc']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("schedlab: error: --workers takes a number, got 'abc'");
    const e = cli(['evaluate', '--env', 'CartPole-v1', '--agent', 'random', '--episodes=many']);
    expect(e.stderr.trim()).toBe("schedlab: error: --episodes takes a number, got 'many'");
  });

  it('an agent without options says so instead of an empty list', () => {
    expect(() => makeAgent('fcfs', make('BatchScheduling-v0'), { x: 1 })).toThrow(
      "fcfs: option 'x' is not an option; accepted: none (this takes no options)",
    );
  });

  it("every command's help keeps each description whole and within 110 columns", async () => {
    for (const [name, load] of Object.entries(commandLoaders)) {
      const command = await load();
      const help = cli([name, '--help']).stdout;
      expect(
        help.split('\n').every((l) => l.length <= 110),
        name,
      ).toBe(true);
      const joined = help.replace(/\n\s+/g, ' ');
      for (const text of describedOptions(command.builder)) expect(joined, `${name}: ${text}`).toContain(text);
    }
  }, 120_000);

  it('--out is the output flag of run, start, slurm and reproduce, with --results kept as an alias; --no-progress is --quiet', () => {
    for (const command of ['run', 'start', 'slurm', 'reproduce']) {
      const help = cli([command, '--help']).stdout;
      expect(help, command).toMatch(/--out, --results/);
    }
    // Every command that shows progress takes --quiet, and --no-progress as its other name.
    for (const command of ['run', 'start', 'train', 'reproduce']) {
      const help = cli([command, '--help']).stdout;
      expect(help, command).toMatch(/--quiet .*\(also --no-progress\)/);
    }
    const dir = tempDir('schedlab-out-');
    const exp = join(dir, 'exp.yaml');
    writeFileSync(
      exp,
      JSON.stringify({ name: 'q', seeds: [0], evaluation: { episodes: 1 }, tasks: [{ env: 'CartPole-v1', agents: ['random'] }] }),
    );
    const quiet = cli(['run', exp, '--out', join(dir, 'r'), '--workers', '0', '--no-progress']);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stdout.trim()).toBe(join(dir, 'r'));
    const trained = cli([
      'train',
      '--env',
      'CartPole-v1',
      '--agent',
      'reinforce',
      '--steps',
      '64',
      '--out',
      join(dir, 't'),
      '--no-progress',
    ]);
    expect(trained.status, trained.stderr).toBe(0);
    expect(trained.stderr).not.toContain('global_step=');
    // --results reaches --out (the check of the folder names it), and --no-progress is accepted (strict flags).
    const f = join(tempDir('schedlab-out-'), 'a-file');
    writeFileSync(f, 'x');
    const r = cli(['reproduce', 'rlscheduler-table', '--traces', 'lublin-1', '--results', join(f, 'sub'), '--no-progress']);
    expect(r.stderr).toMatch(/^schedlab: error: cannot create the folder .*a-file\/sub: .*\(ENOTDIR\)/);
  }, 120_000);
});
