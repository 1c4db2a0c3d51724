import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_POOLED_BYTES,
  MIN_POOLED_ELEMENTS,
  allocUninitialized,
  emptyBufferPool,
  pooledBufferBytes,
  recycle,
} from './buffer-pool.js';
import { emptyCache, nativeBackend } from '../../index.js';

const N = MIN_POOLED_ELEMENTS * 2;

describe('the native backend buffer pool', () => {
  afterEach(() => emptyBufferPool());

  it('hands a recycled buffer to the next allocation of the same dtype and size', () => {
    const dead = allocUninitialized('float32', N) as Float32Array;
    recycle(dead);
    expect(pooledBufferBytes()).toBe(N * 4);
    expect(allocUninitialized('float64', N / 2).length).toBe(N / 2); // same bytes, other dtype
    expect(allocUninitialized('float32', N + 1).length).toBe(N + 1); // other size
    const reused = allocUninitialized('float32', N);
    expect(reused).toBe(dead);
    expect(pooledBufferBytes()).toBe(0);
  });

  it('keeps only whole, large, unshared buffers, up to its byte limit', () => {
    const small = new Float32Array(MIN_POOLED_ELEMENTS - 1);
    const part = new Float32Array(new ArrayBuffer(N * 8), 0, N); // half of a larger buffer
    const shared = new Float32Array(new SharedArrayBuffer(N * 4));
    const huge = new Float32Array(MAX_POOLED_BYTES / 4 + MIN_POOLED_ELEMENTS);
    for (const data of [small, part, shared, huge]) recycle(data);
    expect(pooledBufferBytes()).toBe(0);
    expect(allocUninitialized('float32', N)).not.toBe(part);
  });

  it('gives each recycled buffer out once', () => {
    const a = allocUninitialized('float32', N);
    const b = allocUninitialized('float32', N);
    recycle(a);
    recycle(b);
    const first = allocUninitialized('float32', N);
    const second = allocUninitialized('float32', N);
    first.fill(1);
    second.fill(2);
    expect(first[0]).toBe(1);
    expect(first.buffer).not.toBe(second.buffer);
  });

  it.skipIf(!nativeBackend)('is emptied by emptyCache()', () => {
    nativeBackend!.recycle!(allocUninitialized('float32', N));
    expect(pooledBufferBytes()).toBe(N * 4);
    emptyCache();
    expect(pooledBufferBytes()).toBe(0);
  });
});
