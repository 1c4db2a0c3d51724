import { describe, expect, it } from 'vitest';
import { MicroBatcher, QueueFullError, ShuttingDownError } from './batcher.js';
import type { BatcherOptions } from './batcher.js';
import type { InferResult, WireTensor } from './sessions.js';

/** A fake model: out = 10 * x, one row of 2 values per input row; records the batches. */
function fake(options: Partial<BatcherOptions> = {}) {
  const batches: number[][] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const run = async (inputs: WireTensor[]): Promise<InferResult> => {
    const x = inputs[0]!;
    batches.push(Array.from(x.data as Float32Array));
    if (hold) await new Promise<void>((r) => (release = r));
    const out = Float32Array.from(x.data as Float32Array, (v) => v * 10);
    return { outputs: [{ name: 'y', type: 'float32', dims: [...x.dims], data: out }], runMs: 0.1 };
  };
  const b = new MicroBatcher({
    maxBatch: 4,
    maxDelayMs: 5,
    maxQueue: 100,
    maxInFlight: 1,
    run,
    ...options,
  });
  const row = (...values: number[]): WireTensor[] => [
    { name: 'x', type: 'float32', dims: [values.length, 1], data: Float32Array.from(values) },
  ];
  return {
    b,
    batches,
    row,
    hold: () => (hold = true),
    release: () => {
      hold = false;
      release?.();
    },
  };
}

const values = (r: InferResult) => Array.from(r.outputs[0]!.data as Float32Array);

describe('MicroBatcher', () => {
  it('merges requests that arrive within the delay and answers each its own rows', async () => {
    // The three fill a batch (4 rows), which goes at once; the long delay keeps a pause of a
    // loaded machine between the submits from ending the wait early (5 ms once split them).
    const { b, batches, row } = fake({ maxDelayMs: 60_000 });
    const results = await Promise.all([b.submit(row(1)), b.submit(row(2, 3)), b.submit(row(4))]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(results.map(values)).toEqual([[10], [20, 30], [40]]);
    expect(results[1]!.outputs[0]!.dims).toEqual([2, 1]);
  });

  it('never puts more than maxBatch rows in one batch', async () => {
    const { b, batches, row } = fake({ maxBatch: 3 });
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((v) => b.submit(row(v))));
    expect(results.map(values).flat()).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(batches.every((x) => x.length <= 3)).toBe(true);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('with batching off (maxBatch 0) runs each request alone', async () => {
    const { b, batches, row } = fake({ maxBatch: 0 });
    await Promise.all([b.submit(row(1)), b.submit(row(2))]);
    expect(batches).toEqual([[1], [2]]);
  });

  it('does not mix requests whose non-batch dims differ', async () => {
    // Long enough that no pause between the submits ends the wait before all three are queued.
    const { b, batches } = fake({ maxDelayMs: 200 });
    const t = (n: number, v: number): WireTensor[] => [
      { name: 'x', type: 'float32', dims: [1, n], data: new Float32Array(n).fill(v) },
    ];
    await Promise.all([b.submit(t(1, 1)), b.submit(t(2, 2)), b.submit(t(1, 3))]);
    expect(batches).toEqual([
      [1, 3],
      [2, 2],
    ]);
  });

  it('without a delay runs a lone request at once and batches only what queued meanwhile', async () => {
    const { b, batches, row, hold, release } = fake({ maxDelayMs: 0 });
    hold();
    const first = b.submit(row(1));
    // Dispatched synchronously: no timer, no tick lost.
    expect(batches).toEqual([[1]]);
    const later = [b.submit(row(2)), b.submit(row(3))];
    expect(b.queued).toBe(2);
    release();
    expect((await Promise.all([first, ...later])).map(values)).toEqual([[10], [20], [30]]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('with a delay, sends a batch as soon as the queue reaches a preferred size', async () => {
    // A 60 s delay: the test would time out if the preferred size did not end the wait.
    const { b, batches, row } = fake({ maxDelayMs: 60_000, preferredBatchSizes: [2] });
    const results = await Promise.all([1, 2, 3, 4].map((v) => b.submit(row(v))));
    expect(results.map(values)).toEqual([[10], [20], [30], [40]]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('reports how long each request waited in the queue', async () => {
    const waits: number[] = [];
    const { b, row } = fake({ maxDelayMs: 0, onDequeue: (ms) => waits.push(ms) });
    await Promise.all([b.submit(row(1)), b.submit(row(2)), b.submit(row(3))]);
    expect(waits).toHaveLength(3);
    expect(waits.every((ms) => ms >= 0)).toBe(true);
  });

  it('holds a lone request for maxDelayMs in case others join', async () => {
    const { b, batches, row } = fake({ maxDelayMs: 30 });
    const t0 = performance.now();
    await b.submit(row(1));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(batches).toEqual([[1]]);
  });

  it('rejects with QueueFullError beyond maxQueue waiting requests', async () => {
    const { b, row, hold, release } = fake({ maxQueue: 2, maxBatch: 1, maxDelayMs: 0 });
    hold();
    const first = b.submit(row(1)); // running
    await new Promise((r) => setTimeout(r, 5));
    const queued = [b.submit(row(2)), b.submit(row(3))];
    await expect(b.submit(row(4))).rejects.toThrow(QueueFullError);
    await expect(b.submit(row(4))).rejects.toThrow(
      /the request queue is full \(2 requests waiting\)/,
    );
    expect(b.queued).toBe(2);
    release();
    expect((await Promise.all([first, ...queued])).map(values)).toEqual([[10], [20], [30]]);
  });

  it('close() answers everything queued, then refuses new requests', async () => {
    const { b, row } = fake({ maxDelayMs: 50 });
    const pending = [b.submit(row(1)), b.submit(row(2))];
    await b.close();
    expect((await Promise.all(pending)).map(values)).toEqual([[10], [20]]);
    await expect(b.submit(row(3))).rejects.toThrow(ShuttingDownError);
  });

  it('rejects every request of a batch whose run fails', async () => {
    const b = new MicroBatcher({
      maxBatch: 4,
      maxDelayMs: 1,
      maxQueue: 10,
      maxInFlight: 1,
      run: () => Promise.reject(new Error('worker died')),
    });
    const x = (): WireTensor[] => [
      { name: 'x', type: 'float32', dims: [1], data: new Float32Array(1) },
    ];
    const results = await Promise.allSettled([b.submit(x()), b.submit(x())]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(b.queued).toBe(0);
    expect(b.running).toBe(0);
  });

  it('reports each batch (rows, requests)', async () => {
    const seen: [number, number][] = [];
    const { b, row } = fake({ onBatch: (rows, requests) => seen.push([rows, requests]) });
    await Promise.all([b.submit(row(1, 2)), b.submit(row(3))]);
    expect(seen).toEqual([[3, 2]]);
  });

  /** An event-loop lane that negates its input and records its batches; `hold` keeps it busy. */
  function eventLoopLane() {
    const batches: number[][] = [];
    const lanes: string[] = [];
    let release: (() => void) | undefined;
    let hold = false;
    const options: Partial<BatcherOptions> = {
      maxDelayMs: 0,
      inlineMaxRows: 2,
      runInline: async (inputs) => {
        const x = inputs[0]!;
        batches.push(Array.from(x.data as Float32Array));
        if (hold) await new Promise<void>((r) => (release = r));
        const out = Float32Array.from(x.data as Float32Array, (v) => -v);
        return {
          outputs: [{ name: 'y', type: 'float32', dims: [...x.dims], data: out }],
          runMs: 0,
        };
      },
      onBatch: (_rows, _requests, _result, lane) => lanes.push(lane),
    };
    return {
      options,
      batches,
      lanes,
      hold: () => (hold = true),
      release: () => {
        hold = false;
        release?.();
      },
    };
  }

  it('runs what arrived in one turn as one batch on the event-loop lane, one turn later', async () => {
    const lane = eventLoopLane();
    const { b, batches, row } = fake(lane.options);
    const pending = [b.submit(row(1)), b.submit(row(2))];
    // Held for one event-loop turn (whatever arrived with them is read first), then run together.
    expect(lane.batches).toEqual([]);
    expect(b.queued).toBe(2);
    expect((await Promise.all(pending)).map(values)).toEqual([[-1], [-2]]);
    expect(lane.batches).toEqual([[1, 2]]);
    expect(batches).toEqual([]);
    expect(lane.lanes).toEqual(['event_loop']);
    // Idle again: a lone request takes the event loop too.
    expect(values(await b.submit(row(5)))).toEqual([-5]);
    expect(lane.batches).toEqual([[1, 2], [5]]);
  });

  it('keeps what arrives while the lane runs for its next run, not the workers', async () => {
    const lane = eventLoopLane();
    const { b, batches, row } = fake(lane.options);
    lane.hold();
    const first = b.submit(row(1));
    await new Promise((r) => setImmediate(r));
    expect(lane.batches).toEqual([[1]]);
    expect(b.running).toBe(1);
    // The lane is busy and the worker free, yet the next requests wait for the lane: handing
    // them to a thread would cost more than the lane's run they wait for.
    const next = [b.submit(row(2)), b.submit(row(3))];
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([]);
    expect(b.queued).toBe(2);
    lane.release();
    expect(values(await first)).toEqual([-1]);
    expect((await Promise.all(next)).map(values)).toEqual([[-2], [-3]]);
    expect(lane.batches).toEqual([[1], [2, 3]]);
    expect(lane.lanes).toEqual(['event_loop', 'event_loop']);
    expect(b.running).toBe(0);
  });

  it('sends a backlog beyond the rows the lane takes to the workers', async () => {
    const lane = eventLoopLane();
    const { b, batches, row, hold, release } = fake(lane.options);
    lane.hold();
    hold();
    const first = b.submit(row(1));
    await new Promise((r) => setImmediate(r));
    expect(lane.batches).toEqual([[1]]);
    // Three rows queue behind the busy lane, one more than it takes: the worker takes them.
    const backlog = [b.submit(row(2)), b.submit(row(3)), b.submit(row(4))];
    expect(batches).toEqual([[2, 3, 4]]);
    expect(b.queued).toBe(0);
    // Meanwhile the worker is busy: what comes next waits for the lane.
    const later = b.submit(row(5));
    lane.release();
    release();
    expect(values(await first)).toEqual([-1]);
    expect((await Promise.all(backlog)).map(values)).toEqual([[20], [30], [40]]);
    expect(values(await later)).toEqual([-5]);
    expect(lane.lanes).toEqual(['event_loop', 'worker', 'event_loop']);
  });

  it('sends a lone request with more rows than the event-loop lane takes to a worker', async () => {
    const lane = eventLoopLane();
    const { b, batches, row } = fake(lane.options);
    expect(values(await b.submit(row(1, 2, 3)))).toEqual([10, 20, 30]);
    expect(values(await b.submit(row(4, 5)))).toEqual([-4, -5]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(lane.batches).toEqual([[4, 5]]);
    expect(lane.lanes).toEqual(['worker', 'event_loop']);
  });

  it('with a delay to wait out for company, sends even a lone request to a worker', async () => {
    const lane = eventLoopLane();
    const { b, batches, row } = fake({ ...lane.options, maxDelayMs: 1 });
    expect(values(await b.submit(row(1)))).toEqual([10]);
    expect(batches).toEqual([[1]]);
    expect(lane.batches).toEqual([]);
  });

  it('rejects the request of an event-loop batch that fails, and frees the lane', async () => {
    let fail = true;
    const { b, row } = fake({
      maxDelayMs: 0,
      inlineMaxRows: 1,
      runInline: async (inputs) => {
        if (fail) throw new Error('session.run failed');
        return { outputs: [{ ...inputs[0]!, name: 'y' }], runMs: 0.01 };
      },
    });
    await expect(b.submit(row(1))).rejects.toThrow(/session.run failed/);
    expect(b.running).toBe(0);
    fail = false;
    expect(values(await b.submit(row(7)))).toEqual([7]);
  });
});
