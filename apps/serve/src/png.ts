/**
 * PNG uploads to MNIST-shaped ink: decoded with pngjs (grayscale, RGB, palette, with or without
 * alpha, any bit depth), then prepared like the page's canvas (web/preprocess.ts).
 */
import { PNG } from 'pngjs';
import { InputError } from './tensors.js';
import { rgbaToInk, toMnist } from './web/preprocess.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Larger images are refused before decoding (a small PNG can inflate to gigabytes). */
export const MAX_PIXELS = 4096 * 4096;

/**
 * Decodes a PNG of a digit to 784 ink values in [0, 1] (28x28, white digit on black).
 * Throws InputError naming `field` when the bytes are not a PNG this server can decode.
 *
 * @example
 * ```ts
 * const ink = pngToMnist(readFileSync('seven.png'), 'body'); // Float32Array(784)
 * ```
 */
export function pngToMnist(bytes: Uint8Array, field: string): Float32Array {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new InputError(
      field,
      'expected a PNG image (the bytes do not start with the PNG signature)',
      'bad_image',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) {
    throw new InputError(
      field,
      `PNG is ${width}x${height}; expected at least 1x1 and at most ${MAX_PIXELS} pixels`,
      'bad_image',
    );
  }
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new InputError(field, `PNG could not be decoded: ${(e as Error).message}`, 'bad_image');
  }
  const ink = rgbaToInk(png.data, png.width, png.height);
  return toMnist(ink, png.width, png.height);
}
