import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputFileError } from '../../../core/errors.js';
import { BatchSchedulingEnv, type SkippedLinesReport } from '../../../envs/batch/batch-scheduling.js';
import { parseSwf } from '../../../envs/batch/swf-parser.js';
import { BUNDLED_TRACES, loadTrace, resolveTracePath } from '../../../envs/batch/swf-reader.js';
import { make } from '../../../envs/index.js';
import { captureStdout, evaluateCli } from '../../cli-handlers.js';

const JOB = '1 0 -1 10 1 -1 -1 -1 -1 -1 1 -1 -1 -1 0 -1 -1 -1';
const FIXTURE = fileURLToPath(new URL('./fixtures/nasa-ipsc-excerpt-free-text.swf', import.meta.url));

/** The `;` lines of a bundled trace. */
function headerLines(name: string): string[] {
  const path = resolveTracePath(name);
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(';')) out.push(line.replace(/\r$/, ''));
    else if (line.trim()) break;
  }
  return out;
}

describe('SWF headers: the leading number is read, the prose kept, unknown keys accepted', () => {
  it.each([
    ['; MaxNodes: 338 (batch partition; 512 total)', 338, '(batch partition; 512 total)'],
    ['; MaxNodes: 1,024', 1024, undefined],
    ['; MaxNodes:128', 128, undefined],
    [';MaxNodes: 96 nodes', 96, 'nodes'],
    ['; MaxNodes : 64 # of which 4 are login nodes', 64, '# of which 4 are login nodes'],
    ['; MAXNODES: 32', 32, undefined],
  ])('%s', (header, nodes, note) => {
    const t = parseSwf(`${header}\n${JOB}\n`, 'h.swf');
    expect(t.maxNodes).toBe(nodes);
    expect(t.maxProcs).toBe(nodes);
    expect(t.header[0]).toMatchObject({ number: nodes, line: 1 });
    expect(t.header[0].note).toBe(note);
  });

  it('keeps every key, known or not, with its value as written', () => {
    const t = parseSwf(
      [
        '; Version: 2.2',
        '; Computer: IBM SP2 (128 nodes; 1 CPU each)',
        '; MaxNodes: 128 (batch partition; 144 total)',
        '; MaxProcs: 256 processors',
        '; TimeZone: -28800',
        '; Queue:  1  [fque:1]',
        '; Queue:  2  [batch]',
        '; SomethingNew: 17 widgets, see http://example.org',
        ';       a continuation line: of free text',
        ';              http://www.cs.huji.ac.il/labs/parallel/workload/',
        '; MaxNodes: 999 (a second MaxNodes: the first holds)',
        '; Information: http://www.nas.nasa.gov/',
        JOB,
      ].join('\n'),
      'keys.swf',
    );
    expect([t.maxNodes, t.maxProcs, t.procsPerNode]).toEqual([128, 256, 2]);
    const byKey = (k: string) => t.header.filter((e) => e.key === k);
    expect(byKey('Version')[0]).toMatchObject({ value: '2.2', number: 2.2 });
    expect(byKey('Computer')[0]).toMatchObject({ value: 'IBM SP2 (128 nodes; 1 CPU each)' });
    expect(byKey('Computer')[0].number).toBeUndefined();
    expect(byKey('TimeZone')[0]).toMatchObject({ number: -28800 });
    expect(byKey('Queue').map((e) => e.value)).toEqual(['1  [fque:1]', '2  [batch]']);
    expect(byKey('SomethingNew')[0]).toMatchObject({ number: 17, note: 'widgets, see http://example.org', line: 8 });
    expect(byKey('MaxNodes').map((e) => e.number)).toEqual([128, 999]);
    expect(t.header.some((e) => e.value.includes('continuation') || e.key === 'http')).toBe(false);
    expect(byKey('Information')[0].value).toBe('http://www.nas.nasa.gov/');
  });

  it('only MaxProcs: nodes = processors', () => {
    const t = parseSwf(`; MaxProcs: 64 (no MaxNodes line)\n${JOB}\n`);
    expect([t.maxNodes, t.maxProcs]).toEqual([64, 64]);
  });

  it('refuses a machine size without a number, naming file, line and key', () => {
    expect(() => parseSwf(`; Version: 2\n; MaxNodes: unknown (see the site)\n${JOB}\n`, 'm.swf')).toThrow(InputFileError);
    expect(() => parseSwf(`; Version: 2\n; MaxNodes: unknown\n${JOB}\n`, 'm.swf')).toThrow(
      /m\.swf:2 \(field MaxNodes\): is 'unknown'; accepted: a positive integer, optionally followed by free text/,
    );
    expect(() => parseSwf(`; MaxProcs: 0 (none)\n${JOB}\n`, 'p.swf')).toThrow(/p\.swf:1 \(field MaxProcs\)/);
    expect(() => parseSwf(`; MaxNodes: 12.5\n${JOB}\n`, 'f.swf')).toThrow(/f\.swf:1 \(field MaxNodes\)/);
    expect(() => parseSwf(`; Note: no size\n${JOB}\n`, 'n.swf')).toThrow(
      /n\.swf \(field MaxNodes\): the header has no '; MaxNodes: N' \(or '; MaxProcs: P'\) line/,
    );
  });

  it.each(Object.keys(BUNDLED_TRACES))('every header line of the bundled trace %s is read as written', (name) => {
    const lines = headerLines(name);
    const trace = loadTrace(name);
    const keyed = lines.filter((l) => /^; ?[A-Za-z][\w\-/. ]*?\s*:(?!\/\/)/.test(l));
    expect(keyed.length).toBeGreaterThan(3);
    expect(trace.header).toHaveLength(keyed.length);
    trace.header.forEach((e, k) => {
      const line = keyed[k];
      expect(line.startsWith(`; ${e.key}:`)).toBe(true);
      expect(e.value).toBe(line.slice(line.indexOf(':') + 1).trim());
    });
    const nodes = trace.header.find((e) => e.key === 'MaxNodes')!;
    expect(nodes.number).toBe(trace.maxNodes);
  });

  it('a real PWA job list under free-text headers loads and schedules (NASA iPSC excerpt)', () => {
    const env = new BatchSchedulingEnv({ trace: FIXTURE, sequenceLength: 64, starts: [0, 100, 300] });
    expect([env.trace.maxNodes, env.trace.maxProcs, env.trace.size]).toEqual([128, 128, 400 - env.trace.stats.droppedZeroRunTime]);
    expect(env.trace.header.find((e) => e.key === 'MaxNodes')).toMatchObject({ number: 128, note: '(batch partition; 128 total)' });
    expect(env.trace.header.find((e) => e.key === 'MaxJobs')!.number).toBe(42264);
    for (let ep = 0; ep < 3; ep++) {
      env.reset(ep === 0 ? { seed: 0 } : {});
      let done = false;
      let metrics: Record<string, number> | undefined;
      while (!done) {
        const s = env.step(0);
        done = s.terminated;
        metrics = s.info.metrics;
      }
      expect(metrics!.decisions).toBe(64);
      expect(metrics!.utilization).toBeGreaterThan(0);
      expect(metrics!.utilization).toBeLessThanOrEqual(1);
    }
  });
});

describe("onBadLine: 'skip' reports what it left out", () => {
  afterEach(() => vi.restoreAllMocks());

  it('in info.skippedLines (count, first line numbers, problems) at reset and at the end, and once on stderr per load', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'skip-')), 'bad.swf');
    const good = (i: number) => `${i} ${i * 10} -1 10 1 -1 -1 -1 -1 -1 1 -1 -1 -1 0 -1 -1 -1`;
    const lines = ['; MaxNodes: 2'];
    for (let i = 1; i <= 20; i++) lines.push(i % 3 === 0 ? `${i} ${i * 10} -1 ten 1` : good(i));
    writeFileSync(path, lines.join('\n') + '\n');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const env = make('BatchScheduling-v0', { trace: path, sequenceLength: 4, starts: [0], onBadLine: 'skip' });
    make('BatchScheduling-v0', { trace: path, sequenceLength: 4, starts: [1], onBadLine: 'skip' }); // cached: no second report
    const written = stderr.mock.calls.map((c) => String(c[0]));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(
      /bad\.swf: skipped 6 malformed lines \(onBadLine: 'skip'\): lines 4, 7, 10, 13, 16, … \(1 more\); first: line 4, field/,
    );
    const { info } = env.reset({ seed: 0 });
    const report = info.skippedLines as SkippedLinesReport;
    expect(report).toEqual({ trace: path, count: 6, lines: [4, 7, 10, 13, 16], examples: expect.any(Array) });
    expect(report.examples[0]).toMatch(/^line 4, field 6 \(average CPU time\): has 5 fields/);
    let end = env.step(0);
    while (!end.terminated) end = env.step(0);
    expect((end.info.skippedLines as SkippedLinesReport).count).toBe(6);
    expect(
      make('BatchScheduling-v0', { trace: path, sequenceLength: 4, starts: [0], onBadLine: 'skip' }).reset().info.skippedLines,
    ).toBeDefined();
    const strict = make('BatchScheduling-v0', { trace: 'lublin-2', sequenceLength: 4, starts: [0] });
    expect(strict.reset({ seed: 0 }).info.skippedLines).toBeUndefined();
  });

  it('schedlab evaluate --json carries the report (count, first line numbers, problems)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'skip-')), 'bad.swf');
    const lines = ['; MaxNodes: 2'];
    for (let i = 1; i <= 12; i++) lines.push(i === 5 ? `${i} ${i * 10} -1 ten 1` : JOB.replace(/^1 0/, `${i} ${i * 10}`));
    writeFileSync(path, lines.join('\n') + '\n');
    const out = captureStdout();
    const envOptions = { trace: path, sequenceLength: 4, starts: [0], onBadLine: 'skip' };
    await evaluateCli({
      env: 'BatchScheduling-v0',
      'env-options': JSON.stringify(envOptions),
      agent: 'fcfs',
      episodes: 1,
      seed: 0,
      json: true,
    });
    vi.restoreAllMocks();
    const report = JSON.parse(out.text()) as { skippedLines?: SkippedLinesReport };
    expect(report.skippedLines).toMatchObject({ trace: path, count: 1, lines: [6] });
    expect(report.skippedLines!.examples[0]).toMatch(/^line 6, field 6/);
  });

  it('reports a count of 0 when nothing was skipped', () => {
    const env = make('BatchScheduling-v0', { trace: FIXTURE, sequenceLength: 8, starts: [0], onBadLine: 'skip' });
    expect(env.reset({ seed: 0 }).info.skippedLines).toMatchObject({ count: 0, lines: [] });
  });
});

describe('BatchScheduling-v0 utilization', () => {
  it("keeps RLScheduler's figure as rlschedulerUtilization (5.56 on an HPC2N sequence) and reports a true utilization in [0, 1]", () => {
    const env = make('BatchScheduling-v0', { trace: 'hpc2n', sequenceLength: 256, starts: [184915] });
    env.reset({ seed: 0 });
    let s = env.step(0);
    while (!s.terminated) s = env.step(0);
    const m = s.info.metrics!;
    expect(m.rlschedulerUtilization).toBeCloseTo(5.5576, 3);
    expect(m.utilization).toBeGreaterThan(0);
    expect(m.utilization).toBeLessThanOrEqual(1);
    expect(m.utilization).toBeCloseTo(0.4865, 3);
  });

  it('utilization stays in [0, 1] over random sequences of every bundled trace, with and without backfilling', () => {
    for (const trace of ['lublin-1', 'nasa-ipsc']) {
      for (const backfill of [false, true]) {
        const env = make('BatchScheduling-v0', { trace, sequenceLength: 128, backfill });
        for (let ep = 0; ep < 5; ep++) {
          env.reset(ep === 0 ? { seed: ep } : {});
          let s = env.step(0);
          while (!s.terminated) s = env.step(0);
          expect(s.info.metrics!.utilization).toBeGreaterThan(0);
          expect(s.info.metrics!.utilization).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it("metric: 'rlschedulerUtilization' rewards RLScheduler's figure, 'utilization' the true one", () => {
    const run = (metric: string) => {
      const env = make('BatchScheduling-v0', { trace: 'lublin-1', sequenceLength: 64, starts: [1981], metric });
      env.reset({ seed: 0 });
      let s = env.step(0);
      while (!s.terminated) s = env.step(0);
      return s;
    };
    const a = run('rlschedulerUtilization');
    expect(a.reward).toBe(a.info.metrics!.rlschedulerUtilization);
    const b = run('utilization');
    expect(b.reward).toBe(b.info.metrics!.utilization);
  });
});
