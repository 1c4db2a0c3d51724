import { describe, expect, it } from 'vitest';
import { arange, recycleStorage } from './index.js';

describe('recycleStorage', () => {
  it('makes every later read of the storage, through any view, throw a clear error', () => {
    const x = arange(8192).reshape(64, 128);
    const view = x.t();
    const other = arange(8192);
    recycleStorage(x.storage);
    const message = /memory was handed back for reuse/;
    expect(() => x.data).toThrow(message);
    expect(() => view.sum()).toThrow(message);
    expect(() => x.add(1)).toThrow(message);
    expect(other.sum().item()).toBe((8191 * 8192) / 2); // other storages are untouched
  });

  it('leaves the values of tensors allocated afterwards intact', () => {
    const dead = arange(16384).mul(2);
    recycleStorage(dead.storage);
    // the native backend may hand the dead buffer to one of these: each has its own values
    const a = arange(16384).mul(3);
    const b = arange(16384).mul(5);
    expect([a.max().item(), b.max().item()]).toEqual([16383 * 3, 16383 * 5]);
    expect(a.storage.raw).not.toBe(b.storage.raw);
  });
});
