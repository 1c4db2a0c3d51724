import { describe, expect, it } from 'vitest';
import { preprocessingFrom, readOnnxModelInfo } from './onnx-metadata.js';

// A hand-assembled ModelProto: ir_version 8, producer "gd" "0.1", a graph field to skip, and
// two metadata props (protobuf wire format: tag = field << 3 | wire type).
function ld(field: number, payload: number[]): number[] {
  return [(field << 3) | 2, payload.length, ...payload];
}
const str = (s: string) => Array.from(Buffer.from(s));
const model = Uint8Array.from([
  ...[(1 << 3) | 0, 8],
  ...ld(2, str('gd')),
  ...ld(3, str('0.1')),
  ...ld(7, [1, 2, 3, 4, 5]),
  ...ld(14, [...ld(1, str('normalize.mean')), ...ld(2, str('[0.1307]'))]),
  ...ld(14, [...ld(1, str('labels')), ...ld(2, str('["zero","one"]'))]),
]);

describe('readOnnxModelInfo', () => {
  it('reads producer and metadata props, skipping the graph', () => {
    expect(readOnnxModelInfo(model)).toEqual({
      producerName: 'gd',
      producerVersion: '0.1',
      metadata: { 'normalize.mean': '[0.1307]', labels: '["zero","one"]' },
    });
  });

  it('throws on bytes that are not a protobuf message', () => {
    expect(() => readOnnxModelInfo(model.subarray(0, model.length - 3))).toThrow(
      /runs past the end/,
    );
    expect(() => readOnnxModelInfo(Buffer.from('hello world, not onnx'))).toThrow();
  });
});

describe('preprocessingFrom', () => {
  it('reads mean/std as JSON arrays, numbers lists, or one normalize object; labels as JSON or CSV', () => {
    expect(
      preprocessingFrom({
        normalization_mean: '[0.1307]',
        normalization_std: '[0.3081]',
        class_labels: '["0","1"]',
      }),
    ).toEqual({ mean: [0.1307], std: [0.3081], labels: ['0', '1'] });
    expect(
      preprocessingFrom({ 'normalize.mean': '[0.1307]', 'normalize.std': '[0.3081]' }),
    ).toEqual({
      mean: [0.1307],
      std: [0.3081],
    });
    expect(preprocessingFrom({ mean: '0.5, 0.5', std: '0.25 0.25', labels: 'cat,dog' })).toEqual({
      mean: [0.5, 0.5],
      std: [0.25, 0.25],
      labels: ['cat', 'dog'],
    });
    expect(
      preprocessingFrom({ normalize: '{"mean":[0.1],"std":[0.2]}', labels: '[0,1,2]' }),
    ).toEqual({
      mean: [0.1],
      std: [0.2],
      labels: ['0', '1', '2'],
    });
  });

  it('ignores what it cannot use (text, zero std)', () => {
    expect(preprocessingFrom({ mean: 'abc', std: '[0]', labels: 'x' })).toEqual({});
  });
});
