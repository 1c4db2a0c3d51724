/**
 * Raw images: gd has no uint8 dtype, so undecoded pixels travel as plain objects over
 * `Uint8Array` storage (views, never copies) until a transform such as `ToTensor` turns them
 * into float tensors.
 */

/**
 * An 8-bit image in HWC order (row-major, channels last), as PIL / NumPy hold it. `data` has
 * `height * width * channels` bytes; for MNIST it is a view into the data set's buffer.
 *
 * @example
 * ```ts
 * const img: Image = { data: new Uint8Array(28 * 28), height: 28, width: 28, channels: 1 };
 * ```
 */
export interface Image {
  /** The pixels, `height * width * channels` bytes in HWC order. */
  data: Uint8Array;
  /** Rows, in pixels. */
  height: number;
  /** Columns, in pixels. */
  width: number;
  /** Values per pixel: 1 for grayscale, 3 for RGB. */
  channels: number;
}

/**
 * Whether `x` looks like an {@link Image} (a `Uint8Array` plus integer dimensions that match
 * its length).
 *
 * @example
 * ```ts
 * isImage({ data: new Uint8Array(4), height: 2, width: 2, channels: 1 }); // true
 * isImage([1, 2, 3]); // false
 * ```
 */
export function isImage(x: unknown): x is Image {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Partial<Image>;
  return (
    o.data instanceof Uint8Array &&
    Number.isInteger(o.height) &&
    Number.isInteger(o.width) &&
    Number.isInteger(o.channels) &&
    o.data.length === o.height! * o.width! * o.channels!
  );
}
