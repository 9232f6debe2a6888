/**
 * WAN topologies: directed links with capacities between numbered nodes.
 *
 * Bundled (data/wan/, see its README for attribution and md5):
 * - `b4`: Google's B4 as shipped by Teal (networkx node-link JSON), 12 nodes, 38 directed links of 5,000;
 * - `abilene`: YATES' Abilene (`topologies_abilene.dot`), 12 switches s1..s12, 30 directed 1 Gbps links
 *   (host links ignored); node i is switch s(i+1), the order of `hosts_abilene.hosts` and of the matrices;
 * - `uscarrier`: Teal's UsCarrier, 158 nodes, 378 directed links.
 * Node indices: node-link JSON ids sorted numerically (ids 0..n−1 keep their value, as the columns
 * `d_<src>_<dst>` of Teal's matrices assume). A user topology is an object or a JSON file
 * `{nodes, links: [{source, target, capacity}]}`, nodes a list of ids (or `{id}` objects), index = position.
 *
 * Every ordered pair of nodes must be connected by a directed path (every pair may carry demand), links
 * must have a finite positive capacity, no self-loops and no duplicates: anything else is a clear error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputFileError, OptionError, SchedlabError } from '../../core/errors.js';

export interface Topology {
  /** 'b4', 'abilene', 'uscarrier', or the file / 'object' a user topology came from. */
  name: string;
  n: number;
  /** Node names as given (ids of the source), index = node index. */
  nodeNames: string[];
  numLinks: number;
  src: Int32Array;
  dst: Int32Array;
  /** Raw capacities, in the source's units. */
  capacity: Float64Array;
  /** The unit demands and capacities are divided by: the mean link capacity (B4: 5,000; Abilene: 1 Gbps). */
  unit: number;
  /** Outgoing link indices per node, sorted by target node index. */
  out: number[][];
  /** Incoming link indices per node. */
  in: number[][];
}

export const BUNDLED_TOPOLOGIES = ['b4', 'abilene', 'uscarrier'] as const;
export type BundledTopology = (typeof BUNDLED_TOPOLOGIES)[number];

/** The package root (where package.json and data/ are), found upwards from this module (source or dist/). */
export function wanDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data', 'wan'))) return join(dir, 'data', 'wan');
    const up = dirname(dir);
    if (up === dir) throw new SchedlabError(`cannot find schedlab's data/wan/ above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

interface RawLink {
  source: unknown;
  target: unknown;
  capacity: unknown;
}

const OWNER = 'WanTrafficEngineering-v0';

/** Loads a bundled topology by name, a JSON file, or an in-code object. */
export function loadTopology(spec: unknown): Topology {
  if (typeof spec === 'string') {
    if ((BUNDLED_TOPOLOGIES as readonly string[]).includes(spec)) return bundled(spec as BundledTopology);
    if (!existsSync(spec)) {
      throw new OptionError(
        'topology',
        `is '${spec}', neither a bundled topology nor an existing file`,
        `${BUNDLED_TOPOLOGIES.map((t) => `'${t}'`).join(' | ')} | an object or JSON file {nodes, links: [{source, target, capacity}]}`,
        OWNER,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(spec, 'utf8'));
    } catch (e) {
      throw new InputFileError(spec, undefined, undefined, `is not valid JSON (${(e as Error).message})`);
    }
    return fromNodeLink(parsed, spec);
  }
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) return fromNodeLink(spec, 'topology object');
  throw new OptionError(
    'topology',
    `is ${JSON.stringify(spec)}`,
    `${BUNDLED_TOPOLOGIES.map((t) => `'${t}'`).join(' | ')} | an object or JSON file {nodes, links: [{source, target, capacity}]}`,
    OWNER,
  );
}

const cache = new Map<string, Topology>();

function bundled(name: BundledTopology): Topology {
  const hit = cache.get(name);
  if (hit) return hit;
  const dir = wanDataDir();
  let topo: Topology;
  if (name === 'abilene') topo = fromDot(join(dir, 'topologies_abilene.dot'), join(dir, 'hosts_abilene.hosts'));
  else {
    const file = join(dir, name === 'b4' ? 'B4.json' : 'UsCarrier.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: number }[]; links: RawLink[] };
    // Node-link ids sorted numerically: ids 0..n-1 keep their value as index.
    const ids = raw.nodes.map((v) => v.id).sort((a, b) => a - b);
    topo = build(name, ids.map(String), raw.links, file);
  }
  cache.set(name, topo);
  return topo;
}

function fromNodeLink(raw: unknown, where: string): Topology {
  const o = raw as { nodes?: unknown; links?: unknown };
  if (!Array.isArray(o.nodes) || o.nodes.length < 2) {
    throw new SchedlabError(`${where}: 'nodes' must be a list of at least 2 node ids (or {id} objects), got ${JSON.stringify(o.nodes)}`);
  }
  if (!Array.isArray(o.links))
    throw new SchedlabError(`${where}: 'links' must be a list of {source, target, capacity}, got ${JSON.stringify(o.links)}`);
  const names = (o.nodes as unknown[]).map((v, i) => {
    const id = v !== null && typeof v === 'object' ? (v as { id?: unknown }).id : v;
    if (typeof id !== 'string' && typeof id !== 'number')
      throw new SchedlabError(`${where}: nodes[${i}] is ${JSON.stringify(v)}; a node is an id (string or number) or {id}`);
    return String(id);
  });
  return build(where === 'topology object' ? 'custom' : where, names, o.links as RawLink[], where);
}

function fromDot(file: string, hostsFile: string): Topology {
  const hosts = readFileSync(hostsFile, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const names = hosts.map((h) => `s${h.replace(/^h/, '')}`);
  const links: RawLink[] = [];
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = /^\s*(\w+)\s*->\s*(\w+)\s*\[(.*)\]/.exec(line);
    if (!m || !m[1].startsWith('s') || !m[2].startsWith('s')) return; // host links and node lines
    const cap = /capacity="([\d.]+)\s*([KMG]?)bps"/.exec(m[3]);
    if (!cap) throw new InputFileError(file, i + 1, 'capacity', `has no capacity="<number>[K|M|G]bps" attribute`);
    const scale = { '': 1, K: 1e3, M: 1e6, G: 1e9 }[cap[2] as '' | 'K' | 'M' | 'G'];
    links.push({ source: m[1], target: m[2], capacity: Number(cap[1]) * scale });
  });
  return build('abilene', names, links, file);
}

function build(name: string, nodeNames: string[], links: RawLink[], where: string): Topology {
  const n = nodeNames.length;
  const index = new Map<string, number>();
  nodeNames.forEach((v, i) => {
    if (index.has(v)) throw new SchedlabError(`${where}: node '${v}' is listed twice`);
    index.set(v, i);
  });
  const m = links.length;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const capacity = new Float64Array(m);
  const seen = new Set<string>();
  links.forEach((l, e) => {
    if (l === null || typeof l !== 'object')
      throw new SchedlabError(`${where}: links[${e}] is ${JSON.stringify(l)}; a link is {source, target, capacity}`);
    const s = index.get(String(l.source));
    const t = index.get(String(l.target));
    if (s === undefined)
      throw new SchedlabError(
        `${where}: links[${e}].source '${String(l.source)}' is not a node; nodes: ${nodeNames.slice(0, 20).join(', ')}${n > 20 ? ', …' : ''}`,
      );
    if (t === undefined)
      throw new SchedlabError(
        `${where}: links[${e}].target '${String(l.target)}' is not a node; nodes: ${nodeNames.slice(0, 20).join(', ')}${n > 20 ? ', …' : ''}`,
      );
    if (s === t) throw new SchedlabError(`${where}: links[${e}] is a self-loop at node '${nodeNames[s]}'; links join two different nodes`);
    const key = `${s}>${t}`;
    if (seen.has(key))
      throw new SchedlabError(`${where}: links[${e}] (${nodeNames[s]} -> ${nodeNames[t]}) is listed twice; give each directed link once`);
    seen.add(key);
    const c = l.capacity;
    if (typeof c !== 'number' || !Number.isFinite(c) || c <= 0) {
      throw new SchedlabError(
        `${where}: links[${e}] (${nodeNames[s]} -> ${nodeNames[t]}) has capacity ${JSON.stringify(c)}; a capacity must be a finite number > 0`,
      );
    }
    src[e] = s;
    dst[e] = t;
    capacity[e] = c;
  });
  const out: number[][] = Array.from({ length: n }, () => []);
  const inc: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < m; e++) {
    out[src[e]].push(e);
    inc[dst[e]].push(e);
  }
  for (const list of out) list.sort((a, b) => dst[a] - dst[b]);
  let unit = 0;
  for (let e = 0; e < m; e++) unit += capacity[e];
  unit /= Math.max(1, m);
  const topo: Topology = { name, n, nodeNames, numLinks: m, src, dst, capacity, unit, out, in: inc };
  checkConnected(topo, where);
  return topo;
}

/** Hop distances to `target` over directed links (BFS on the reverse graph); -1 = unreachable. */
export function distancesTo(topo: Topology, target: number, blockedNodes?: Uint8Array, blockedLinks?: Uint8Array): Int32Array {
  const d = new Int32Array(topo.n).fill(-1);
  d[target] = 0;
  const queue = [target];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const e of topo.in[v]) {
      const u = topo.src[e];
      if (d[u] >= 0 || blockedLinks?.[e] || blockedNodes?.[u]) continue;
      d[u] = d[v] + 1;
      queue.push(u);
    }
  }
  return d;
}

function checkConnected(topo: Topology, where: string): void {
  for (let t = 0; t < topo.n; t++) {
    const d = distancesTo(topo, t);
    const s = d.findIndex((x) => x < 0);
    if (s >= 0) {
      throw new SchedlabError(
        `${where}: OD pair ${topo.nodeNames[s]} -> ${topo.nodeNames[t]} is disconnected (no directed path from node ${s} to node ${t}); every ordered pair of nodes must be connected, since any pair may carry demand`,
      );
    }
  }
}
