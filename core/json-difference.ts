/**
 * Where two JSON values first differ, for error messages about mismatched spaces or networks: the path
 * (`shape[0]`, `low[3]`, `layers.pi[1]`) and both values, short, instead of two long dumps cut mid-number.
 */
export function firstDifference(a: unknown, b: unknown, path = ''): { path: string; a: string; b: string } | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return { path: path || '(value)', a: short(a), b: short(b) };
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isPlain(a) && isPlain(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return undefined;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : { path: path || '(value)', a: short(a), b: short(b) };
}

/** A value as JSON; an array longer than 8 as its length and first elements. */
function short(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v) && v.length > 8)
    return `${v.length} values [${v
      .slice(0, 4)
      .map((x) => JSON.stringify(x))
      .join(', ')}, …]`;
  const text = JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, text.lastIndexOf(',', 117) + 1 || 117)} …` : text;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
