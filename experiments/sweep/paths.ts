/** Dotted key paths (`env.options.load`) into plain JSON objects. */

export function hasPath(obj: unknown, path: string): boolean {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !(key in cur)) return false;
    cur = (cur as Record<string, unknown>)[key];
  }
  return true;
}

/** Sets `path`, creating intermediate objects; returns false when a non-object stands in the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): boolean {
  const keys = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const key of keys.slice(0, -1)) {
    if (cur[key] === undefined) cur[key] = {};
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) return false;
    cur = next as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
  return true;
}

/** Every leaf and object key path of `obj`, to list what a sweep can address. */
export function listPaths(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path, ...listPaths(value, path));
  }
  return out;
}
