/** MNIST and IDX from bytes (what a browser has), and gunzip through DecompressionStream. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  IDX_LABELS_MAGIC,
  MNIST,
  Normalize,
  ToTensor,
  Compose,
  gunzip,
  isGzip,
  parseIdx,
} from './index.js';
import { defaultMnistRoot, readIdx } from './node.js';

const root = defaultMnistRoot();
const bytesOf = (f: string): Uint8Array => new Uint8Array(readFileSync(join(root, f)));

describe('MNIST from the bytes of its IDX files', () => {
  it('equals the split read from its directory, batches included', () => {
    const transform = new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]);
    const fromBytes = new MNIST({
      train: false,
      images: bytesOf('t10k-images-idx3-ubyte'),
      labels: bytesOf('t10k-labels-idx1-ubyte'),
      transform,
    });
    const fromRoot = new MNIST({ train: false, transform });
    expect(fromBytes.length).toBe(10000);
    expect(fromBytes.root).toBe('');
    expect(Buffer.compare(fromBytes.images, fromRoot.images)).toBe(0);
    expect(Buffer.compare(fromBytes.labels, fromRoot.labels)).toBe(0);
    const [xa, ya] = fromBytes.getBatch([0, 9999]);
    const [xb, yb] = fromRoot.getBatch([0, 9999]);
    expect(xa.value.data).toEqual(xb.value.data);
    expect(ya.value.data).toEqual(yb.value.data);
  });

  it('rejects a half-given pair, a root with bytes, and swapped files', () => {
    const labels = bytesOf('t10k-labels-idx1-ubyte');
    const images = bytesOf('t10k-images-idx3-ubyte');
    expect(() => new MNIST({ labels })).toThrow(
      /MNIST: images and labels must both be given, as Uint8Arrays/,
    );
    expect(() => new MNIST({ root, images, labels })).toThrow(/either root or the images/);
    expect(() => new MNIST({ images: labels, labels: images })).toThrow(
      /MNIST images: wrong magic number 2049 .*swapped/,
    );
  });
});

describe('gunzip', () => {
  it('decompresses gzip bytes and passes raw bytes through', async () => {
    const raw = bytesOf('t10k-labels-idx1-ubyte');
    const gz = new Uint8Array(gzipSync(raw));
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    expect(await gunzip(gz)).toEqual(raw);
    expect(await gunzip(raw)).toBe(raw);
    expect(parseIdx(await gunzip(gz), 'labels', IDX_LABELS_MAGIC).dims).toEqual([10000]);
  });

  it('rejects a corrupt stream', async () => {
    const gz = new Uint8Array(gzipSync(new Uint8Array(1000)));
    gz.fill(7, 12, 20);
    await expect(gunzip(gz)).rejects.toThrow(/gunzip: cannot decompress gzip data/);
  });
});

describe('@gd/datasets/node', () => {
  it('reads IDX files from disk, raw or gzip', () => {
    expect(readIdx(join(root, 't10k-labels-idx1-ubyte'), IDX_LABELS_MAGIC).dims).toEqual([10000]);
    expect(() => readIdx(join(root, 'absent'))).toThrow(/absent: cannot read IDX file/);
  });
});
