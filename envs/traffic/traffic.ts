/**
 * Traffic-matrix series for WanTrafficEngineering-v0. Every matrix is n×n row-major, in the topology's
 * raw units on input and divided by the topology's unit (mean link capacity) on output, diagonal zeroed.
 *
 * - `teal-b4-real` (b4): Teal's 36 "real" B4 matrices (data/wan/B4_real_tms.csv: `tm_index` then
 *   `d_<src>_<dst>` row-major over B4's node ids);
 * - `yates-5min` (abilene): YATES' 36 five-minute Abilene matrices, bps, 144 whitespace-separated values a line;
 * - `yates-hourly` (abilene): YATES' 200 hourly Abilene matrices, same format;
 * - `gravity`: synthetic and seeded: D_t(i, j) = total · w_i w_j / Σ_{a≠b} w_a w_b · f_t · ε_tij, with a
 *   diurnal factor f_t = 1 + 0.3 sin(2π t / 24) and lognormal noise ε (σ 0.2), from its own generator
 *   (option gravitySeed), so the series is the same in every env; `totalDemand` in capacity units
 *   (default: 0.1 × the number of links), `nodeWeights` (default: uniform in [0.5, 1.5) from the seed);
 * - a CSV path: one flattened n×n matrix per row (comma-separated, in the topology's raw units), optional
 *   header row (a row whose first field is not a number), `#` comments and blank lines skipped;
 * - in code: an array of matrices, each n×n nested or flattened to n² numbers.
 * Negative, non-finite or non-numeric demands and rows or matrices of the wrong size are errors that
 * name the file, line and field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputFileError, OptionError, SchedlabError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { wanDataDir, type Topology } from './topology.js';

export const BUNDLED_TRAFFIC = ['teal-b4-real', 'yates-5min', 'yates-hourly', 'gravity'] as const;

export interface TrafficSeries {
  /** A key identifying the series (bundled name, file path, or content hash). */
  key: string;
  n: number;
  /** Matrices in capacity units (raw / topology.unit × demandScale), diagonal zero. */
  matrices: Float64Array[];
}

export interface GravityOptions {
  totalDemand: number | null;
  nodeWeights: number[] | null;
  gravitySeed: number;
  gravityLength: number;
}

const OWNER = 'WanTrafficEngineering-v0';

/** The default traffic of a bundled topology. */
export function defaultTraffic(topology: string): string {
  return topology === 'b4' ? 'teal-b4-real' : topology === 'abilene' ? 'yates-5min' : 'gravity';
}

export function loadTraffic(spec: unknown, topo: Topology, demandScale: number, gravity: GravityOptions): TrafficSeries {
  const n = topo.n;
  const scale = demandScale / topo.unit;
  let raw: { key: string; rows: Float64Array[] };
  if (spec === 'teal-b4-real' || spec === 'yates-5min' || spec === 'yates-hourly') {
    const wants = spec === 'teal-b4-real' ? 'b4' : 'abilene';
    if (topo.name !== wants)
      throw new OptionError(
        'traffic',
        `is '${spec}', the ${wants === 'b4' ? 'B4' : 'Abilene'} matrices, but the topology is '${topo.name}'`,
        `'${spec}' with topology '${wants}', 'gravity', or a CSV of ${n}×${n} matrices`,
        OWNER,
      );
    raw = { key: spec, rows: bundledRows(spec, n) };
  } else if (spec === 'gravity') {
    raw = { key: `gravity:${JSON.stringify(gravity)}`, rows: gravityRows(topo, gravity) };
    // Gravity totals are given in capacity units already.
    return { key: `${raw.key}:x${demandScale}`, n, matrices: raw.rows.map((r) => finish(r, n, demandScale)) };
  } else if (typeof spec === 'string') {
    if (!existsSync(spec))
      throw new OptionError(
        'traffic',
        `is '${spec}', neither a bundled series nor an existing file`,
        `${BUNDLED_TRAFFIC.map((t) => `'${t}'`).join(' | ')} | a CSV path (one flattened ${n}×${n} matrix per row)`,
        OWNER,
      );
    raw = { key: `csv:${spec}`, rows: parseCsv(readFileSync(spec, 'utf8'), spec, n) };
  } else if (Array.isArray(spec)) {
    raw = { key: `array:${hashRows(spec)}`, rows: spec.map((m, i) => matrixFromArray(m, i, n)) };
  } else {
    throw new OptionError(
      'traffic',
      `is ${JSON.stringify(spec)}`,
      `${BUNDLED_TRAFFIC.map((t) => `'${t}'`).join(' | ')} | a CSV path | an array of ${n}×${n} matrices`,
      OWNER,
    );
  }
  if (raw.rows.length === 0) throw new OptionError('traffic', `holds no matrix`, 'at least one matrix', OWNER);
  return { key: `${raw.key}:x${demandScale}`, n, matrices: raw.rows.map((r) => finish(r, n, scale)) };
}

function finish(row: Float64Array, n: number, scale: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) m[i * n + j] = row[i * n + j] * scale;
  return m;
}

const bundledCache = new Map<string, Float64Array[]>();

function bundledRows(name: 'teal-b4-real' | 'yates-5min' | 'yates-hourly', n: number): Float64Array[] {
  const hit = bundledCache.get(name);
  if (hit) return hit;
  const dir = wanDataDir();
  let rows: Float64Array[];
  if (name === 'teal-b4-real') {
    const file = join(dir, 'B4_real_tms.csv');
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    const header = lines[0].split(',');
    if (header.length !== n * n + 1)
      throw new InputFileError(file, 1, undefined, `header has ${header.length} fields, expected ${n * n + 1}`);
    rows = [];
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i].trim()) continue;
      const fields = lines[i].split(',');
      rows.push(parseFields(fields.slice(1), file, i + 1, n, (j) => header[j + 1], 1));
    }
  } else {
    const file = join(dir, name === 'yates-5min' ? 'demands_actual_abilene.txt' : 'demands_abilene_hourly.txt');
    rows = readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((l, i) => [l.trim(), i] as const)
      .filter(([l]) => l !== '')
      .map(([l, i]) => parseFields(l.split(/\s+/), file, i + 1, n, undefined, 0));
  }
  bundledCache.set(name, rows);
  return rows;
}

function fieldName(n: number, j: number): string {
  return `d_${Math.floor(j / n)}_${j % n}, column ${j + 1}`;
}

function parseFields(
  fields: string[],
  file: string,
  line: number,
  n: number,
  name: ((j: number) => string) | undefined,
  offset: number,
): Float64Array {
  if (fields.length !== n * n) {
    throw new InputFileError(
      file,
      line,
      fields.length < n * n ? fieldName(n, fields.length) : `column ${n * n + 1 + offset}`,
      `has ${fields.length + offset} fields, expected ${n * n + offset} (${offset ? 'an index, then ' : ''}one flattened ${n}×${n} matrix for the topology's ${n} nodes)`,
    );
  }
  const out = new Float64Array(n * n);
  for (let j = 0; j < fields.length; j++) {
    const text = fields[j].trim();
    const v = text === '' ? NaN : Number(text);
    const label = name ? `${name(j)}, column ${j + 1 + offset}` : fieldName(n, j);
    if (!Number.isFinite(v))
      throw new InputFileError(file, line, label, `is '${fields[j]}', not a finite number; demands are non-negative numbers`);
    if (v < 0) throw new InputFileError(file, line, label, `is ${v}; demands must be non-negative`);
    out[j] = v;
  }
  return out;
}

/** A user CSV: one flattened n×n matrix per row. */
export function parseCsv(text: string, file: string, n: number): Float64Array[] {
  const rows: Float64Array[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(',');
    if (
      rows.length === 0 &&
      i === lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#')) &&
      !Number.isFinite(Number(fields[0].trim())) &&
      fields[0].trim() !== ''
    ) {
      return; // a header row
    }
    rows.push(parseFields(fields, file, i + 1, n, undefined, 0));
  });
  if (rows.length === 0)
    throw new InputFileError(
      file,
      undefined,
      undefined,
      `holds no matrix; expected one flattened ${n}×${n} matrix (${n * n} comma-separated numbers) per row`,
    );
  return rows;
}

function matrixFromArray(m: unknown, i: number, n: number): Float64Array {
  const flat = Array.isArray(m) && m.every((r) => Array.isArray(r)) ? (m as unknown[][]) : null;
  if (flat && (flat.length !== n || flat.some((r) => r.length !== n))) {
    throw new OptionError(
      `traffic[${i}]`,
      `is a ${flat.length}×${flat[0]?.length ?? 0} matrix`,
      `an ${n}×${n} matrix (the topology has ${n} nodes) or ${n * n} numbers`,
      OWNER,
    );
  }
  const values = flat ? flat.flat() : m;
  if (!Array.isArray(values) || values.length !== n * n) {
    throw new OptionError(
      `traffic[${i}]`,
      `has ${Array.isArray(values) ? values.length : 'no'} entries`,
      `an ${n}×${n} matrix (the topology has ${n} nodes) or ${n * n} numbers`,
      OWNER,
    );
  }
  const out = new Float64Array(n * n);
  values.forEach((v, j) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new OptionError(
        `traffic[${i}]`,
        `has ${JSON.stringify(v)} at d_${Math.floor(j / n)}_${j % n}`,
        'finite non-negative numbers',
        OWNER,
      );
    if (v < 0)
      throw new OptionError(
        `traffic[${i}]`,
        `has ${v} at d_${Math.floor(j / n)}_${j % n}; demands must be non-negative`,
        'finite non-negative numbers',
        OWNER,
      );
    out[j] = v;
  });
  return out;
}

function hashRows(rows: unknown[]): string {
  let h = 0x811c9dc5;
  const text = JSON.stringify(rows);
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${rows.length}:${h.toString(16)}`;
}

function gravityRows(topo: Topology, g: GravityOptions): Float64Array[] {
  const n = topo.n;
  const rng = new Rng(g.gravitySeed);
  let w: number[];
  if (g.nodeWeights) {
    if (g.nodeWeights.length !== n)
      throw new OptionError('nodeWeights', `has ${g.nodeWeights.length} entries for ${n} nodes`, `null or ${n} positive numbers`, OWNER);
    w = g.nodeWeights;
  } else w = Array.from({ length: n }, () => rng.uniform(0.5, 1.5));
  const total = g.totalDemand ?? 0.1 * topo.numLinks;
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) norm += w[i] * w[j];
  const rows: Float64Array[] = [];
  for (let t = 0; t < g.gravityLength; t++) {
    const f = 1 + 0.3 * Math.sin((2 * Math.PI * t) / 24);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        m[i * n + j] = ((total * w[i] * w[j]) / norm) * f * Math.exp(0.2 * rng.normal() - 0.02);
      }
    }
    rows.push(m);
  }
  return rows;
}

/** Checks n for an in-code series and says which n it expects. */
export function assertSize(series: TrafficSeries, topo: Topology): void {
  if (series.n !== topo.n) throw new SchedlabError(`traffic has ${series.n}×${series.n} matrices but the topology has ${topo.n} nodes`);
}
