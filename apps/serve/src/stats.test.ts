import { describe, expect, it } from 'vitest';
import { ModelStats, mergeStats } from './stats.js';

describe('mergeStats (--processes)', () => {
  it('adds up counts and times of the same model version, merges batch sizes, keeps the latest inference', () => {
    const a = new ModelStats('m', '1');
    a.queued(1);
    a.batch(1, 1, { inputMs: 0.5, runMs: 2, outputMs: 0.25 });
    a.succeeded(3);
    const b = new ModelStats('m', '1');
    b.queued(2);
    b.batch(4, 2, { inputMs: 1, runMs: 4, outputMs: 0.5 });
    b.batch(1, 1, { inputMs: 0.5, runMs: 2, outputMs: 0.25 });
    b.succeeded(5);
    b.failed(1);
    const other = new ModelStats('n', '2');
    other.succeeded(1);
    const [m, n] = mergeStats([[a.toTriton(), other.toTriton()], [b.toTriton()]]);
    expect(m).toMatchObject({
      name: 'm',
      version: '1',
      inference_count: 6,
      execution_count: 3,
      last_inference: Math.max(a.toTriton().last_inference, b.toTriton().last_inference),
      inference_stats: {
        success: { count: 2, ns: 8e6 },
        fail: { count: 1, ns: 1e6 },
        queue: { count: 2, ns: 3e6 },
        compute_infer: { count: 4, ns: 2e6 + 8e6 + 2e6 },
      },
    });
    expect(m!.batch_stats.map((s) => [s.batch_size, s.compute_infer])).toEqual([
      [1, { count: 2, ns: 4e6 }],
      [4, { count: 1, ns: 4e6 }],
    ]);
    expect(n).toMatchObject({
      name: 'n',
      version: '2',
      inference_stats: { success: { count: 1 } },
    });
    // The inputs are not changed.
    expect(a.toTriton().inference_count).toBe(1);
  });
});
