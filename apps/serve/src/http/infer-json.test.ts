import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInferJson } from './infer-json.js';

type Body = { inputs?: { data?: unknown }[] };

/** The body as JSON.parse would give it: the scanned arrays put back in place. */
function reassembled(text: string): unknown {
  const { body, data } = parseInferJson(Buffer.from(text, 'utf8'));
  const inputs = (body as Body).inputs;
  for (const [i, values] of data) {
    const input = inputs?.[i];
    expect(input?.data).toEqual([]);
    (input as { data: unknown }).data = Array.from(values);
  }
  return body;
}

const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
};

/** The exact decimal digits of the point halfway between a positive double and the next one up. */
function halfwayAbove(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn) - 1075;
  // x = m * 2^exponent, so halfway is (2m + 1) * 2^(exponent - 1).
  const m = (1n << 52n) | (bits & ((1n << 52n) - 1n));
  const twice = 2n * m + 1n;
  const k = 1 - exponent;
  if (k <= 0) return (twice << BigInt(-k)).toString();
  const d = (twice * 5n ** BigInt(k)).toString();
  return d.length > k
    ? `${d.slice(0, d.length - k)}.${d.slice(d.length - k)}`
    : `0.${'0'.repeat(k - d.length)}${d}`;
}

/** A decimal cut (not rounded) to its first `digits` significant digits. */
function cutDigits(n: string, digits: number): string {
  let seen = 0;
  let end = 0;
  for (; end < n.length && seen < digits; end++) {
    const c = n[end] as string;
    if (c >= '1' || (c === '0' && seen > 0)) seen++;
  }
  const cut = n.slice(0, end);
  // Digits cut off before the dot are zeros, not gone.
  const dot = n.indexOf('.');
  return dot < 0 || dot >= end
    ? cut + '0'.repeat(Math.max(0, (dot < 0 ? n.length : dot) - end))
    : cut;
}

/** The decimal one unit in its last place above (`0.19` -> `0.20`, `99.9` -> `100.0`). */
function bumpLastDigit(n: string): string {
  const chars = [...n];
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === '.') continue;
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return `1${chars.join('')}`;
}

describe('parseInferJson', () => {
  it('reads flat inputs[i].data number arrays into Float64Arrays, the rest with JSON.parse', () => {
    const text =
      '{"id":"a","inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1, -2.5e3 ]},' +
      '{"name":"y","parameters":{"data":[9]},"data":[[1,2]]},{"data":[0.1,-0,3]}],"outputs":[]}';
    const { body, data } = parseInferJson(Buffer.from(text));
    expect([...data.keys()]).toEqual([0, 2]);
    expect(Array.from(data.get(0)!)).toEqual([1, -2500]);
    expect(Object.is(data.get(2)![1], -0)).toBe(true);
    // Nested data and data in parameters are JSON.parse's.
    expect((body as Body).inputs![1]).toEqual({
      name: 'y',
      parameters: { data: [9] },
      data: [[1, 2]],
    });
    expect(reassembled(text)).toEqual(JSON.parse(text));
  });

  it('gives exactly the doubles JSON.parse gives', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })), (values) => {
        const text = JSON.stringify({ inputs: [{ name: 'x', data: values }] });
        const { data } = parseInferJson(Buffer.from(text));
        const parsed = (JSON.parse(text) as Body).inputs![0]!.data as number[];
        const got = Array.from(data.get(0) ?? []);
        expect(got.length).toBe(parsed.length);
        got.forEach((v, i) => expect(Object.is(v, parsed[i])).toBe(true));
      }),
      { numRuns: 300 },
    );
    for (const n of [
      '9007199254740993',
      '123456789012345678901234',
      '1e-400',
      '1e400',
      '5E+2',
      '0.0000000000000000000000001',
    ]) {
      const text = `{"inputs":[{"data":[${n}]}]}`;
      expect(Array.from(parseInferJson(Buffer.from(text)).data.get(0)!)).toEqual([Number(n)]);
    }
  });

  it('gives exactly the doubles JSON.parse gives for 16 to 19 significant digits', () => {
    const same = (numbers: string[]) => {
      const text = `{"inputs":[{"data":[${numbers.join(',')}]}]}`;
      const got = Array.from(parseInferJson(Buffer.from(text)).data.get(0)!);
      const want = (JSON.parse(text) as Body).inputs![0]!.data as number[];
      got.forEach((v, i) => expect([numbers[i], v]).toEqual([numbers[i], want[i]]));
    };
    // Floats printed in full (what a client's JSON.stringify of a Float32Array sends).
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true })), (values) =>
        same(values.map(String)),
      ),
      { numRuns: 300 },
    );
    // Any 16 to 19 digits, the dot anywhere (or none), either sign.
    const digitString = fc
      .tuple(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 18 }),
        fc.nat(),
        fc.nat({ max: 3 }),
        fc.boolean(),
      )
      .map(([first, rest, at, zeros, negative]) => {
        const d = `${first}${rest.join('')}`;
        const dot = at % (d.length + 1);
        const n =
          dot === 0
            ? `0.${'0'.repeat(zeros)}${d}`
            : dot === d.length
              ? d
              : `${d.slice(0, dot)}.${d.slice(dot)}`;
        return negative ? `-${n}` : n;
      });
    fc.assert(fc.property(fc.array(digitString, { maxLength: 50 }), same), { numRuns: 300 });
    // A hair below and above halfway between two neighbouring doubles: the exact halfway
    // point's digits (from BigInt) cut to 17, 18 or 19 significant digits, and one up in the last.
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 1e-8, max: 1e18, noNaN: true }),
          fc.float({ min: Math.fround(1e-6), max: Math.fround(1e6), noNaN: true }).map(Number),
        ),
        fc.integer({ min: 17, max: 19 }),
        (x, digits) => {
          const below = cutDigits(halfwayAbove(x), digits);
          same([below, bumpLastDigit(below), `-${below}`, `-${bumpLastDigit(below)}`]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads runs of digits of any length (four bytes at a time or one) and stops at any other byte', () => {
    const digits = fc.stringMatching(/^[0-9]{1,24}$/);
    fc.assert(
      fc.property(digits, digits, fc.boolean(), (whole, fraction, negative) => {
        const n = `${negative ? '-' : ''}${whole.replace(/^0+(?=[0-9])/, '')}.${fraction}`;
        const text = `{"inputs":[{"data":[${n},${n.slice(0, n.indexOf('.'))}]}]}`;
        expect(reassembled(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
    // Every byte after the digits of a run that would be read four at a time.
    for (let b = 0; b < 256; b++) {
      const text = `{"inputs":[{"data":[123456${String.fromCharCode(b)}7890,0.1234${String.fromCharCode(b)}5678]}]}`;
      const expected = errorOf(() => JSON.parse(text));
      if (expected === undefined) expect(reassembled(text)).toEqual(JSON.parse(text));
      else expect(errorOf(() => parseInferJson(Buffer.from(text)))).toBe(expected);
    }
  });

  it('agrees with JSON.parse on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 3 }), (other, data) => {
        const text = JSON.stringify({ inputs: [{ data, other }, { data: other }], other });
        expect(reassembled(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves bodies it cannot be sure of to JSON.parse: same result, same errors', () => {
    for (const text of [
      '{"inputs":[{"data":[01]}]}',
      '{"inputs":[{"data":[1.]}]}',
      '{"inputs":[{"data":[.5]}]}',
      '{"inputs":[{"data":[+1]}]}',
      '{"inputs":[{"data":[1,]}]}',
      '{"inputs":[{"data":[1 2]}]}',
      '{"inputs":[{"data":[-]}]}',
      '{"inputs":[{"data":[1e]}]}',
      '{"inputs":[{"data":[1]}]',
      '{"inputs":[{"data":[1]}],}',
      '{"inputs":[{"data":[1],"name":"x}]}',
    ]) {
      expect(errorOf(() => parseInferJson(Buffer.from(text)))).toBe(
        errorOf(() => JSON.parse(text)),
      );
      expect(errorOf(() => JSON.parse(text))).toBeDefined();
    }
    for (const text of [
      '{"inputs":[{"data":[1],"data":[2]}]}',
      '{"inputs":[{"data":[1]}],"inputs":[{"data":[2]}]}',
      '{"inputs":[{"d\\u0061ta":[1]}]}',
      '{"\\u0069nputs":[{"data":[1]}]}',
      '{"inputs":[{"data":["1"]}]}',
      '{"x":"\\"inputs\\":[{\\"data\\":[1]}]"}',
      '[{"inputs":[{"data":[1]}]}]',
    ]) {
      const { body, data } = parseInferJson(Buffer.from(text));
      expect(data.size).toBe(0);
      expect(body).toEqual(JSON.parse(text));
    }
  });
});
