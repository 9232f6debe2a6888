import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { BimodalWorkload, UniformWorkload } from '../../../envs/cluster/index.js';
import { ClusterSchedulingEnv, InputFileError, make, OptionError, UnknownNameError } from '../../../envs/index.js';
import { csvFile } from './helpers.js';

const defaults = { numRes: 2, resSlot: 10, timeHorizon: 20, maxJobLen: 15, maxJobSize: 10, newJobRate: 0.7, simuLen: 10, numSequences: 1 };

describe('ClusterScheduling-v0 options and presets', () => {
  it('applies presets, with explicit options overriding them', () => {
    const train = new ClusterSchedulingEnv({ preset: 'deeprm-train' });
    expect(train.params).toMatchObject({
      simuLen: 50,
      numSequences: 50,
      numSlots: 10,
      newJobRate: 0.3,
      episodeMaxLength: 2000,
      end: 'all_done',
    });
    expect(train.actionSpace.toString()).toBe('Discrete(11)');
    expect(train.observationSpace.shape).toEqual([20, (10 + 10 * 10) * 2 + 3 + 1]);
    const overridden = new ClusterSchedulingEnv({ preset: 'deeprm-train', numSlots: 7, end: 'no_new_job' });
    expect(overridden.params).toMatchObject({ numSlots: 7, end: 'no_new_job', simuLen: 50 });
    expect(new ClusterSchedulingEnv({ preset: 'deeprm-cdf' }).params).toMatchObject({ simuLen: 200, numSequences: 10, end: 'all_done' });
    expect(new ClusterSchedulingEnv({ preset: 'deeprm-load-0.9' }).params).toMatchObject({
      newJobRate: 0.9,
      simuLen: 200,
      numSequences: 100,
    });
    expect(new ClusterSchedulingEnv().params).toMatchObject({
      ...defaults,
      numSlots: 5,
      backlogSize: 60,
      episodeMaxLength: 200,
      end: 'no_new_job',
      observation: 'image',
      firstEntry: 'skip',
    });
  });

  it('names the presets for an unknown one', () => {
    expect(() => make('ClusterScheduling-v0', { preset: 'deeprm' })).toThrow(UnknownNameError);
    expect(() => make('ClusterScheduling-v0', { preset: 'deeprm' })).toThrow(
      /deeprm-default, deeprm-train, deeprm-cdf, deeprm-load-<rate>/,
    );
    expect(() => make('ClusterScheduling-v0', { preset: 'deeprm-load-1.5' })).toThrow(UnknownNameError);
  });

  it('rejects options out of range, naming the option and what is accepted', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ maxJobSize: 11 }, /'maxJobSize' \(11\) is larger than the machine \(resSlot 10\).*accepted: an integer in 1 … resSlot = 10/],
      [{ numSlots: 0 }, /'numSlots' is 0, out of range; accepted: an integer >= 1/],
      [{ backlogSize: 50 }, /'backlogSize' \(50\) is not a multiple of timeHorizon \(20\)/],
      [{ maxJobLen: 20 }, /'maxJobLen' \(20\) is not shorter than timeHorizon/],
      [{ newJobRate: 1.2 }, /'newJobRate' is 1.2, out of range/],
      [{ end: 'never' }, /'end' is 'never'; accepted: 'no_new_job' \| 'all_done'/],
      [{ observation: 'pixels' }, /'observation'/],
      [{ numSlot: 3 }, /'numSlot' is not an option; accepted: one of preset, numRes/],
      [{ workload: { type: 'poisson' } }, /'workload' has type "poisson"; accepted: \{type: 'bimodal'/],
      [{ workload: { type: 'uniform', maxLen: 16 } }, /workload: option 'maxLen' is 16, out of range/],
      [{ workload: { type: 'uniform', minSize: 5, maxSize: 3 } }, /'minSize' \(5\) is greater than maxSize/],
      [{ workload: { type: 'csv' } }, /'path' is missing/],
    ];
    for (const [options, message] of bad) {
      expect(() => make('ClusterScheduling-v0', options), JSON.stringify(options)).toThrow(OptionError);
      expect(() => make('ClusterScheduling-v0', options), JSON.stringify(options)).toThrow(message);
    }
  });

  it('reports a malformed CSV job list by file, line and field', () => {
    const cases: [string, RegExp][] = [
      ['arrival,length,cpu,mem\n0,3,5,1\n1,x,5,1\n', /jobs\.csv:3 \(field length\): is 'x'; expected an integer in 1 … 15/],
      ['0,3,5,1\n\n# a comment\n2,3,11,1\n', /jobs\.csv:4 \(field demand_0\): is 11; expected an integer in 0 … 10 \(maxJobSize\)/],
      ['0,3,5\n', /jobs\.csv:1: has 3 fields; expected 4 fields \(arrival,length,demand_0,demand_1\)/],
      ['-1,3,5,1\n', /jobs\.csv:1 \(field arrival\): is -1/],
      ['0,16,5,1\n', /\(field length\): is 16; expected an integer in 1 … 15 \(maxJobLen\)/],
      ['0,3,0,0\n', /all demands are 0/],
      ['arrival,length,demand_0,demand_1\n', /holds no jobs/],
    ];
    for (const [text, message] of cases) {
      const path = csvFile(text);
      expect(() => new ClusterSchedulingEnv({ workload: { type: 'csv', path } }), text).toThrow(InputFileError);
      expect(() => new ClusterSchedulingEnv({ workload: { type: 'csv', path } }), text).toThrow(message);
    }
    expect(() => new ClusterSchedulingEnv({ workload: { type: 'csv', path: '/nonexistent/jobs.csv' } })).toThrow(
      /\/nonexistent\/jobs\.csv: cannot be read \(ENOENT\)/,
    );
  });

  it('plays a CSV job list: jobs of one step in file order, the list as the only sequence', () => {
    const path = csvFile('arrival,length,demand_0,demand_1\n2,4,1,2\n0,3,5,1\n0,1,2,2\n');
    const env = new ClusterSchedulingEnv({ observation: 'compact', firstEntry: 'play', workload: { type: 'csv', path } });
    for (let i = 0; i < 2; i++) {
      const { info } = env.reset(i === 0 ? { seed: 0 } : {});
      const v = info.cluster as { slotLength: Int32Array; slotArrival: Int32Array };
      expect(Array.from(v.slotLength)).toEqual([3, 1, 0, 0, 0]);
    }
    env.step(5);
    const r = env.step(5);
    const v = r.info.cluster as { slotLength: Int32Array; slotArrival: Int32Array };
    expect(Array.from(v.slotLength)).toEqual([3, 1, 4, 0, 0]);
    expect(Array.from(v.slotArrival)).toEqual([0, 0, 2, -1, -1]);
    expect(r.terminated).toBe(false);
    expect(env.step(5).terminated).toBe(true); // arrivals end after step 2
  });

  it('draws the bi-modal workload of the reference', () => {
    const seqs = new BimodalWorkload({ ...defaults, simuLen: 4000 }).sequences(new Rng(5));
    const { arrival, length, demand } = seqs[0];
    expect(arrival.length / 4000).toBeCloseTo(0.7, 1);
    let short = 0;
    for (let i = 0; i < length.length; i++) {
      const len = length[i];
      expect((len >= 1 && len <= 3) || (len >= 10 && len <= 15)).toBe(true);
      if (len <= 3) short++;
      const [a, b] = [demand[2 * i], demand[2 * i + 1]];
      const [dom, other] = a >= b ? [a, b] : [b, a];
      expect(dom).toBeGreaterThanOrEqual(5);
      expect(dom).toBeLessThanOrEqual(10);
      expect(other).toBeGreaterThanOrEqual(1);
      expect(other).toBeLessThanOrEqual(2);
    }
    expect(short / length.length).toBeCloseTo(0.8, 1);
  });

  it('draws the uniform workload within its bounds', () => {
    const w = new UniformWorkload({ ...defaults, simuLen: 2000, newJobRate: 1 }, { minLen: 2, maxLen: 4, minSize: 3, maxSize: 6 });
    const [{ length, demand }] = w.sequences(new Rng(1));
    expect(length.length).toBe(2000);
    expect(new Set(length)).toEqual(new Set([2, 3, 4]));
    expect(new Set(demand)).toEqual(new Set([3, 4, 5, 6]));
    const env = new ClusterSchedulingEnv({ workload: { type: 'uniform', maxLen: 3 }, newJobRate: 1 });
    const { info } = env.reset({ seed: 0 });
    expect((info.cluster as { slotLength: Int32Array }).slotLength[0]).toBeLessThanOrEqual(3);
  });

  it('takes a source object in code, checking its sequences against the limits', () => {
    const source = (length: number) => ({
      sequences: (rng: Rng) => [
        {
          horizon: 3,
          arrival: Int32Array.of(0, 2),
          length: Int32Array.of(length, 1 + rng.integers(0, 2)),
          demand: Int32Array.of(4, 1, 2, 2),
        },
      ],
    });
    const env = new ClusterSchedulingEnv({ observation: 'compact', firstEntry: 'play', workload: source(5) });
    const { info } = env.reset({ seed: 0 });
    expect(Array.from((info.cluster as { slotLength: Int32Array }).slotLength)).toEqual([5, 0, 0, 0, 0]);
    const bad = new ClusterSchedulingEnv({ firstEntry: 'play', workload: source(16) });
    expect(() => bad.reset({ seed: 0 })).toThrow(OptionError);
    expect(() => bad.reset({ seed: 0 })).toThrow(/sequence 0, job 0 has length 16; accepted: 1 … maxJobLen = 15/);
  });
});
