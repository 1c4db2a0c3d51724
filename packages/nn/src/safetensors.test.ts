import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { arange, manualSeed, randn, tensor, zeros } from '@gd/autograd';
import { Linear, ReLU, Sequential } from './index.js';
import {
  SafetensorsError,
  load,
  loadFile,
  loadSafetensors,
  save,
  saveSafetensors,
} from './safetensors.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
}

// Reference bytes, written by a short Python script that implements the format as
// huggingface/safetensors' `serialize` does (safetensors/src/tensor.rs: sort by decreasing
// dtype then name, compact serde_json header with __metadata__ first, spaces to a multiple of 8,
// u64 little-endian length). The script reproduces that file's own test vectors (ATTN, EMPTY,
// EMPTY_META, ATTN_ALIGNED below are those vectors).
//
// SMALL = serialize({weight F32 [2,3] [0.5, -1.25, 3, 0.1, 2^-20, -0], bias F32 [3] [1, 2, -3.5],
//   b64 F64 [2] [0.1, -1e300], idx I32 [3] [0, -7, 2147483647], mask BOOL [2,2] [T, F, F, T],
//   scalar F32 [] [42]}, {format: 'pt', epoch: '3'})
// UNICODE = serialize({'é"\n': I32 [1] [5], empty: F64 [0, 3]}, {note: 'ünï "q"'})
// EXTRA_DTYPES = {h: F16 [4] [1, -2.5, 65504, 2^-24], bf: BF16 [3] [1, -3, 0.15625],
//   q: I64 [3] [-5, 2^31-1, -2^31]};  I64_TOO_BIG = {q: I64 [1] [2^40]}
const SMALL = hex(
  '90010000000000007b225f5f6d657461646174615f5f223a7b2265706f6368223a2233222c22666f726d6174223a2270' +
    '74227d2c22623634223a7b226474797065223a22463634222c227368617065223a5b325d2c22646174615f6f66667365' +
    '7473223a5b302c31365d7d2c2262696173223a7b226474797065223a22463332222c227368617065223a5b335d2c2264' +
    '6174615f6f666673657473223a5b31362c32385d7d2c227363616c6172223a7b226474797065223a22463332222c2273' +
    '68617065223a5b5d2c22646174615f6f666673657473223a5b32382c33325d7d2c22776569676874223a7b2264747970' +
    '65223a22463332222c227368617065223a5b322c335d2c22646174615f6f666673657473223a5b33322c35365d7d2c22' +
    '696478223a7b226474797065223a22493332222c227368617065223a5b335d2c22646174615f6f666673657473223a5b' +
    '35362c36385d7d2c226d61736b223a7b226474797065223a22424f4f4c222c227368617065223a5b322c325d2c226461' +
    '74615f6f666673657473223a5b36382c37325d7d7d2020209a9999999999b93f9c7500883ce437fe0000803f00000040' +
    '000060c0000028420000003f0000a0bf00004040cdcccc3d000080350000008000000000f9ffffffffffff7f01000001',
);
const ATTN = hex(
  '40000000000000007b226174746e2e30223a7b226474797065223a22463332222c227368617065223a5b312c322c335d' +
    '2c22646174615f6f666673657473223a5b302c32345d7d7d000000000000803f0000004000004040000080400000a040',
);
const EMPTY = hex('08000000000000007b7d202020202020');
const EMPTY_META = hex(
  '28000000000000007b225f5f6d657461646174615f5f223a7b226672616d65776f726b223a227074227d7d2020202020',
);
const ATTN_ALIGNED = hex(
  '48000000000000007b226174746e30223a7b226474797065223a22463332222c227368617065223a5b312c312c322c33' +
    '5d2c22646174615f6f666673657473223a5b302c32345d7d7d20202020202020000000000000803f0000004000004040' +
    '000080400000a040',
);
const UNICODE = hex(
  'a0000000000000007b225f5f6d657461646174615f5f223a7b226e6f7465223a22c3bc6ec3af205c22715c22227d2c22' +
    '656d707479223a7b226474797065223a22463634222c227368617065223a5b302c335d2c22646174615f6f6666736574' +
    '73223a5b302c305d7d2c22c3a95c225c6e223a7b226474797065223a22493332222c227368617065223a5b315d2c2264' +
    '6174615f6f666673657473223a5b302c345d7d7d2020202005000000',
);
const EXTRA_DTYPES = hex(
  'a8000000000000007b2271223a7b226474797065223a22493634222c227368617065223a5b335d2c22646174615f6f66' +
    '6673657473223a5b302c32345d7d2c226266223a7b226474797065223a2242463136222c227368617065223a5b335d2c' +
    '22646174615f6f666673657473223a5b32342c33305d7d2c2268223a7b226474797065223a22463136222c2273686170' +
    '65223a5b345d2c22646174615f6f666673657473223a5b33302c33385d7d7d20fbffffffffffffffffffff7f00000000' +
    '00000080ffffffff803f40c0203e003c00c1ff7b0100',
);
const I64_TOO_BIG = hex(
  '38000000000000007b2271223a7b226474797065223a22493634222c227368617065223a5b315d2c22646174615f6f66' +
    '6673657473223a5b302c385d7d7d20200000000000010000',
);

const small = (): Record<string, Tensor> => ({
  weight: tensor([
    [0.5, -1.25, 3.0],
    [0.1, 2 ** -20, -0],
  ]),
  bias: tensor([1, 2, -3.5]),
  b64: tensor([0.1, -1e300], { dtype: 'float64' }),
  idx: tensor([0, -7, 2147483647], { dtype: 'int32' }),
  mask: tensor([
    [true, false],
    [false, true],
  ]),
  scalar: tensor(42),
});

/** Builds a file from a header text and data bytes (padding the header like the writer). */
function file(header: string, data: Uint8Array | number[] = []): Uint8Array {
  const json = new TextEncoder().encode(header);
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const d = Uint8Array.from(data);
  const out = new Uint8Array(8 + padded + d.length).fill(0x20, 8, 8 + padded);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.set(d, 8 + padded);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'gd-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saveSafetensors writes the reference bytes', () => {
  it('for a dict of every dtype with metadata (sorted by dtype, then name)', () => {
    expect(saveSafetensors(small(), { format: 'pt', epoch: '3' })).toEqual(SMALL);
    // The insertion order of the record does not matter.
    const reversed = Object.fromEntries(Object.entries(small()).reverse());
    expect(saveSafetensors(reversed, { epoch: '3', format: 'pt' })).toEqual(SMALL);
  });

  it("for the reference implementation's own test vectors", () => {
    const attn = arange(6, { dtype: 'float32' }).reshape(1, 2, 3);
    expect(saveSafetensors({ 'attn.0': attn })).toEqual(ATTN);
    expect(saveSafetensors({ attn0: attn.reshape(1, 1, 2, 3) })).toEqual(ATTN_ALIGNED);
    expect(saveSafetensors({})).toEqual(EMPTY);
    expect(saveSafetensors({}, { framework: 'pt' })).toEqual(EMPTY_META);
  });

  it('for escaped and non-ASCII names and metadata, and zero-element tensors', () => {
    const t = {
      'é"\n': tensor([5], { dtype: 'int32' }),
      empty: zeros([0, 3], { dtype: 'float64' }),
    };
    expect(saveSafetensors(t, { note: 'ünï "q"' })).toEqual(UNICODE);
  });

  it('writes non-contiguous tensors in row-major order', () => {
    const x = arange(6).reshape(2, 3);
    const back = loadSafetensors(saveSafetensors({ xt: x.t() })).tensors.xt!;
    expect(back.toArray()).toEqual(x.t().toArray());
    expect(saveSafetensors({ a: x.t() })).toEqual(saveSafetensors({ a: x.t().contiguous() }));
  });

  it('rejects the reserved name, non-tensors and non-string metadata', () => {
    expect(() => saveSafetensors({ __metadata__: zeros([1]) })).toThrow(
      /the tensor name "__metadata__" is reserved/,
    );
    expect(() => saveSafetensors({ a: [1] as unknown as Tensor })).toThrow(/"a" is not a Tensor/);
    expect(() => saveSafetensors({}, { epoch: 3 as unknown as string })).toThrow(
      /metadata value of "epoch" must be a string, got number/,
    );
  });
});

describe('loadSafetensors', () => {
  it('reads the reference bytes: values, dtypes, shapes, metadata', () => {
    const { tensors, metadata } = loadSafetensors(SMALL);
    expect(metadata).toEqual({ epoch: '3', format: 'pt' });
    expect(Object.keys(tensors)).toEqual(['b64', 'bias', 'scalar', 'weight', 'idx', 'mask']);
    const want = small();
    for (const [k, t] of Object.entries(tensors)) {
      expect(t.dtype).toBe(want[k]!.dtype);
      expect(t.shape).toEqual(want[k]!.shape);
      expect(t.toArray()).toEqual(want[k]!.toArray());
      expect(t.requiresGrad).toBe(false);
    }
    expect(Object.is((tensors.weight!.toArray() as number[][])[1]![2], -0)).toBe(true);
    expect(loadSafetensors(EMPTY)).toEqual({ tensors: {} });
    expect(loadSafetensors(EMPTY_META).metadata).toEqual({ framework: 'pt' });
    const u = loadSafetensors(UNICODE);
    expect(u.tensors['é"\n']!.toArray()).toEqual([5]);
    expect(u.tensors.empty!.shape).toEqual([0, 3]);
    expect(u.metadata).toEqual({ note: 'ünï "q"' });
  });

  it('reads F16, BF16 and I64 (as float32 and int32), and refuses I64 values beyond int32', () => {
    const { tensors } = loadSafetensors(EXTRA_DTYPES);
    expect(tensors.h!.dtype).toBe('float32');
    expect(tensors.h!.toArray()).toEqual([1, -2.5, 65504, 2 ** -24]);
    expect(tensors.bf!.toArray()).toEqual([1, -3, 0.15625]);
    expect(tensors.q!.dtype).toBe('int32');
    expect(tensors.q!.toArray()).toEqual([-5, 2147483647, -2147483648]);
    expect(() => loadSafetensors(I64_TOO_BIG)).toThrow(
      /tensor "q": I64 value 1099511627776 does not fit gd's int32/,
    );
  });

  it('round-trips every dtype, shapes from 0-d to 4-d, and metadata', () => {
    manualSeed(0);
    const t: Record<string, Tensor> = {
      f32: randn([2, 3, 4]),
      f64: randn([5], { dtype: 'float64' }),
      i32: tensor([[-2147483648, 0, 2147483647]], { dtype: 'int32' }),
      b: randn([2, 2, 1, 2]).gt(0),
      zero_d: tensor(3.25, { dtype: 'float64' }),
      special: tensor([Number.NaN, Infinity, -Infinity, -0]),
      none: zeros([0]),
    };
    const bytes = saveSafetensors(t, { a: '1' });
    const back = loadSafetensors(bytes);
    expect(back.metadata).toEqual({ a: '1' });
    for (const [k, v] of Object.entries(t)) {
      expect(back.tensors[k]!.dtype).toBe(v.dtype);
      expect(back.tensors[k]!.shape).toEqual(v.shape);
      expect(back.tensors[k]!.toArray()).toEqual(v.toArray());
    }
    // Saving what was loaded gives the same bytes.
    expect(saveSafetensors(back.tensors, back.metadata)).toEqual(bytes);
    // Reading from a view inside a larger buffer works too.
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(loadSafetensors(padded.subarray(3)).tensors.f64!.toArray()).toEqual(t.f64!.toArray());
  });
});

describe('loadSafetensors rejects malformed files with clear errors', () => {
  const f32 = (name: string, shape: number[], begin: number, end: number, dtype = 'F32'): string =>
    `${JSON.stringify(name)}:{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;
  const cases: [string, Uint8Array, RegExp][] = [
    [
      'a truncated file',
      hex('0800'),
      /^safetensors: x\.st: file is truncated: 2 bytes, fewer than the 8 that give the header length$/,
    ],
    [
      'a header length larger than the file',
      SMALL.subarray(0, 100),
      /header length 400 is larger than the file \(100 bytes\): the file is truncated or not a safetensors file/,
    ],
    [
      'a huge header length',
      hex('ffffffffffffffff7b7d'),
      /header length 18446744073709551615 is larger than the file \(10 bytes\)/,
    ],
    ['invalid JSON', file('{"a":'), /the header is not valid JSON/],
    ['a JSON array', file('[1,2]'), /the header must be a JSON object/],
    [
      'invalid UTF-8',
      file('{"\xff"}').map((b) => (b === 0xc3 ? 0xff : b)),
      /the header is not valid UTF-8/,
    ],
    [
      'an unknown dtype',
      file(`{${f32('w', [1], 0, 16, 'F128')}}`, new Array(16).fill(0)),
      /tensor "w": unknown dtype "F128" \(gd reads BOOL, U8, I8, I16, F16, BF16, I32, F32, F64, I64\)/,
    ],
    [
      'a missing dtype',
      file('{"w":{"shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /tensor "w": missing dtype/,
    ],
    [
      'a bad shape',
      file('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /tensor "w": shape must be an array of non-negative integers, got \[-1\]/,
    ],
    [
      'bad data_offsets',
      file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}', [0, 0, 0, 0]),
      /tensor "w": data_offsets must be \[begin, end\]/,
    ],
    [
      'data_offsets ending before they begin',
      file(`{${f32('w', [0], 4, 0)}}`, [0, 0, 0, 0]),
      /tensor "w": data_offsets \[4, 0\] end before they begin/,
    ],
    [
      'data_offsets out of range',
      file(`{${f32('w', [2], 0, 8)}}`, [0, 0, 0, 0]),
      /tensor "w": data_offsets \[0, 8\] are out of range: the data section has 4 bytes \(the file is truncated\?\)/,
    ],
    [
      'overlapping data_offsets',
      file(`{${f32('a', [2], 0, 8)},${f32('b', [2], 4, 12)}}`, new Array(12).fill(0)),
      /tensors "a" and "b" overlap: data_offsets \[0, 8\] and \[4, 12\]/,
    ],
    [
      'a gap between tensors',
      file(`{${f32('a', [1], 0, 4)},${f32('b', [1], 8, 12)}}`, new Array(12).fill(0)),
      /tensor "b": data_offsets \[8, 12\] leave a gap: the previous tensor ends at 4/,
    ],
    [
      'a shape that does not match its offsets',
      file(`{${f32('w', [2, 3], 0, 20)}}`, new Array(20).fill(0)),
      /tensor "w": shape \[2, 3\] of F32 needs 24 bytes, but data_offsets \[0, 20\] hold 20/,
    ],
    [
      'trailing bytes after the data',
      file(`{${f32('w', [1], 0, 4)}}`, new Array(8).fill(0)),
      /the data section has 8 bytes but the tensors cover 4/,
    ],
    [
      'non-string metadata',
      file('{"__metadata__":{"epoch":3}}'),
      /__metadata__ must map strings to strings/,
    ],
    [
      'a BOOL byte other than 0 or 1',
      file(`{${f32('m', [2], 0, 2, 'BOOL')}}`, [1, 2]),
      /tensor "m": BOOL byte 2 is neither 0 nor 1/,
    ],
    [
      'a tensor entry that is not an object',
      file('{"w":5}'),
      /tensor "w": expected an object with dtype, shape and data_offsets/,
    ],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      expect(() => loadSafetensors(bytes, { name: 'x.st' })).toThrow(SafetensorsError);
      expect(() => loadSafetensors(bytes, { name: 'x.st' })).toThrow(message);
    });
  }

  it('names the file when loading from disk, and <bytes> otherwise', () => {
    const path = join(dir, 'broken.safetensors');
    writeFileSync(path, SMALL.subarray(0, SMALL.length - 1));
    expect(() => load(path)).toThrow(
      `safetensors: ${path}: tensor "mask": data_offsets [68, 72] are out of range: the data section has 71 bytes`,
    );
    expect(() => loadSafetensors(hex('00'))).toThrow(/^safetensors: <bytes>: file is truncated/);
    expect(() => load(join(dir, 'missing.safetensors'))).toThrow(
      /safetensors: .*missing\.safetensors: could not read \(ENOENT/,
    );
  });
});

describe('save and load files', () => {
  it('save(module) then loadStateDict(load(path)) restores the model exactly', () => {
    manualSeed(1);
    const a = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    manualSeed(2);
    const b = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    const path = join(dir, 'model.safetensors');
    save(a, path, { epoch: '1' });
    expect(readFileSync(path)).toEqual(Buffer.from(saveSafetensors(a.stateDict(), { epoch: '1' })));
    const w = b.at(0).parameters()[0]!;
    b.loadStateDict(load(path));
    expect(b.at(0).parameters()[0]).toBe(w);
    for (const [k, v] of Object.entries(a.stateDict()))
      expect(b.stateDict()[k]!.toArray()).toEqual(v.toArray());
    expect(loadFile(path).metadata).toEqual({ epoch: '1' });
    // A record of tensors saves too.
    save({ t: tensor([1, 2]) }, path);
    expect(load(path).t!.toArray()).toEqual([1, 2]);
  });

  it('replaces the file atomically and leaves no temporary file behind', () => {
    const sub = join(dir, 'atomic');
    mkdirSync(sub);
    const path = join(sub, 'w.safetensors');
    save({ x: zeros([1000]) }, path);
    save({ y: tensor([3]) }, path);
    expect(readdirSync(sub)).toEqual(['w.safetensors']);
    expect(Object.keys(load(path))).toEqual(['y']);
  });

  it('a failed save leaves the old file intact and removes its temporary file', () => {
    const sub = join(dir, 'failing');
    mkdirSync(sub);
    const path = join(sub, 'w.safetensors');
    save({ x: tensor([1]) }, path);
    // Serialisation errors happen before anything is written.
    expect(() => save({ x: tensor([1]) }, path, { bad: 1 as unknown as string })).toThrow(
      /metadata value of "bad" must be a string/,
    );
    // The rename fails when the target is a non-empty directory.
    const target = join(sub, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'keep'), 'x');
    expect(() => save({ x: tensor([2]) }, target)).toThrow(
      new RegExp(`safetensors: ${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: could not save`),
    );
    expect(readdirSync(sub).sort()).toEqual(['taken', 'w.safetensors']);
    expect(load(path).x!.toArray()).toEqual([1]);
    // A missing directory: nothing is created.
    expect(() => save({ x: tensor([2]) }, join(sub, 'nope', 'w.safetensors'))).toThrow(
      /could not save \(ENOENT/,
    );
    expect(existsSync(join(sub, 'nope'))).toBe(false);
  });
});
