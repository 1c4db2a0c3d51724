/**
 * The IDX file format of MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian header
 * (two zero bytes, a type code, the number of dims, then each dim as a uint32) followed by the
 * data. Files may be raw or gzip-compressed; both are read without copying the pixels. Parsing
 * works on bytes anywhere; reading a path needs Node (the `#platform` import picks the side).
 */
import { gunzipSync, readFileBytes } from '#platform';

/**
 * Magic number of an IDX file of unsigned bytes with 3 dims (images: count, rows, cols).
 *
 * @example
 * ```ts
 * readIdx('train-images-idx3-ubyte', IDX_IMAGES_MAGIC);
 * ```
 */
export const IDX_IMAGES_MAGIC = 2051;
/**
 * Magic number of an IDX file of unsigned bytes with 1 dim (labels).
 *
 * @example
 * ```ts
 * readIdx('train-labels-idx1-ubyte', IDX_LABELS_MAGIC);
 * ```
 */
export const IDX_LABELS_MAGIC = 2049;

/**
 * The contents of an IDX file of unsigned bytes: its dims and a view of its data.
 *
 * @example
 * ```ts
 * const { dims, data } = readIdx('train-labels-idx1-ubyte'); // dims [60000], data.length 60000
 * ```
 */
export interface IdxArray {
  /** The magic number from the header (2051 for images, 2049 for labels). */
  magic: number;
  /** Size of each dim, from the header. */
  dims: number[];
  /** The data bytes, row-major: a view into the file's buffer (no copy). */
  data: Uint8Array;
}

function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return 'an IDX image file';
  if (magic === IDX_LABELS_MAGIC) return 'an IDX label file';
  return 'an IDX file';
}

/**
 * Parses the bytes of an IDX file of unsigned bytes (raw or gzip, detected by the gzip magic
 * bytes). `file` names the file in error messages; `expectedMagic`, when given, must match the
 * header. Throws an Error naming the file on a wrong magic number, a truncated header or data,
 * extra bytes after the data, or a corrupt gzip stream.
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]);
 * parseIdx(bytes, 'labels', IDX_LABELS_MAGIC); // { magic: 2049, dims: [2], data: [7, 3] }
 * ```
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedMagic?: number): IdxArray {
  let buf = bytes;
  if (isGzip(buf)) {
    if (gunzipSync === null) {
      throw new Error(
        `${file}: the bytes are gzip-compressed, which cannot be decompressed synchronously here (a browser): decompress them first with parseIdx(await gunzip(bytes), ...), or serve the raw file`,
      );
    }
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new Error(`${file}: cannot decompress gzip data (${(e as Error).message})`);
    }
  }
  if (buf.length < 4) {
    throw new Error(
      `${file}: truncated IDX file: ${buf.length} bytes, too short for the 4-byte magic number`,
    );
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0, false);
  const typeCode = buf[2]!;
  const ndim = buf[3]!;
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    const hint =
      magic === IDX_IMAGES_MAGIC || magic === IDX_LABELS_MAGIC
        ? ` (this is ${describeMagic(magic)}; were the image and label files swapped?)`
        : '';
    throw new Error(
      `${file}: wrong magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}); expected ${expectedMagic} for ${describeMagic(expectedMagic)}${hint}`,
    );
  }
  if (buf[0] !== 0 || buf[1] !== 0 || typeCode !== 0x08) {
    throw new Error(
      `${file}: wrong magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}); expected an IDX file of unsigned bytes (0x000008NN)`,
    );
  }
  const headerBytes = 4 + 4 * ndim;
  if (buf.length < headerBytes) {
    throw new Error(
      `${file}: truncated IDX file: ${buf.length} bytes, but the header of ${ndim} dims needs ${headerBytes}`,
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    count *= size;
  }
  const available = buf.length - headerBytes;
  if (available !== count) {
    const shape = dims.join(' x ');
    const problem =
      available < count
        ? `truncated IDX file: the header says ${shape} (${count} bytes of data) but only ${available} follow the ${headerBytes}-byte header`
        : `dims inconsistent with the file length: the header says ${shape} (${count} bytes of data) but ${available} bytes follow the ${headerBytes}-byte header`;
    throw new Error(`${file}: ${problem}`);
  }
  // A plain Uint8Array view (not a Node Buffer) of the data bytes: no copy.
  return { magic, dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, count) };
}

/**
 * Reads and parses an IDX file of unsigned bytes (raw or gzip). See {@link parseIdx}; a file
 * that cannot be read throws an Error naming it. Node only (also exported by
 * `@gd/datasets/node`); in a browser it throws, and {@link parseIdx} takes fetched bytes.
 *
 * @example
 * ```ts
 * const images = readIdx('/data/train-images-idx3-ubyte.gz', IDX_IMAGES_MAGIC);
 * images.dims; // [60000, 28, 28]
 * ```
 */
export function readIdx(path: string, expectedMagic?: number): IdxArray {
  return parseIdx(readFileBytes(path, 'IDX file'), path, expectedMagic);
}

/**
 * Whether `bytes` start with gzip's magic bytes (0x1f 0x8b).
 *
 * @example
 * ```ts
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])); // true
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes with the platform's `DecompressionStream` (browsers, Node 18+, Deno);
 * bytes that are not gzip are returned as they are. Rejects with an Error on a corrupt stream.
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array(await (await fetch('t10k-labels-idx1-ubyte.gz')).arrayBuffer());
 * const labels = parseIdx(await gunzip(bytes), 't10k-labels', IDX_LABELS_MAGIC);
 * ```
 */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream !== 'function') {
    throw new Error('gunzip: this platform has no DecompressionStream');
  }
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`gunzip: cannot decompress gzip data (${(e as Error).message})`);
  }
}
