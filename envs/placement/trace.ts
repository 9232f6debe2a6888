/**
 * Readers of the openb node and pod lists (Alibaba's 2023 GPU cluster trace as FGD used it) and of CSV files
 * of the same columns. Bundled names resolve under `data/openb/` of the package (see its README for the
 * attribution and md5); any other value is a path relative to the working directory. Files ending in `.gz`
 * are gunzipped. Every malformed line is an `InputFileError` naming the file, the line and the field.
 *
 * Node CSV columns (header required, extra columns ignored): `sn` (name), `cpu_milli` (> 0), `memory_mib`
 * (≥ 0), `gpu` (integer 0–8), `model` (a known GPU model when gpu > 0; empty or `nan` when gpu = 0).
 * Pod CSV columns: `name`, `cpu_milli` (≥ 0), `memory_mib` (≥ 0), `num_gpu` (integer 0–8), `gpu_milli`
 * (0 when num_gpu = 0; 1–1000 when num_gpu = 1, where < 1000 shares one GPU; 1000 when num_gpu > 1),
 * `gpu_spec` (optional, as in the reference's converter: empty, `nan` or `|`-separated known GPU models the
 * pod may run on). Others are ignored.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { InputFileError, OptionError } from '../../core/errors.js';

/** GPU models of the openb cluster (G1–G3 are Alibaba's undisclosed codes). */
export const GPU_MODELS = ['A10', 'G1', 'G2', 'G3', 'P100', 'T4', 'V100M16', 'V100M32'] as const;
export const MAX_GPUS_PER_NODE = 8;
export const MILLI = 1000;

/** The 16 workload variants FGD evaluated besides `default` (cpuNNN: more CPU-only pods, gpushareNN: more sharing pods, gpuspecNN: more GPU-type constraints, multigpuNN: more multi-GPU pods). */
export const WORKLOAD_VARIANTS = [
  'cpu050',
  'cpu100',
  'cpu200',
  'cpu250',
  'gpushare40',
  'gpushare60',
  'gpushare80',
  'gpushare100',
  'gpuspec10',
  'gpuspec20',
  'gpuspec25',
  'gpuspec33',
  'multigpu20',
  'multigpu30',
  'multigpu40',
  'multigpu50',
] as const;
export const WORKLOAD_NAMES: readonly string[] = ['default', ...WORKLOAD_VARIANTS];

export interface NodeList {
  file: string;
  names: string[];
  cpuMilli: Float64Array;
  memoryMib: Float64Array;
  gpuCount: Int32Array;
  /** Index into GPU_MODELS, −1 for a node without GPUs. */
  model: Int32Array;
}

export interface PodList {
  file: string;
  names: string[];
  cpuMilli: Float64Array;
  memoryMib: Float64Array;
  numGpu: Int32Array;
  /** GPU milli per requested GPU (0 for a CPU-only pod). */
  gpuMilli: Int32Array;
  /** The constraint as the reference keys it: non-empty parts joined by `|` ('' = any model). */
  gpuSpec: string[];
  /** Bit i set: the pod may run on GPU_MODELS[i]; 0 = any model. */
  gpuSpecMask: Int32Array;
}

/** The package root: the nearest folder above this module holding schedlab's package.json (works from src and dist). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name"\s*:\s*"schedlab"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new InputFileError(
        fileURLToPath(import.meta.url),
        undefined,
        undefined,
        "cannot find schedlab's package.json above this module",
      );
    dir = up;
  }
}

export function bundledNodePath(): string {
  return join(packageRoot(), 'data', 'openb', 'openb_node_list_gpu_node.csv');
}

export function bundledWorkloadPath(name: string): string {
  return join(packageRoot(), 'data', 'openb', `openb_pod_list_${name}.csv.gz`);
}

function resolveFile(option: string, value: string, accepted: string): string {
  const path = resolve(value);
  if (!existsSync(path) || !statSync(path).isFile()) throw new OptionError(option, `is '${value}': no such file (${path})`, accepted);
  return path;
}

export const NODES_ACCEPTED = "'openb-gpu' (the bundled 1,213 GPU nodes) or the path of a node CSV (sn, cpu_milli, memory_mib, gpu, model)";
export const WORKLOAD_ACCEPTED = `'default', a variant (${WORKLOAD_VARIANTS.join(', ')}) or the path of a pod CSV (name, cpu_milli, memory_mib, num_gpu, gpu_milli[, gpu_spec])`;

export function resolveNodes(value: string): string {
  return value === 'openb-gpu' ? bundledNodePath() : resolveFile('nodes', value, NODES_ACCEPTED);
}

export function resolveWorkload(value: string): string {
  return WORKLOAD_NAMES.includes(value) ? bundledWorkloadPath(value) : resolveFile('workload', value, WORKLOAD_ACCEPTED);
}

interface CsvTable {
  file: string;
  header: string[];
  /** Each data row with its 1-based line number in the file. */
  rows: { line: number; cells: string[] }[];
}

function readCsv(path: string): CsvTable {
  let text: string;
  try {
    const bytes = readFileSync(path);
    text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    throw new InputFileError(path, undefined, undefined, `cannot read: ${(e as Error).message}`);
  }
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first].trim() === '') first++;
  if (first === lines.length)
    throw new InputFileError(path, undefined, undefined, 'is empty: expected a header line and at least one data line');
  const header = lines[first].split(',').map((h) => h.trim());
  const rows: CsvTable['rows'] = [];
  for (let i = first + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    rows.push({ line: i + 1, cells: lines[i].split(',') });
  }
  return { file: path, header, rows };
}

function columns(t: CsvTable, required: readonly string[], what: string): Record<string, number> {
  const idx: Record<string, number> = {};
  for (const name of required) {
    const i = t.header.indexOf(name);
    if (i < 0)
      throw new InputFileError(
        t.file,
        1,
        name,
        `missing column '${name}' in the header of a ${what} (found: ${t.header.join(', ')}); required: ${required.join(', ')}`,
      );
    idx[name] = i;
  }
  return idx;
}

function cell(t: CsvTable, row: CsvTable['rows'][number], idx: Record<string, number>, name: string): string {
  const v = row.cells[idx[name]];
  if (v === undefined)
    throw new InputFileError(t.file, row.line, name, `has ${row.cells.length} fields, no value for '${name}' (field ${idx[name] + 1})`);
  return v.trim();
}

function number(
  t: CsvTable,
  row: CsvTable['rows'][number],
  idx: Record<string, number>,
  name: string,
  { min = 0, integer = false, max = Infinity, minExclusive = false } = {},
): number {
  const raw = cell(t, row, idx, name);
  const v = raw === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new InputFileError(t.file, row.line, name, `'${raw}' is not a number`);
  if (integer && !Number.isInteger(v)) throw new InputFileError(t.file, row.line, name, `'${raw}' is not an integer`);
  if (minExclusive ? v <= min : v < min)
    throw new InputFileError(
      t.file,
      row.line,
      name,
      `is ${raw}; must be ${minExclusive ? '>' : '>='} ${min}${v < 0 ? ' (negative resources are not accepted)' : ''}`,
    );
  if (v > max) throw new InputFileError(t.file, row.line, name, `is ${raw}; must be <= ${max}`);
  return v;
}

function modelIndex(t: CsvTable, line: number, field: string, name: string): number {
  const i = (GPU_MODELS as readonly string[]).indexOf(name);
  if (i < 0) throw new InputFileError(t.file, line, field, `unknown GPU model '${name}'; known models: ${GPU_MODELS.join(', ')}`);
  return i;
}

const nodeCache = new Map<string, NodeList>();
const podCache = new Map<string, PodList>();

/** Reads a node CSV (cached per resolved path). */
export function loadNodes(path: string): NodeList {
  const hit = nodeCache.get(path);
  if (hit) return hit;
  const t = readCsv(path);
  const idx = columns(t, ['sn', 'cpu_milli', 'memory_mib', 'gpu', 'model'], 'node CSV');
  const n = t.rows.length;
  if (n === 0) throw new InputFileError(path, undefined, undefined, 'holds no node (only a header)');
  const out: NodeList = {
    file: path,
    names: [],
    cpuMilli: new Float64Array(n),
    memoryMib: new Float64Array(n),
    gpuCount: new Int32Array(n),
    model: new Int32Array(n),
  };
  t.rows.forEach((row, i) => {
    out.names.push(cell(t, row, idx, 'sn'));
    out.cpuMilli[i] = number(t, row, idx, 'cpu_milli', { min: 0, minExclusive: true });
    out.memoryMib[i] = number(t, row, idx, 'memory_mib');
    out.gpuCount[i] = number(t, row, idx, 'gpu', { integer: true, max: MAX_GPUS_PER_NODE });
    const model = cell(t, row, idx, 'model');
    if (out.gpuCount[i] === 0) {
      if (model !== '' && model !== 'nan') modelIndex(t, row.line, 'model', model);
      out.model[i] = -1;
    } else {
      if (model === '' || model === 'nan')
        throw new InputFileError(
          path,
          row.line,
          'model',
          `a node with ${out.gpuCount[i]} GPUs needs a GPU model; known models: ${GPU_MODELS.join(', ')}`,
        );
      out.model[i] = modelIndex(t, row.line, 'model', model);
    }
  });
  nodeCache.set(path, out);
  return out;
}

/** Reads a pod CSV (cached per resolved path). */
export function loadPods(path: string): PodList {
  const hit = podCache.get(path);
  if (hit) return hit;
  const t = readCsv(path);
  const idx = columns(t, ['name', 'cpu_milli', 'memory_mib', 'num_gpu', 'gpu_milli'], 'pod CSV');
  const hasSpec = t.header.includes('gpu_spec');
  if (hasSpec) idx.gpu_spec = t.header.indexOf('gpu_spec');
  const n = t.rows.length;
  if (n === 0) throw new InputFileError(path, undefined, undefined, 'is an empty workload: a header but no pod');
  const out: PodList = {
    file: path,
    names: [],
    cpuMilli: new Float64Array(n),
    memoryMib: new Float64Array(n),
    numGpu: new Int32Array(n),
    gpuMilli: new Int32Array(n),
    gpuSpec: [],
    gpuSpecMask: new Int32Array(n),
  };
  t.rows.forEach((row, i) => {
    out.names.push(cell(t, row, idx, 'name'));
    out.cpuMilli[i] = number(t, row, idx, 'cpu_milli');
    out.memoryMib[i] = number(t, row, idx, 'memory_mib');
    const num = number(t, row, idx, 'num_gpu', { integer: true, max: MAX_GPUS_PER_NODE });
    const milli = number(t, row, idx, 'gpu_milli', { integer: true, max: MILLI });
    if (num === 0 && milli !== 0) throw new InputFileError(path, row.line, 'gpu_milli', `is ${milli} for a pod with num_gpu 0; must be 0`);
    if (num > 0 && milli === 0) throw new InputFileError(path, row.line, 'gpu_milli', `is 0 for a pod with num_gpu ${num}; must be 1-1000`);
    if (num > 1 && milli !== MILLI)
      throw new InputFileError(
        path,
        row.line,
        'gpu_milli',
        `is ${milli} for a pod with num_gpu ${num}; only a 1-GPU pod may share a GPU, so it must be 1000`,
      );
    out.numGpu[i] = num;
    out.gpuMilli[i] = milli;
    const parts = (hasSpec ? cell(t, row, idx, 'gpu_spec') : '').split('|').filter((x) => x.length > 0 && x !== 'nan');
    let mask = 0;
    for (const p of parts) mask |= 1 << modelIndex(t, row.line, 'gpu_spec', p);
    // A CPU-only pod carries no GPU annotations in the reference (pod_csv_to_yaml.py), so no constraint.
    out.gpuSpec.push(num === 0 ? '' : parts.join('|'));
    out.gpuSpecMask[i] = num === 0 ? 0 : mask;
  });
  podCache.set(path, out);
  return out;
}
