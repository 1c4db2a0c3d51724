/**
 * The event-loop lane of the default (worker thread) server: batches of a fast model run on the
 * event loop, skipping the hand-off to the worker, and requests that arrive together run as one
 * batch; `inlineMaxMs` 0, or a model slower than it, sends everything to the worker.
 * Answers are checked against onnxruntime itself, lanes through `/metrics`. Over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import type { GdServer } from '../src/index.js';
import { mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import {
  inferBinary,
  inferBody,
  loadMnist,
  maxAbsDiff,
  referenceLogits,
  request,
} from './helpers.js';

const N = 24;
let file: string;
let test: MnistSplit;
let reference: Float32Array[];
let server: GdServer;

type Infer = { outputs: { data: number[] }[] };
type Metadata = { parameters: Record<string, unknown> };
type Stats = { model_stats: { execution_count: number; inference_count: number }[] };

beforeAll(async () => {
  file = await mnistModelFile();
  test = loadMnist('t10k', N);
  reference = await referenceLogits(file, test, N);
  server = await startServer({ model: file, name: 'mnist', port: 0 });
  await server.ready;
});

afterAll(async () => {
  await server?.close();
});

/** Batches run so far on each lane, read from `/metrics`. */
async function lanes(url: string): Promise<{ event_loop: number; worker: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (lane: string) =>
    Number(
      new RegExp(`^gd_serve_batches_total\\{model="mnist",lane="${lane}"\\} (\\d+)$`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  return { event_loop: count('event_loop'), worker: count('worker') };
}

const infer = (url: string, i: number) =>
  request<Infer>(`${url}/v2/models/mnist/infer`, { method: 'POST', json: inferBody(test, [i]) });

describe('the event-loop lane (default: one worker thread)', () => {
  it('is measured at load and reported in the model metadata', async () => {
    const m = server.core.modelFor('mnist');
    expect(m.inlineRunMs).toBeGreaterThan(0);
    expect(m.inlineMaxRows).toBeGreaterThanOrEqual(1);
    expect(m.inlineMaxRows).toBeLessThanOrEqual(m.maxBatch);
    const meta = await request<Metadata>(`${server.url}/v2/models/mnist`);
    expect(meta.body.parameters.event_loop_max_rows).toBe(m.inlineMaxRows);
  });

  it('answers lone requests (JSON and binary) on the event loop, like onnxruntime itself', async () => {
    const before = await lanes(server.url);
    for (let i = 0; i < 6; i++) {
      const r = await infer(server.url, i);
      expect(r.status).toBe(200);
      expect(maxAbsDiff(r.body.outputs[0]!.data, reference[i]!)).toBeLessThan(1e-5);
      const b = await inferBinary(server.url, test, [i], 'request');
      expect(b.status).toBe(200);
      expect(maxAbsDiff(b.floats(10), reference[i]!)).toBeLessThan(1e-5);
    }
    const after = await lanes(server.url);
    expect(after.event_loop - before.event_loop).toBe(12);
    expect(after.worker - before.worker).toBe(0);
  });

  it('runs requests that arrive together as batches on the event loop; every answer is right', async () => {
    const before = await lanes(server.url);
    const s0 = (await request<Stats>(`${server.url}/v2/models/mnist/stats`)).body.model_stats[0]!;
    // Arrivals race the lane's runs: a few rounds make sure some arrived together.
    let rounds = 0;
    let s1: Stats['model_stats'][number];
    do {
      const results = await Promise.all(Array.from({ length: N }, (_, i) => infer(server.url, i)));
      results.forEach((r, i) => {
        expect(r.status).toBe(200);
        expect(maxAbsDiff(r.body.outputs[0]!.data, reference[i]!)).toBeLessThan(1e-5);
      });
      rounds++;
      s1 = (await request<Stats>(`${server.url}/v2/models/mnist/stats`)).body.model_stats[0]!;
    } while (rounds < 10 && s1.execution_count - s0.execution_count === rounds * N);
    const after = await lanes(server.url);
    // Requests of one row each, within the lane's rows: all on the event loop, some together.
    expect(s1.inference_count - s0.inference_count).toBe(rounds * N);
    const batches = s1.execution_count - s0.execution_count;
    expect(batches).toBeLessThan(rounds * N);
    expect(after.event_loop - before.event_loop).toBe(batches);
    expect(after.worker - before.worker).toBe(0);
  });
});

describe('with batching off (maxBatch 0)', () => {
  it('still bounds the rows the lane takes, from the times measured at load', async () => {
    const off = await startServer({ model: file, name: 'mnist', port: 0, maxBatch: 0 });
    try {
      await off.ready;
      const m = off.core.modelFor('mnist');
      expect(Number.isInteger(m.inlineMaxRows)).toBe(true);
      expect(m.inlineMaxRows).toBeGreaterThanOrEqual(1);
      const r = await infer(off.url, 2);
      expect(maxAbsDiff(r.body.outputs[0]!.data, reference[2]!)).toBeLessThan(1e-5);
    } finally {
      await off.close();
    }
  });
});

describe('without the event-loop lane', () => {
  it('inlineMaxMs 0: every batch goes to the worker thread', async () => {
    const off = await startServer({ model: file, name: 'mnist', port: 0, inlineMaxMs: 0 });
    try {
      await off.ready;
      expect(off.core.runtime!.eventLoop).toBeUndefined();
      expect(off.core.modelFor('mnist').inlineMaxRows).toBe(0);
      for (let i = 0; i < 3; i++) {
        const r = await infer(off.url, i);
        expect(maxAbsDiff(r.body.outputs[0]!.data, reference[i]!)).toBeLessThan(1e-5);
      }
      expect(await lanes(off.url)).toEqual({ event_loop: 0, worker: 3 });
    } finally {
      await off.close();
    }
  });

  it('a model slower than inlineMaxMs runs in the worker, and the log says why', async () => {
    const lines: string[] = [];
    const slow = await startServer({
      model: file,
      name: 'mnist',
      port: 0,
      // Below any session.run: this model counts as too slow for the event loop.
      inlineMaxMs: 1e-7,
      log: (l) => lines.push(l),
    });
    try {
      await slow.ready;
      expect(slow.core.modelFor('mnist').inlineMaxRows).toBe(0);
      expect(lines.join('\n')).toMatch(
        /model mnist v1: every batch runs in a worker thread \(session\.run [\d.]+ ms at batch 1, over the event-loop limit of 1e-7 ms\)/,
      );
      const r = await infer(slow.url, 5);
      expect(maxAbsDiff(r.body.outputs[0]!.data, reference[5]!)).toBeLessThan(1e-5);
      expect((await lanes(slow.url)).event_loop).toBe(0);
    } finally {
      await slow.close();
    }
  });
});
