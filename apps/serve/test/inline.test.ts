/**
 * `--workers 0`: the sessions on the event loop, no worker thread. The same answers as the
 * threaded server (JSON and binary), batching of requests that arrive while a batch runs,
 * statistics, and a clean close. Over real HTTP on 127.0.0.1.
 */
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InlinePool, startServer } from '../src/index.js';
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

const N = 32;
let file: string;
let test: MnistSplit;
let reference: Float32Array[];
let server: GdServer;

type Infer = { outputs: { shape: number[]; data: number[] }[] };
type Stats = { model_stats: { inference_count: number; execution_count: number }[] };

beforeAll(async () => {
  file = await mnistModelFile();
  test = loadMnist('t10k', N);
  reference = await referenceLogits(file, test, N);
  server = await startServer({ model: file, name: 'mnist', port: 0, workers: 0 });
  await server.ready;
});

afterAll(async () => {
  await server?.close();
});

describe('gd-serve --workers 0 (sessions on the event loop)', () => {
  it('runs without a worker thread', () => {
    expect(server.core.runtime!.pool).toBeInstanceOf(InlinePool);
    expect(threadId).toBe(0);
  });

  it('answers like onnxruntime itself, alone and in batches formed while a batch runs', async () => {
    const before = (await request<Stats>(`${server.url}/v2/models/mnist/stats`)).body
      .model_stats[0]!;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        request<Infer>(`${server.url}/v2/models/mnist/infer`, {
          method: 'POST',
          json: inferBody(test, [i]),
        }),
      ),
    );
    results.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.body.outputs[0]!.shape).toEqual([1, 10]);
      expect(maxAbsDiff(r.body.outputs[0]!.data, reference[i]!)).toBeLessThan(1e-5);
    });
    const after = (await request<Stats>(`${server.url}/v2/models/mnist/stats`)).body
      .model_stats[0]!;
    expect(after.inference_count - before.inference_count).toBe(N);
  });

  it('batches the requests that queue while a batch runs on the event loop', async () => {
    const m = server.core.modelFor('mnist');
    const feeds = (i: number) => {
      const body = inferBody(test, [i]) as { inputs: { data: number[] }[] };
      const data = Float32Array.from(body.inputs[0]!.data);
      return [{ name: 'input', type: 'float32' as const, dims: [1, 1, 28, 28], data }];
    };
    const before = m.stats.toTriton().execution_count;
    // Submitted in one go: the first runs alone, the other seven wait for it and go together.
    const images = Array.from({ length: 8 }, (_, i) => i);
    const results = await Promise.all(images.map((i) => server.core.infer(m, feeds(i))));
    expect(m.stats.toTriton().execution_count - before).toBe(2);
    results.forEach((r, i) =>
      expect(maxAbsDiff(r.outputs[0]!.data as Float32Array, reference[i]!)).toBeLessThan(1e-5),
    );
  });

  it('speaks the binary extension', async () => {
    const binary = await inferBinary(server.url, test, [3, 4], 'request');
    expect(binary.status).toBe(200);
    const logits = binary.floats(20);
    expect(maxAbsDiff(logits.subarray(0, 10), reference[3]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(logits.subarray(10), reference[4]!)).toBeLessThan(1e-5);
  });

  it('rejects a bad request with the same messages', async () => {
    const bad = inferBody(test, [0]) as { inputs: { shape: number[] }[] };
    bad.inputs[0]!.shape = [1, 1, 28, 27];
    const r = await request<{ error: string }>(`${server.url}/v2/models/mnist/infer`, {
      method: 'POST',
      json: bad,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(
      /^inputs\[0\]\.shape\[3\]: expected 28 \(input input has shape \[-1, 1, 28, 28\]\), got 27/,
    );
  });
});
