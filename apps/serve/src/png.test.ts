import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { pngToMnist } from './png.js';
import { InputError } from './tensors.js';

function encode(
  w: number,
  h: number,
  colorType: 0 | 2 | 4 | 6,
  f: (x: number, y: number) => number[],
  bitDepth: 8 | 16 = 8,
) {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) png.data.set(f(x, y), (y * w + x) * 4);
  return PNG.sync.write(png, { colorType, bitDepth, inputColorType: 6 } as Parameters<
    typeof PNG.sync.write
  >[1]);
}
const digit = (x: number, y: number) => x >= 12 && x < 16 && y >= 4 && y < 24; // a '1'

describe('pngToMnist', () => {
  it('reads grayscale, RGB, gray+alpha and RGBA PNGs of the same digit alike', () => {
    const white = (x: number, y: number) => (digit(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 255]);
    const ref = pngToMnist(encode(28, 28, 0, white), 'body');
    expect(ref[10 * 28 + 13]).toBe(1);
    expect(ref[0]).toBe(0);
    for (const [type, depth] of [
      [2, 8],
      [4, 8],
      [6, 8],
    ] as const) {
      expect(pngToMnist(encode(28, 28, type, white, depth), 'body')).toEqual(ref);
    }
    const paper = (x: number, y: number) => (digit(x, y) ? [0, 0, 0, 255] : [255, 255, 255, 255]);
    expect(pngToMnist(encode(28, 28, 2, paper), 'body')).toEqual(ref);
  });

  it('names the field when the bytes are not a PNG it can decode', () => {
    expect(() => pngToMnist(Buffer.from('not a png at all, just some text'), 'image')).toThrow(
      InputError,
    );
    expect(() => pngToMnist(Buffer.from('not a png at all, just some text'), 'image')).toThrow(
      /^image: expected a PNG image/,
    );
    const good = encode(28, 28, 0, () => [0, 0, 0, 255]);
    const truncated = good.subarray(0, good.length - 20);
    expect(() => pngToMnist(truncated, 'body')).toThrow(/^body: PNG could not be decoded/);
  });
});
