/**
 * A reader of TensorFlow's checkpoint "tensor bundle" (`variables.index` + `variables.data-NNNNN-of-NNNNN`,
 * as written by tf.train.Saver and SavedModel), with no TensorFlow dependency:
 * - `variables.index` is a LevelDB table (SSTable): data blocks of prefix-compressed key/value entries
 *   with restart points, an index block pointing at them, and a 48-byte footer (two block handles, padding,
 *   the magic 0xdb4775248b80fb57). Each block is followed by a type byte (0: uncompressed) and a masked
 *   CRC-32C of the block and that byte, checked here.
 * - The empty key holds the BundleHeaderProto; every other key is a tensor name whose value is a
 *   BundleEntryProto (dtype, shape, shard, offset, size, CRC-32C of the bytes).
 * - The data shards hold the raw little-endian tensors.
 * Sources: LevelDB's table_format.md; TensorFlow's tensor_bundle.proto and tensor_bundle.cc.
 * Only float32 tensors are decoded (what policies are made of); others are listed with their dtype.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputFileError } from '../../core/errors.js';

const MAGIC_LO = 0x8b80fb57;
const MAGIC_HI = 0xdb477524;
const FOOTER_SIZE = 48;
const DT_FLOAT = 1;
const DTYPE_NAMES: Record<number, string> = { 1: 'float32', 2: 'float64', 3: 'int32', 9: 'int64', 10: 'bool', 7: 'string' };

export interface BundleTensor {
  name: string;
  dtype: string;
  shape: number[];
  /** The values, for float32 tensors. */
  values?: Float32Array;
}

// ---- CRC-32C (Castagnoli), as LevelDB and TensorFlow use it ------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** LevelDB's and TensorFlow's masked CRC (stored CRCs are masked so a CRC of CRCs stays meaningful). */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

// ---- varints and protobuf fields --------------------------------------------------------------

class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
    private readonly fail: (problem: string) => never,
  ) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('a varint runs past the end of its block');
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * scale;
      if (!(b & 0x80)) return result;
      scale *= 128;
    }
    return this.fail('a varint is longer than 10 bytes');
  }

  take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) this.fail(`a field of ${n} bytes runs past the end of its block`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** The fields of one protobuf message: number → values (varints as numbers, length-delimited as bytes). */
function protoFields(bytes: Uint8Array, fail: (problem: string) => never): Map<number, (number | Uint8Array)[]> {
  const c = new Cursor(bytes, 0, bytes.length, fail);
  const fields = new Map<number, (number | Uint8Array)[]>();
  while (c.pos < c.end) {
    const tag = c.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    let value: number | Uint8Array;
    if (wire === 0) value = c.varint();
    else if (wire === 2) value = c.take(c.varint());
    else if (wire === 5) value = new DataView(c.take(4).slice().buffer).getUint32(0, true);
    else if (wire === 1) value = c.take(8);
    else return fail(`an entry has a field of wire type ${wire}, which a BundleEntryProto does not use`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}

// ---- the SSTable ------------------------------------------------------------------------------

/** The entries of one table block (keys and values) after checking its trailer's type and CRC. */
function readBlock(file: Uint8Array, offset: number, size: number, fail: (problem: string) => never, what: string): [string, Uint8Array][] {
  if (offset + size + 5 > file.length) fail(`the ${what} block (offset ${offset}, ${size} bytes) runs past the end of the file`);
  const contents = file.subarray(offset, offset + size);
  const type = file[offset + size];
  if (type !== 0) fail(`the ${what} block is compressed (type ${type}); only uncompressed bundles are read`);
  const stored = new DataView(file.buffer, file.byteOffset + offset + size + 1, 4).getUint32(0, true);
  if (maskCrc(crc32c(file.subarray(offset, offset + size + 1))) !== stored)
    fail(`the ${what} block at offset ${offset} fails its CRC-32C check (the file is corrupt)`);
  if (size < 4) fail(`the ${what} block is too short (${size} bytes)`);
  const view = new DataView(contents.buffer, contents.byteOffset, contents.byteLength);
  const restarts = view.getUint32(size - 4, true);
  const entriesEnd = size - 4 - 4 * restarts;
  if (restarts < 1 || entriesEnd < 0) fail(`the ${what} block has a bad restart count (${restarts})`);
  const c = new Cursor(contents, 0, entriesEnd, fail);
  const entries: [string, Uint8Array][] = [];
  let key = new Uint8Array(0);
  while (c.pos < c.end) {
    const shared = c.varint();
    const unshared = c.varint();
    const valueLength = c.varint();
    if (shared > key.length) fail(`an entry of the ${what} block shares ${shared} bytes with a ${key.length}-byte key`);
    const next = new Uint8Array(shared + unshared);
    next.set(key.subarray(0, shared));
    next.set(c.take(unshared), shared);
    key = next;
    entries.push([new TextDecoder().decode(key), c.take(valueLength)]);
  }
  return entries;
}

/** Every tensor of the bundle `prefix` (e.g. `dir/variables`), in name order. */
export function readTensorBundle(prefix: string): BundleTensor[] {
  const indexFile = `${prefix}.index`;
  if (!existsSync(indexFile))
    throw new InputFileError(
      indexFile,
      undefined,
      undefined,
      'is missing: a TensorFlow tensor bundle has PREFIX.index and PREFIX.data-NNNNN-of-NNNNN files',
    );
  const file = new Uint8Array(readFileSync(indexFile));
  const fail = (problem: string): never => {
    throw new InputFileError(indexFile, undefined, undefined, problem);
  };
  if (file.length < FOOTER_SIZE) fail(`is ${file.length} bytes, shorter than the 48-byte table footer`);
  const footer = new DataView(file.buffer, file.byteOffset + file.length - FOOTER_SIZE, FOOTER_SIZE);
  if (footer.getUint32(40, true) !== MAGIC_LO || footer.getUint32(44, true) !== MAGIC_HI) {
    fail(
      `has a bad magic number (${footer.getUint32(44, true).toString(16)}${footer.getUint32(40, true).toString(16).padStart(8, '0')}); not a LevelDB table / TensorFlow bundle index`,
    );
  }
  const fc = new Cursor(file, file.length - FOOTER_SIZE, file.length - 8, fail);
  fc.varint(); // metaindex offset
  fc.varint(); // metaindex size
  const indexOffset = fc.varint();
  const indexSize = fc.varint();

  const entries: [string, Uint8Array][] = [];
  for (const [, handle] of readBlock(file, indexOffset, indexSize, fail, 'index')) {
    const hc = new Cursor(handle, 0, handle.length, fail);
    entries.push(...readBlock(file, hc.varint(), hc.varint(), fail, 'data'));
  }
  const header = entries.find(([k]) => k === '');
  if (!header) fail('has no bundle header (the entry with the empty key)');
  const numShards = Number(protoFields(header![1], fail).get(1)?.[0] ?? 1);
  const shards = new Map<number, Uint8Array>();
  const shard = (id: number): Uint8Array => {
    let data = shards.get(id);
    if (!data) {
      const name = `${prefix}.data-${String(id).padStart(5, '0')}-of-${String(numShards).padStart(5, '0')}`;
      if (!existsSync(name)) throw new InputFileError(name, undefined, undefined, 'is missing (the index names it)');
      data = new Uint8Array(readFileSync(name));
      shards.set(id, data);
    }
    return data;
  };

  const tensors: BundleTensor[] = [];
  for (const [name, value] of entries) {
    if (name === '') continue;
    const failEntry = (problem: string): never => fail(`entry '${name}': ${problem}`);
    const f = protoFields(value, failEntry);
    const dtype = Number(f.get(1)?.[0] ?? 0);
    const shape = ((f.get(2)?.[0] as Uint8Array | undefined) ? (protoFields(f.get(2)![0] as Uint8Array, failEntry).get(2) ?? []) : []).map(
      (dim) => Number(protoFields(dim as Uint8Array, failEntry).get(1)?.[0] ?? 0),
    );
    const tensor: BundleTensor = { name, dtype: DTYPE_NAMES[dtype] ?? `dtype ${dtype}`, shape };
    if (dtype === DT_FLOAT) {
      const shardId = Number(f.get(3)?.[0] ?? 0);
      const offset = Number(f.get(4)?.[0] ?? 0);
      const size = Number(f.get(5)?.[0] ?? 0);
      const count = shape.reduce((a, b) => a * b, 1);
      if (size !== count * 4) failEntry(`holds ${size} bytes for a float32 tensor of shape [${shape.join(', ')}] (${count * 4} expected)`);
      const data = shard(shardId);
      if (offset + size > data.length)
        failEntry(`lies at bytes ${offset}..${offset + size} beyond the end of its data shard (${data.length} bytes)`);
      const bytes = data.slice(offset, offset + size);
      const crc = f.get(6)?.[0];
      if (typeof crc === 'number' && maskCrc(crc32c(bytes)) !== crc && crc32c(bytes) !== crc)
        failEntry('fails its CRC-32C check (the data file is corrupt)');
      tensor.values = new Float32Array(bytes.buffer, 0, count);
    }
    tensors.push(tensor);
  }
  return tensors;
}

/** The bundle in a SavedModel or checkpoint folder: `DIR/variables` (a SavedModel's variables/ folder, or DIR itself). */
export function bundlePrefix(dir: string): string {
  for (const prefix of [join(dir, 'variables', 'variables'), join(dir, 'variables')]) if (existsSync(`${prefix}.index`)) return prefix;
  throw new InputFileError(
    dir,
    undefined,
    undefined,
    'holds no TensorFlow tensor bundle (variables.index, or variables/variables.index of a SavedModel)',
  );
}
