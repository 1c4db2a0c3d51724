/**
 * A JSON infer request read with its flat `inputs[i].data` number arrays parsed straight from
 * the body's bytes into Float64Arrays: JSON.parse would first build an array of boxed numbers
 * (and decode the whole body to a string), which for an image is most of the request's parse
 * time. Everything else goes through JSON.parse as before, and any body the byte scanner is not
 * sure of (escapes in keys, nested or non-numeric data, repeated keys, malformed JSON) is
 * parsed by JSON.parse alone, so errors and results are those of JSON.parse.
 */

/** The parsed body, and each input's numbers (by input position) that were left out of it. */
export interface ScannedInfer {
  body: unknown;
  /** The `data` of `inputs[i]`, whose place in `body` holds an empty array. */
  data: Map<number, Float64Array>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Powers of ten exactly representable as doubles (Clinger's fast path). */
// A plain array: V8 reads it faster here than a Float64Array.
const POW10: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Below this, every integer is a double exactly (at it, a rounded larger one could be too). */
const MAX_EXACT = 2 ** 53;
/** Significant digits kept in the first part of a number (below 10^15: exact in a double). */
const HIGH_LIMIT = 1e14;
/**
 * Below this, four more digits keep the first part an exact integer (below 2^53): a float
 * printed in full (16 significant digits, or 17) then needs no second part at all, or a short one.
 */
const CHUNK_LIMIT = 900719925473;

/**
 * Whether the four bytes of `v` (read little-endian) are all ASCII digits: each byte's high
 * nibble is 3, and adding 6 does not carry out of its low nibble (the test simdjson and
 * fast_float use; a carry between bytes comes only from a byte that already fails).
 */
function allDigits(v: number): boolean {
  return ((v & 0xf0f0f0f0) | (((v + 0x06060606) & 0xf0f0f0f0) >>> 4)) === 0x33333333;
}

/** The value of four ASCII digits read little-endian (the first digit in the lowest byte). */
function fourDigits(v: number): number {
  const d = v - 0x30303030;
  // Bytes 0 and 2: the first and the last two digits as numbers 0..99 (no carries: 9 * 10 + 9).
  const pairs = (d * 10 + (d >>> 8)) & 0x00ff00ff;
  return (pairs & 0xff) * 100 + (pairs >>> 16);
}
/** Dekker's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;
/** A double's bits, for its exponent (one scratch value: the scanner runs on one thread). */
const BITS = new Float64Array(1);
const BITS_WORDS = new Uint32Array(BITS.buffer);

// The rounding error of the product p = a * b, exactly (a * b = p + error), with Dekker's split:
// JavaScript has no fused multiply-add.
function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * `(high * 10^k + low) / 10^f`, correctly rounded, for the 16 to 19 significant digits a double
 * printed in full has (`high` their first 15 or 16, `low` the rest): the quotient in double-double
 * arithmetic (about 104 bits), rounded once. NaN when that quotient lies so near the midpoint
 * between two doubles that its own error could decide the rounding (about one number in 2^30;
 * the caller then asks `Number`).
 */
function quotient(high: number, k: number, low: number, f: number): number {
  const pk = POW10[k] as number;
  const p = high * pk;
  const pe = productError(high, pk, p);
  // The integer n1 + n2 (n1 + n2 = p + pe + low up to about 2^-106 of it).
  const n1 = p + low;
  const n2 = low - (n1 - p) + pe;
  // Long division by d = 10^f: q1, then the remainder's share q2.
  const d = POW10[f] as number;
  const q1 = n1 / d;
  const r = q1 * d;
  const re = productError(q1, d, r);
  const q2 = (n1 - r - re + n2) / d;
  const value = q1 + q2;
  // value + err is q1 + q2 exactly; the rounding is sure when the boundary of value's interval
  // on err's side (half an ulp away, a quarter below a power of two) is far beyond err.
  const err = q2 - (value - q1);
  BITS[0] = value;
  const word = BITS_WORDS[1] as number;
  const exponent = (word >>> 20) & 0x7ff;
  if (exponent < 64) return NaN;
  const powerOfTwo = (word & 0xfffff) === 0 && BITS_WORDS[0] === 0;
  BITS_WORDS[1] = (exponent - 52) << 20;
  BITS_WORDS[0] = 0;
  const ulp = BITS[0] as number;
  const room = err >= 0 ? ulp / 2 - err : (powerOfTwo ? ulp / 4 : ulp / 2) + err;
  return room > ulp * 2 ** -30 ? value : NaN;
}

/**
 * The number being read: its first significant digits (`high`: 15 of them, or 16 when the last
 * four came in one read, below 2^53 either way), the next ones (`low`) and how many those are
 * (leading zeros add nothing). One object for the whole scan: the scanner runs on one thread.
 */
const run = { high: 0, low: 0, lowDigits: 0 };

/**
 * Reads the digits from `bytes[i]` on into `run`: four at a time while `high` stays exact, then
 * one at a time. Returns the index after them.
 */
function digitRun(bytes: Buffer, view: DataView, i: number): number {
  let { high, low, lowDigits } = run;
  while (high < CHUNK_LIMIT && i + 4 <= bytes.length) {
    const v = view.getUint32(i, true);
    if (!allDigits(v)) break;
    high = high * 10000 + fourDigits(v);
    i += 4;
  }
  let c = bytes[i] as number;
  while (c >= 0x30 && c <= 0x39) {
    if (high < HIGH_LIMIT) high = high * 10 + (c - 0x30);
    else {
      low = low * 10 + (c - 0x30);
      lowDigits++;
    }
    c = bytes[++i] as number;
  }
  run.high = high;
  run.low = low;
  run.lowDigits = lowDigits;
  return i;
}

/**
 * Reads a flat array of JSON numbers starting at `bytes[start]` (a `[`). Returns the numbers and
 * the index after the `]`, or undefined when the array is anything else (then JSON.parse reads
 * it). Each number is exactly what JSON.parse gives: digits that fit below 2^53 over a power of
 * ten up to 10^22 divide exactly rounded; 16 to 19 significant digits (a float printed in full)
 * go through `quotient`; anything else (exponents, more digits) through `Number`. Digit runs go
 * through {@link digitRun} (a byte at a time they took half of a JSON image request's parse).
 * (Written with literal byte values and no per-number allocation: this is the hot path.)
 */
function numberArray(
  bytes: Buffer,
  start: number,
): { values: Float64Array; end: number } | undefined {
  let out = new Float64Array(1024);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let n = 0;
  let i = start + 1;
  // Bytes read past the end are undefined: every comparison below is then false.
  let c = bytes[i] as number;
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++i] as number;
  if (c === CLOSE_ARRAY) return { values: out.subarray(0, 0), end: i + 1 };
  for (;;) {
    const from = i;
    let negative = false;
    if (c === 0x2d) {
      negative = true;
      c = bytes[++i] as number;
    }
    // JSON: no leading zeros, at least one digit before and after a dot.
    run.high = 0;
    run.low = 0;
    run.lowDigits = 0;
    let digits: number;
    if (c === 0x30) {
      digits = 1;
      i++;
    } else {
      const end = digitRun(bytes, view, i);
      digits = end - i;
      i = end;
    }
    c = bytes[i] as number;
    if (digits === 0) return undefined;
    let fraction = 0;
    if (c === 0x2e) {
      const end = digitRun(bytes, view, i + 1);
      fraction = end - i - 1;
      i = end;
      c = bytes[i] as number;
      if (fraction === 0) return undefined;
    }
    const { high, low, lowDigits } = run;
    let value: number;
    if (c === 0x65 || c === 0x45) {
      c = bytes[++i] as number;
      if (c === 0x2b || c === 0x2d) c = bytes[++i] as number;
      if (!(c >= 0x30 && c <= 0x39)) return undefined;
      while (c >= 0x30 && c <= 0x39) c = bytes[++i] as number;
      value = Number(bytes.toString('latin1', from, i));
    } else if (fraction > 22 || lowDigits > 4) {
      value = Number(bytes.toString('latin1', from, i));
    } else {
      if (lowDigits === 0) value = high / (POW10[fraction] as number);
      else {
        const w = high * (POW10[lowDigits] as number) + low;
        value =
          w < MAX_EXACT
            ? w / (POW10[fraction] as number)
            : quotient(high, lowDigits, low, fraction);
        if (value !== value)
          value = Number(bytes.toString('latin1', negative ? from + 1 : from, i));
      }
      if (negative) value = -value;
    }
    if (n === out.length) {
      const grown = new Float64Array(n * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = value;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++i] as number;
    if (c === COMMA) {
      c = bytes[++i] as number;
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++i] as number;
      continue;
    }
    if (c === CLOSE_ARRAY) return { values: out.subarray(0, n), end: i + 1 };
    return undefined;
  }
}

/** The index after the string starting at `bytes[start]` (a `"`), and whether it had escapes. */
function skipString(bytes: Uint8Array, start: number): { end: number; escaped: boolean } {
  let i = start + 1;
  let escaped = false;
  while (i < bytes.length) {
    const c = bytes[i];
    if (c === BACKSLASH) {
      escaped = true;
      i += 2;
      continue;
    }
    if (c === QUOTE) return { end: i + 1, escaped };
    i++;
  }
  return { end: bytes.length, escaped };
}

/** Whether `bytes[from, to)` is the key `"name"` (no escapes). */
function isKey(bytes: Uint8Array, from: number, to: number, name: string): boolean {
  if (to - from !== name.length + 2) return false;
  for (let k = 0; k < name.length; k++)
    if (bytes[from + 1 + k] !== name.charCodeAt(k)) return false;
  return true;
}

/**
 * Finds the `[` of each `inputs[i].data` array (root object, key `inputs`, i-th object of that
 * array, key `data`) and reads the flat numeric ones. Undefined when the layout is not plain
 * enough to be sure (a key with escapes, a repeated `inputs` or `data`).
 */
function scanInputs(
  bytes: Buffer,
): { at: number; end: number; input: number; values: Float64Array }[] | undefined {
  const found: { at: number; end: number; input: number; values: Float64Array }[] = [];
  // Containers open now: true for an object. Keys are tracked only where the path can match.
  const stack: boolean[] = [];
  let expectKey = false;
  let lastKey: string | undefined;
  let rootKey: string | undefined;
  let inputsSeen = false;
  let input = -1;
  let dataSeen = false;
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i] as number;
    if (c === QUOTE) {
      const { end, escaped } = skipString(bytes, i);
      if (expectKey) {
        const depth = stack.length;
        if (escaped && (depth === 1 || depth === 3)) return undefined;
        lastKey =
          depth === 1 && isKey(bytes, i, end, 'inputs')
            ? 'inputs'
            : depth === 3 && isKey(bytes, i, end, 'data')
              ? 'data'
              : '';
        if (depth === 1) {
          rootKey = lastKey;
          if (lastKey === 'inputs') {
            if (inputsSeen) return undefined;
            inputsSeen = true;
          }
        }
        if (depth === 3 && rootKey === 'inputs' && lastKey === 'data') {
          if (dataSeen) return undefined;
          dataSeen = true;
        }
        expectKey = false;
      }
      i = end;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const depth = stack.length;
      if (
        c === OPEN_ARRAY &&
        depth === 3 &&
        rootKey === 'inputs' &&
        lastKey === 'data' &&
        stack[2] === true &&
        stack[1] === false
      ) {
        const read = numberArray(bytes, i);
        if (read) {
          found.push({ at: i, end: read.end, input, values: read.values });
          lastKey = undefined;
          i = read.end;
          continue;
        }
      }
      if (c === OPEN_OBJECT && depth === 2 && rootKey === 'inputs' && stack[1] === false) {
        input++;
        dataSeen = false;
      }
      stack.push(c === OPEN_OBJECT);
      expectKey = c === OPEN_OBJECT;
      i++;
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
      expectKey = false;
      i++;
      continue;
    }
    if (c === COMMA) expectKey = stack[stack.length - 1] === true;
    else if (c === COLON) expectKey = false;
    i++;
  }
  return found;
}

/**
 * Parses a JSON infer request body.
 *
 * @example
 * ```ts
 * const { body, data } = parseInferJson(Buffer.from('{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,2.5]}]}'));
 * // body.inputs[0].data is [], data.get(0) is Float64Array [1, 2.5]
 * ```
 */
export function parseInferJson(bytes: Buffer): ScannedInfer {
  const found = scanInputs(bytes);
  const data = new Map<number, Float64Array>();
  if (!found || found.length === 0) return { body: JSON.parse(bytes.toString('utf8')), data };
  let text = '';
  let from = 0;
  for (const f of found) {
    text += `${bytes.toString('utf8', from, f.at)}[]`;
    from = f.end;
    data.set(f.input, f.values);
  }
  text += bytes.toString('utf8', from);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Malformed elsewhere: JSON.parse of the whole body throws its own message.
    return { body: JSON.parse(bytes.toString('utf8')), data: new Map() };
  }
  return { body, data };
}
