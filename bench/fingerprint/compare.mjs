// Compares two fingerprints written by record.mjs, part by part (see record.mjs).
import { readFileSync } from 'node:fs';

const [a, b] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const canon = (v) =>
  JSON.stringify(v, (k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k2) => [k2, x[k2]]),
        )
      : x,
  );
for (const key of Object.keys(a)) {
  const x = a[key],
    y = b[key];
  const parts = ['curve', 'greedy', 'sampled', 'weights', 'counters', 'rng', 'normalization'];
  const diff = parts.filter((p) => canon(x[p]) !== canon(y?.[p]));
  console.log(key.padEnd(32), diff.length ? 'DIFFERS: ' + diff.join(', ') : 'identical');
  if (diff.includes('curve')) {
    for (let i = 0; i < x.curve.length; i++) {
      if (canon(x.curve[i]) !== canon(y.curve[i])) {
        console.log('  row', i, canon(x.curve[i]).slice(0, 300));
        console.log('  new', canon(y.curve[i]).slice(0, 300));
        break;
      }
    }
  }
}
