/**
 * Gymnasium's `data_equivalence` for schedlab's values: typed arrays are compared like `np.allclose`
 * (rtol = atol = 1e-5, same dtype and length) or exactly; arrays and plain objects recursively; anything
 * else with `===`. `firstDifference` says where two values differ, for the checker's messages.
 */

const RTOL = 1e-5;
const ATOL = 1e-5;

export function dataEquivalence(a: unknown, b: unknown, exact = false): boolean {
  return firstDifference(a, b, exact) === null;
}

/** The path and values of the first difference between `a` and `b`, or null when they are equivalent. */
export function firstDifference(a: unknown, b: unknown, exact = false, path = ''): string | null {
  const here = path || 'value';
  if (ArrayBuffer.isView(a) && !(a instanceof DataView)) {
    if (!ArrayBuffer.isView(b) || a.constructor !== b.constructor) return `${here}: ${typeName(a)} vs ${typeName(b)}`;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return `${here}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      const same = exact ? x[i] === y[i] : Math.abs(x[i] - y[i]) <= ATOL + RTOL * Math.abs(y[i]);
      if (!same) return `${here}[${i}]: ${x[i]} vs ${y[i]}`;
    }
    return null;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return `${here}: array vs ${typeName(b)}`;
    if (a.length !== b.length) return `${here}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], exact, `${here}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return `${here}: object vs ${typeName(b)}`;
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join('\u0000') !== kb.join('\u0000')) return `${here}: keys [${ka.join(', ')}] vs [${kb.join(', ')}]`;
    for (const k of ka) {
      const d = firstDifference(a[k], b[k], exact, path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  // Numbers (rewards, Discrete observations) are compared exactly, as Python's == in data_equivalence.
  return a === b ? null : `${here}: ${String(a)} vs ${String(b)}`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return typeof x;
  return x.constructor?.name ?? 'object';
}
