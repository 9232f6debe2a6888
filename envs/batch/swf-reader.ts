/**
 * Reading SWF files (`.swf`, or gzip-compressed `.swf.gz`) into `SwfTrace`s, streamed chunk by chunk
 * through `SwfParser`, and the bundled traces by name. Each resolved file is parsed once per process
 * (HPC2N is 19 MB unpacked): later loads return the cached trace.
 */
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { createGunzip, gunzipSync } from 'node:zlib';
import { InputFileError, OptionError } from '../../core/errors.js';
import { SwfParser, type BadLinePolicy } from './swf-parser.js';
import type { SwfTrace } from './swf-trace.js';

/** The traces shipped in data/traces/ (see data/traces/README.md for attribution). */
export const BUNDLED_TRACES: Readonly<Record<string, string>> = {
  'lublin-1': 'lublin_256.swf',
  'lublin-2': 'lublin_256_new2.swf',
  hpc2n: 'HPC2N-2002-2.2-cln.swf.gz',
  'nasa-ipsc': 'NASA-iPSC-1993-3.1-cln.swf.gz',
};

const CHUNK = 1 << 20;
const cache = new Map<string, SwfTrace>();

/** The package root: the nearest folder above this module holding schedlab's package.json (works from src and dist). */
export function packageRoot(): string {
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

/** A bundled trace name (`lublin-1`, ...) to its path under the package root; any other value is a path (relative to the cwd). */
export function resolveTracePath(trace: string): string {
  const bundled = BUNDLED_TRACES[trace];
  if (bundled !== undefined) return join(packageRoot(), 'data', 'traces', bundled);
  const path = resolve(trace);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new OptionError(
      'trace',
      `is '${trace}': no such file (${path})`,
      `a path to an .swf or .swf.gz file, or a bundled trace: ${Object.keys(BUNDLED_TRACES).join(', ')}`,
    );
  }
  return path;
}

/** Loads a trace by bundled name or path, synchronously (env constructors are synchronous); cached per resolved path and policy. */
export function loadTrace(trace: string, onBadLine: BadLinePolicy = 'error'): SwfTrace {
  const path = resolveTracePath(trace);
  const key = `${onBadLine}:${path}`;
  let t = cache.get(key);
  if (!t) {
    t = readSwfFileSync(path, onBadLine);
    cache.set(key, t);
    reportSkipped(t);
  }
  return t;
}

/** One stderr line per load that skipped bad lines (onBadLine: 'skip'): the count, the first line numbers and the first problem. */
export function reportSkipped(t: SwfTrace, write: (line: string) => void = (line) => process.stderr.write(line)): void {
  const { skippedBadLines: count, skippedLines: lines, skippedExamples: examples } = t.stats;
  if (count === 0) return;
  const more = count > lines.length ? `, … (${count - lines.length} more)` : '';
  write(
    `schedlab: ${t.source}: skipped ${count} malformed line${count === 1 ? '' : 's'} (onBadLine: 'skip'): line${count === 1 ? '' : 's'} ${lines.join(', ')}${more}; first: ${examples[0]}\n`,
  );
}

/** Reads an SWF file synchronously, in 1 MiB chunks (a .gz file is inflated first, then parsed in chunks). */
export function readSwfFileSync(path: string, onBadLine: BadLinePolicy = 'error'): SwfTrace {
  const parser = new SwfParser(path, onBadLine);
  const decoder = new StringDecoder('utf8');
  if (path.endsWith('.gz')) {
    let data: Buffer;
    try {
      data = gunzipSync(readFileSync(path));
    } catch (e) {
      throw new InputFileError(path, undefined, undefined, `cannot be read as gzip (${(e as Error).message}); accepted: an .swf.gz file`);
    }
    for (let off = 0; off < data.length; off += CHUNK) parser.push(decoder.write(data.subarray(off, off + CHUNK)));
  } else {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        parser.push(decoder.write(buf.subarray(0, n)));
      }
    } finally {
      closeSync(fd);
    }
  }
  parser.push(decoder.end());
  return parser.finish();
}

/** Reads an SWF file as a stream (for tools that should not hold the file in memory). */
export async function readSwfFile(path: string, onBadLine: BadLinePolicy = 'error'): Promise<SwfTrace> {
  const parser = new SwfParser(path, onBadLine);
  const file = createReadStream(path);
  const stream = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream) parser.push(chunk as string);
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new InputFileError(path, undefined, undefined, `cannot be read (${(e as Error).message})`);
  }
  return parser.finish();
}
