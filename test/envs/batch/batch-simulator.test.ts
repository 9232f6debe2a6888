import { describe, expect, it } from 'vitest';
import { BatchSimulator } from '../../../envs/batch/batch-simulator.js';
import { PRIORITY_RULES } from '../../../envs/batch/priority-rules.js';
import { parseSwf } from '../../../envs/batch/swf-parser.js';

/** A hand-made trace: jobs as [submit, run, procs, requested time]; job numbers in order. */
function trace(nodes: number, jobs: [number, number, number, number][]) {
  const lines = jobs.map(([s, r, p, q], i) => `${i + 1} ${s} -1 ${r} ${p} -1 -1 -1 ${q} -1 1 -1 -1 -1 0 -1 -1 -1`);
  return parseSwf([`; MaxNodes: ${nodes}`, ...lines].join('\n'), 'hand');
}

/** Commits the given trace indices in order; returns the simulator. */
function play(sim: BatchSimulator, picks: number[]): boolean[] {
  return picks.map((j) => sim.commit(j));
}

describe('BatchSimulator: RLScheduler semantics on hand-made traces', () => {
  // N = 4. A: 3 nodes, run 10. B: 2 nodes. C: 1 node, requested 5 (or 9), both submitted at 1.
  const committed = (reqC: number) =>
    trace(4, [
      [0, 10, 3, 10],
      [1, 5, 2, 5],
      [1, 5, 1, reqC],
    ]);

  it('the committed job: without backfilling nothing else starts before it, even a job that fits', () => {
    const sim = new BatchSimulator(committed(5), false);
    sim.begin(0, 3);
    expect(play(sim, [0, 1, 2])).toEqual([false, false, true]);
    // C fitted at t = 1 but B was committed first: C waits until B starts at 10.
    expect(Array.from(sim.startTime)).toEqual([0, 10, 10]);
  });

  it('backfilling starts a job that fits and ends (by request) strictly before the reservation', () => {
    const sim = new BatchSimulator(committed(5), true);
    sim.begin(0, 3);
    play(sim, [0, 1]);
    expect(Array.from(sim.startTime)).toEqual([0, 10, 1]);
    expect(sim.done).toBe(true);
    // Requested 9: 1 + 9 = 10 is not < 10, the reservation (A's start + requested time).
    const strict = new BatchSimulator(committed(9), true);
    strict.begin(0, 3);
    play(strict, [0, 1, 2]);
    expect(Array.from(strict.startTime)).toEqual([0, 10, 10]);
  });

  it('event order on ties: a job submitted at a finish time arrives before the release', () => {
    // A: 4 nodes, run 10; B and C submitted at 10, 1 node each.
    const sim = new BatchSimulator(
      trace(4, [
        [0, 10, 4, 10],
        [10, 5, 1, 5],
        [10, 5, 1, 5],
      ]),
      false,
    );
    sim.begin(0, 3);
    sim.commit(0);
    // The queue was empty: B arrives at 10 while A still holds its nodes.
    expect([sim.now, sim.freeNodes, Array.from(sim.queue.subarray(0, sim.queueLength))]).toEqual([10, 0, [1]]);
    sim.commit(1);
    // Committing B advanced events: C arrived (submit 10 <= finish 10) before A released.
    expect(Array.from(sim.queue.subarray(0, sim.queueLength))).toEqual([2]);
    expect(sim.startTime[1]).toBe(10);
  });

  it('jobs finishing at the same time release one event at a time, in the running list order', () => {
    // A (1 node) and B (3 nodes) both end at 10; C (1 node) is committed while they run.
    const sim = new BatchSimulator(
      trace(4, [
        [0, 10, 1, 10],
        [0, 10, 3, 10],
        [1, 5, 1, 5],
        [2, 5, 3, 5],
      ]),
      false,
    );
    sim.begin(0, 4);
    play(sim, [0, 1, 2]);
    // A, started first, is released first; C fits then and starts at 10 while B still holds its 3 nodes.
    expect([sim.now, sim.startTime[2], sim.freeNodes, sim.runningLength]).toEqual([10, 10, 0, 2]);
    sim.commit(3);
    expect(sim.startTime[3]).toBe(10);
  });

  it('releases nodes at the actual run time, not the requested time', () => {
    const sim = new BatchSimulator(
      trace(4, [
        [0, 10, 4, 1000],
        [1, 5, 4, 5],
      ]),
      false,
    );
    sim.begin(0, 2);
    play(sim, [0, 1]);
    expect(sim.startTime[1]).toBe(10);
  });

  // N = 4. X: 2 nodes, run 10, requested 100. Y: 2 nodes, run 50. Z: 4 nodes (submit 1). D: 2 nodes, run 30, requested 60 (submit 2).
  const reservationTrace = trace(4, [
    [0, 10, 2, 100],
    [0, 50, 2, 50],
    [1, 5, 4, 5],
    [2, 30, 2, 60],
  ]);

  it('computes the reservation once: a job finishing early does not move it', () => {
    const sim = new BatchSimulator(reservationTrace, true);
    sim.begin(0, 4);
    expect(play(sim, [0, 1, 2])).toEqual([false, false, true]);
    // Reservation for Z at t = 1: Y (requested end 50) frees 2, X (requested end 100) the other 2 -> 100.
    // X ends at 10; D (10 + 60 = 70 < 100) is backfilled then. Recomputed at 10 the reservation would be
    // 50 and D would wait.
    expect(Array.from(sim.startTime)).toEqual([0, 0, 50, 10]);
    expect(sim.decisions).toBe(3);
  });

  it('ends the episode at the last start, and computes every metric by its formula', () => {
    const sim = new BatchSimulator(reservationTrace, true);
    sim.begin(0, 4);
    play(sim, [0, 1, 2]);
    // Z still runs until 55; time stopped at Z's start.
    expect(sim.now).toBe(50);
    const m = sim.metrics();
    const waits = [0, 0, 49, 8];
    const runs = [10, 50, 5, 30];
    const avg = (f: (w: number, r: number) => number) => waits.reduce((a, w, i) => a + f(w, runs[i]), 0) / 4;
    expect(m.bsld).toBeCloseTo(
      avg((w, r) => Math.max(1, (w + r) / Math.max(r, 10))),
      12,
    );
    expect(m.bsld).toBeCloseTo((1 + 1 + 5.4 + 38 / 30) / 4, 12);
    expect(m.wait).toBeCloseTo(57 / 4, 12);
    expect(m.turnaround).toBeCloseTo(
      avg((w, r) => w + r),
      12,
    );
    expect(m.slowdown).toBeCloseTo(
      avg((w, r) => (w + r) / r),
      12,
    );
    // RLScheduler's Σ run·procs / ((last start − first submit) · P) = (20 + 100 + 20 + 60) / (50 · 4).
    expect(m.rlschedulerUtilization).toBeCloseTo(1.0, 12);
    // The true utilization: the same work over the span to the last finish (Z at 55): 200 / (55 · 4).
    expect(m.utilization).toBeCloseTo(200 / 220, 12);
  });

  it('without backfilling the same trace waits for Z, then D', () => {
    const sim = new BatchSimulator(reservationTrace, false);
    sim.begin(0, 4);
    expect(play(sim, [0, 1, 2, 3])).toEqual([false, false, false, true]);
    expect(Array.from(sim.startTime)).toEqual([0, 0, 50, 55]);
  });

  it('a sequence starts empty at its first submit time and only its jobs arrive', () => {
    const sim = new BatchSimulator(reservationTrace, false);
    sim.begin(1, 2);
    expect([sim.now, sim.queueLength, sim.freeNodes]).toEqual([0, 1, 4]);
    play(sim, [1, 2]);
    expect(sim.done).toBe(true);
    // Only Y ran before Z: Z starts when Y ends (50); D (index 3) never arrives.
    expect(Array.from(sim.startTime.subarray(0, 2))).toEqual([0, 50]);
  });

  it('rules sort the whole queue stably: ties keep the queue order', () => {
    // Job 0 holds the only node until 100; committing job 1 lets 2..5 arrive (requested 5, 3, 5, 3, all at 0).
    const t = trace(1, [
      [0, 100, 1, 100],
      [0, 7, 1, 7],
      [0, 5, 1, 5],
      [0, 3, 1, 3],
      [0, 5, 1, 5],
      [0, 3, 1, 3],
    ]);
    const sim = new BatchSimulator(t, false);
    sim.begin(0, 6);
    sim.commit(0);
    sim.commit(1);
    const queue = () => Array.from(sim.queue.subarray(0, sim.queueLength));
    expect(queue()).toEqual([2, 3, 4, 5]);
    sim.applyRule(PRIORITY_RULES.sjf);
    expect(queue()).toEqual([3, 5, 2, 4]);
    sim.applyRule(PRIORITY_RULES.fcfs);
    // All submitted at 0: FCFS keeps the current (SJF) order.
    expect(queue()).toEqual([3, 5, 2, 4]);
    sim.sortQueueFcfs();
    expect(queue()).toEqual([3, 5, 2, 4]);
  });
});
