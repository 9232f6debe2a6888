import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { busyCoresPerDay, loadDemandSeries, PoissonSampler, readDemandCsv, requestsPerMinute } from '../../../envs/capacity/index.js';

const DAY = 86400;

describe('busy cores per day from an SWF log', () => {
  // Trace time 0 is local midnight (UnixStartTime 0, TimeZone 0); day 0 and the last day are dropped.
  const swf = (jobs: string[]) => ['; UnixStartTime: 0', '; TimeZone: 0', '; MaxNodes: 10', ...jobs].join('\n');
  const job = (n: number, submit: number, wait: number, run: number, procs: number, req = -1) =>
    `${n} ${submit} ${wait} ${run} ${procs} -1 -1 ${req} -1 -1 1 1 1 -1 -1 1 -1 -1`;

  it('spreads each job over the days it runs in, from submit + wait, counting allocated processors', () => {
    const s = busyCoresPerDay(
      't.swf',
      swf([
        job(1, 100, 0, 10, 1), // day 0: the first start's day, dropped
        job(2, DAY + 0, DAY / 2, DAY, 4), // starts at day 1.5, runs to day 2.5: half a day on each
        job(3, 2 * DAY, 0, DAY / 4, -1, 8), // allocated -1: requested 8, a quarter of day 2
        job(4, 2 * DAY, -1, DAY / 2, 2), // wait -1 read as 0
        job(5, 3 * DAY, 0, 0, 5), // run time 0: no load
        job(6, 4 * DAY + 5, 0, 10, 1), // the last submit's day (4) is dropped
      ]),
    );
    expect(Array.from(s.values)).toEqual([4 * 0.5, 4 * 0.5 + 8 * 0.25 + 2 * 0.5, 0]);
    expect(s.periodSeconds).toBe(DAY);
    expect(s.startSeconds).toBe(DAY);
    expect(s.season).toBe(7);
  });

  it('places days in local time (header TimeZone)', () => {
    const text = [
      '; UnixStartTime: 0',
      '; TimeZone: 3600',
      job(1, 0, 0, 10, 1),
      job(2, DAY - 1800, 0, 3600, 6),
      job(3, 3 * DAY, 0, 10, 1),
    ].join('\n');
    // Local time = trace time + 1 h: job 2 runs 23:30 → 00:30 local of day 1 → 0:30..1:30 local: all in day 1.
    expect(Array.from(busyCoresPerDay('tz.swf', text).values)).toEqual([(6 * 3600) / DAY, 0]);
  });

  it('reports a log without UnixStartTime, and a malformed line, by file and line', () => {
    expect(() => busyCoresPerDay('a.swf', job(1, 0, 0, 10, 1))).toThrow(/a.swf \(field UnixStartTime\)/);
    expect(() => busyCoresPerDay('b.swf', swf(['1 2 3']))).toThrow(InputFileError);
    expect(() => busyCoresPerDay('b.swf', swf(['1 2 3']))).toThrow(/b.swf:4/);
  });

  it('hpc2n-daily: 1,263 days of busy cores on the 240-core cluster', () => {
    const s = loadDemandSeries('hpc2n-daily');
    expect(s.values.length).toBe(1263);
    const v = Array.from(s.values);
    expect(Math.max(...v)).toBeLessThanOrEqual(240);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean).toBeGreaterThan(100);
    expect(mean).toBeLessThan(200);
    expect(loadDemandSeries('hpc2n-daily')).toBe(s); // loaded once per process
  });
});

describe('requests per minute from request timestamps', () => {
  it('counts requests per full minute from the first one, dropping the partial last minute', () => {
    const text =
      'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:00.5,1,1\n2023-11-16 18:15:30,1,1\n2023-11-16 18:16:10,1,1\n2023-11-16 18:17:59,1,1\n2023-11-16 18:18:10,1,1\n';
    const s = requestsPerMinute('x.csv', text);
    expect(Array.from(s.values)).toEqual([2, 1, 1]);
    expect(s.periodSeconds).toBe(60);
  });

  it('azure-llm-conv: 58 full minutes of the one-hour trace', () => {
    const s = loadDemandSeries('azure-llm-conv');
    expect(s.values.length).toBe(58);
    const total = Array.from(s.values).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(18000);
    expect(total).toBeLessThanOrEqual(19365);
  });

  it('a bad timestamp names the line', () => {
    expect(() => requestsPerMinute('y.csv', 'TIMESTAMP\n2023-11-16 18:15:00\nyesterday\n')).toThrow(/y.csv:3 \(field TIMESTAMP\)/);
  });
});

describe('demand CSV and the Poisson sampler', () => {
  it('reads one value per line, with an optional header and trailing blank lines', () => {
    expect(Array.from(readDemandCsv('c.csv', 'demand\n1\n2.5\r\n0\n\n\n').values)).toEqual([1, 2.5, 0]);
    expect(() => readDemandCsv('c.csv', '1,2\n')).toThrow(/c.csv:1 \(field demand\).*more than one column/);
    expect(() => readDemandCsv('c.csv', 'demand\n')).toThrow(/holds no value/);
  });

  it('samples Poisson(λ) by inversion: mean and variance λ', () => {
    const p = new PoissonSampler(20);
    const rng = new Rng(0);
    const x = Array.from({ length: 40000 }, () => p.sample(rng.random()));
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
    expect(Math.abs(m - 20)).toBeLessThan(4 * Math.sqrt(20 / x.length));
    expect(Math.abs(v - 20)).toBeLessThan(0.8);
    expect(p.sample(0)).toBe(0);
  });
});
