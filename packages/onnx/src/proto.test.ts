/**
 * The bytes written: field numbers as the ONNX schema defines them (checked on the wire), and
 * little-endian raw data.
 */
import { describe, expect, it } from 'vitest';
import { rawData, tensorProto } from './graph.js';
import { decodeOnnx, encodeModel } from './proto.js';

describe('the ONNX schema', () => {
  it("encodes ModelProto fields with the schema's field numbers and round-trips them", () => {
    const bytes = encodeModel({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      producer_name: 'gd',
      producer_version: '0',
      graph: { name: 'g', node: [], initializer: [], input: [], output: [] },
      metadata_props: [{ key: 'k', value: 'v' }],
    });
    // Field 1 (ir_version, varint): tag 0x08, value 8.
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x08, 8]);
    const back = decodeOnnx(bytes);
    expect(back.ir_version).toBe(8);
    expect(back.producer_name).toBe('gd');
    expect(back.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(back.metadata_props).toEqual([{ key: 'k', value: 'v' }]);
    // metadata_props is field 14 (length-delimited): tag 14 << 3 | 2 = 0x72.
    expect(bytes.includes(0x72)).toBe(true);
  });
});

describe('raw data', () => {
  it('is little-endian for every element type', () => {
    expect(Array.from(rawData('int64', [-1, 2]))).toEqual([
      255, 255, 255, 255, 255, 255, 255, 255, 2, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(Array.from(rawData('int32', [258]))).toEqual([2, 1, 0, 0]);
    expect(Array.from(rawData('float32', [1]))).toEqual([0, 0, 128, 63]);
    expect(Array.from(rawData('float64', [-2]))).toEqual([0, 0, 0, 0, 0, 0, 0, 192]);
    expect(Array.from(rawData('bool', [1, 0, 1]))).toEqual([1, 0, 1]);
  });

  it('a TensorProto checks its element count', () => {
    expect(tensorProto('t', 'float32', [2, 2], [1, 2, 3, 4]).dims).toEqual([2, 2]);
    expect(() => tensorProto('t', 'float32', [2, 2], [1, 2, 3])).toThrow(
      /tensor 't': 3 values for shape \[2, 2\] \(4 elements\)/,
    );
  });
});
