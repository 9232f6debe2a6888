import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  mmcResponsePercentile,
  mmcSteadyState,
  responseSurvival,
  smallestReplicasForSlo,
} from '../../../envs/autoscaling/erlang.js';

/** Erlang C from the reference's closed form, summed in log space (no factorial overflow). */
function erlangCLogSpace(c: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  const rho = a / c;
  const logTerms: number[] = [];
  let logFact = 0;
  for (let k = 0; k <= c; k++) {
    if (k > 0) logFact += Math.log(k);
    logTerms.push(k * Math.log(a) - logFact);
  }
  const logTop = logTerms[c] - Math.log(1 - rho);
  const all = [...logTerms.slice(0, c), logTop];
  const m = Math.max(...all);
  const logSum = m + Math.log(all.reduce((s, x) => s + Math.exp(x - m), 0));
  return Math.exp(logTop - logSum);
}

describe('Erlang B/C', () => {
  it('gives the reference values: c=3, λ=2, μ=1 → P_W = W_q = 4/9; c=2, λ=1, μ=1 → 1/3, 1/3', () => {
    expect(erlangC(3, 2, 1)).toBeCloseTo(4 / 9, 14);
    expect(mmcSteadyState(3, 2, 1).meanWait).toBeCloseTo(4 / 9, 14);
    expect(mmcSteadyState(3, 2, 1).meanResponse).toBeCloseTo(1 + 4 / 9, 14);
    expect(erlangC(2, 1, 1)).toBeCloseTo(1 / 3, 14);
    expect(mmcSteadyState(2, 1, 1).meanWait).toBeCloseTo(1 / 3, 14);
  });

  it('Erlang B matches its closed form for small c', () => {
    // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 14);
    expect(erlangB(0, 5)).toBe(1);
  });

  it('stays finite and exact for large c, where factorials overflow', () => {
    for (const [c, lambda] of [
      [500, 450],
      [2000, 1950],
      [5000, 4000],
    ]) {
      const pw = erlangC(c, lambda, 1);
      expect(Number.isFinite(pw)).toBe(true);
      expect(pw).toBeGreaterThan(0);
      expect(pw).toBeLessThan(1);
      expect(pw).toBeCloseTo(erlangCLogSpace(c, lambda, 1), 10);
    }
  });

  it('is 1 at or beyond saturation and 0 without load', () => {
    expect(erlangC(3, 3, 1)).toBe(1);
    expect(erlangC(3, 0, 1)).toBe(0);
    expect(() => mmcSteadyState(3, 3, 1)).toThrow(/no steady state/);
  });
});

describe('M/M/c response-time distribution', () => {
  it('reduces to the M/M/1 exponential: p95 = ln 20 / (μ − λ)', () => {
    expect(mmcResponsePercentile(1, 0.5, 1, 0.95)).toBeCloseTo(Math.log(20) / 0.5, 8);
    expect(mmcResponsePercentile(1, 3, 4, 0.99)).toBeCloseTo(Math.log(100) / 1, 8);
  });

  it('is continuous through θ = μ (the limit the reference asks for)', () => {
    // c=2, μ=1, λ=1 gives θ = cμ − λ = 1 = μ exactly.
    const pw = erlangC(2, 1, 1);
    for (const t of [0.1, 1, 3]) {
      const exact = responseSurvival(t, pw, 1, 1);
      expect(exact).toBeCloseTo(Math.exp(-t) * (1 + pw * t), 14);
      expect(responseSurvival(t, pw, 1 + 1e-7, 1)).toBeCloseTo(exact, 6);
      expect(responseSurvival(t, pw, 1 - 1e-7, 1)).toBeCloseTo(exact, 6);
    }
  });

  it('its survival integrates to the mean response time', () => {
    const { pWait, theta, meanResponse } = mmcSteadyState(3, 2, 1);
    let integral = 0;
    const h = 1e-3;
    for (let t = h / 2; t < 60; t += h) integral += responseSurvival(t, pWait, theta, 1) * h;
    expect(integral).toBeCloseTo(meanResponse, 5);
  });

  it('stays finite and continuous far in the tail of a nearly saturated queue (θ << μ)', () => {
    // c = 1, μ = 4, λ = 3.9333: θ = 0.0667; e^{(μ−θ)t} overflows beyond t ≈ 180 s.
    const { pWait, theta } = mmcSteadyState(1, 3.9333, 4);
    const k = (pWait * 4) / (4 - theta);
    for (const t of [150, 300, 1000]) {
      const s = responseSurvival(t, pWait, theta, 4);
      expect(Number.isFinite(s)).toBe(true);
      expect(s).toBeCloseTo((1 - k) * Math.exp(-4 * t) + k * Math.exp(-theta * t), 15);
    }
    // M/M/1: the response time is Exp(μ − λ).
    expect(responseSurvival(300, pWait, theta, 4) / Math.exp(-theta * 300)).toBeCloseTo(1, 9);
    const at = 500 / (4 - theta);
    expect(responseSurvival(at * (1 + 1e-9), pWait, theta, 4) / responseSurvival(at * (1 - 1e-9), pWait, theta, 4)).toBeCloseTo(1, 6);
  });

  it('sizes the smallest replica count meeting a percentile SLO', () => {
    const c = smallestReplicasForSlo(10, 1, 4, 0.95, 1, 100);
    expect(mmcResponsePercentile(c, 10, 1, 0.95)).toBeLessThanOrEqual(4);
    // The count below is either unstable (c − 1 <= λ/μ) or misses the SLO.
    expect(c).toBeGreaterThan(11);
    expect(mmcResponsePercentile(c - 1, 10, 1, 0.95)).toBeGreaterThan(4);
    expect(smallestReplicasForSlo(0, 1, 4, 0.95, 2, 10)).toBe(2);
    expect(smallestReplicasForSlo(1000, 1, 4, 0.95, 1, 10)).toBe(10);
  });
});
