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
