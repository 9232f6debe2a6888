import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../../core/errors.js';
import { parseSwf, SwfParser } from '../../../envs/batch/swf-parser.js';
import { readSwfFile, readSwfFileSync } from '../../../envs/batch/swf-reader.js';

/** One SWF line from the fields that matter; the rest -1. */
function line(f: Partial<Record<number, number>>): string {
  const v = Array.from({ length: 18 }, (_, i) => f[i + 1] ?? -1);
  return v.join(' ');
}

const TRACE = [
  '; Version: 2',
  '; MaxNodes: 4',
  '; MaxProcs: 8',
  '; Note: a comment',
  line({ 1: 3, 2: 30, 4: 50, 5: 2, 8: 3, 9: 100, 10: 64, 12: 7, 13: 2, 14: 5 }),
  line({ 1: 1, 2: 10, 4: -5, 5: 1, 9: -1 }),
  line({ 1: 2, 2: 20, 4: 0, 5: 1, 9: 40, 10: 999, 12: 99 }),
  line({ 1: 4, 2: 40, 4: 300, 5: 8, 8: 1 }),
].join('\n');

describe('SwfParser: the loading rules', () => {
  const t = parseSwf(TRACE, 'hand.swf');

  it('reads MaxNodes and MaxProcs from the header; processors per node = P / N', () => {
    expect([t.maxNodes, t.maxProcs, t.procsPerNode]).toEqual([4, 8, 2]);
  });

  it('MaxProcs defaults to MaxNodes', () => {
    const u = parseSwf(['; MaxNodes: 16', line({ 1: 1, 2: 0, 4: 5, 5: 3 })].join('\n'));
    expect([u.maxProcs, u.procsPerNode, u.nodes[0]]).toEqual([16, 1, 3]);
  });

  it('drops run time 0, turns a negative run time into 10, orders by job number', () => {
    expect(Array.from(t.jobNumber)).toEqual([1, 3, 4]);
    expect(Array.from(t.runTime)).toEqual([10, 50, 300]);
    expect(t.stats).toMatchObject({ dataLines: 4, kept: 3, droppedZeroRunTime: 1, negativeRunTimeSetTo10: 1, skippedBadLines: 0 });
  });

  it('procs = max(field 5, field 8), nodes = ceil(procs / ppn); requested time = field 9 or the run time', () => {
    expect(Array.from(t.procs)).toEqual([1, 3, 8]);
    expect(Array.from(t.nodes)).toEqual([1, 2, 4]);
    // Job 1: field 9 is -1 -> its run time, taken before the negative run time is fixed (raw -5).
    expect(Array.from(t.requestTime)).toEqual([-5, 100, 300]);
  });

  it('normalisation maxima come from every line before filtering (the dropped job included)', () => {
    expect(t.norm).toEqual({ maxRunTime: 300, maxRequestMemory: 999, maxUserId: 99, maxGroupId: 2, maxExecutable: 5 });
  });

  it('parses the same in chunks of any size (partial lines across chunks)', () => {
    const p = new SwfParser('chunks');
    for (const ch of TRACE) p.push(ch);
    const u = p.finish();
    expect(Array.from(u.submit)).toEqual(Array.from(t.submit));
    expect(u.norm).toEqual(t.norm);
  });

  it('a malformed line names its line and field; skip counts it', () => {
    const bad = [
      '; MaxNodes: 4',
      line({ 1: 1, 2: 0, 4: 5, 5: 1 }),
      line({ 1: 2, 2: 0, 4: 5, 5: 1 }).replace(/^2 0 -1 5/, '2 0 -1 x5'),
    ].join('\n');
    expect(() => parseSwf(bad, 'bad.swf')).toThrow(InputFileError);
    expect(() => parseSwf(bad, 'bad.swf')).toThrow(/bad\.swf:3 \(field 4 \(run time\)\): is 'x5'/);
    const short = ['; MaxNodes: 4', '1 0 -1 5 1'].join('\n');
    expect(() => parseSwf(short, 's.swf')).toThrow(/s\.swf:2 \(field 6 .*has 5 fields/);
    const skipped = parseSwf(bad, 'bad.swf', 'skip');
    expect(skipped.size).toBe(1);
    expect(skipped.stats.skippedBadLines).toBe(1);
    expect(skipped.stats.skippedExamples[0]).toMatch(/line 3, field 4/);
  });

  it('rejects an empty trace, a missing MaxNodes and a job wider than the machine', () => {
    expect(() => parseSwf('', 'e.swf')).toThrow(/e\.swf: the trace is empty/);
    expect(() => parseSwf('; MaxNodes: 4\n; only comments\n', 'e.swf')).toThrow(/empty/);
    expect(() => parseSwf(line({ 1: 1, 2: 0, 4: 5, 5: 1 }), 'h.swf')).toThrow(/MaxNodes/);
    const wide = ['; MaxNodes: 4', line({ 1: 1, 2: 0, 4: 5, 5: 5 })].join('\n');
    expect(() => parseSwf(wide, 'w.swf')).toThrow(/w\.swf:2 .*needs 5 processors \(5 nodes\)/);
    expect(parseSwf(wide + '\n' + line({ 1: 2, 2: 0, 4: 5, 5: 1 }), 'w.swf', 'skip').stats.skippedBadLines).toBe(1);
    expect(() => parseSwf('; MaxNodes: four\n', 'm.swf')).toThrow(/m\.swf:1 \(field MaxNodes\)/);
  });

  it('reads .swf and .swf.gz files, synchronously and as a stream, to the same trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swf-'));
    writeFileSync(join(dir, 't.swf'), TRACE);
    writeFileSync(join(dir, 't.swf.gz'), gzipSync(TRACE));
    const a = readSwfFileSync(join(dir, 't.swf'));
    const b = readSwfFileSync(join(dir, 't.swf.gz'));
    const c = await readSwfFile(join(dir, 't.swf.gz'));
    for (const u of [a, b, c]) {
      expect(Array.from(u.jobNumber)).toEqual([1, 3, 4]);
      expect(u.norm).toEqual(t.norm);
    }
    writeFileSync(join(dir, 'broken.swf.gz'), 'not gzip');
    expect(() => readSwfFileSync(join(dir, 'broken.swf.gz'))).toThrow(/cannot be read as gzip/);
  });
});
