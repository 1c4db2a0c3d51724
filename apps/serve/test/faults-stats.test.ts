/**
 * Batching made visible (Triton's statistics extension, queue and batch histograms) and faults:
 * a worker thread that dies mid-batch is replaced, its requests get a 500 naming why, and the
 * server stays ready; a client that stalls mid-body is timed out. Over real HTTP on 127.0.0.1.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import type { GdServer, WorkerPool } from '../src/index.js';
import { mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import { argmax, inferBody, loadMnist, referenceLogits, request } from './helpers.js';

let file: string;
let test: MnistSplit;
let reference: Float32Array[];
let server: GdServer;

type Infer = { outputs: { data: number[] }[]; error?: string };

beforeAll(async () => {
  file = await mnistModelFile();
  test = loadMnist('t10k', 32);
  reference = await referenceLogits(file, test, 32);
  // Every batch to the worker thread (no event-loop lane): its death is what is tested here.
  server = await startServer({ model: file, name: 'mnist', port: 0, inlineMaxMs: 0 });
  await server.ready;
});

afterAll(async () => {
  await server?.close();
});

const infer = (i: number) =>
  request<Infer>(`${server.url}/v2/models/mnist/infer`, {
    method: 'POST',
    json: inferBody(test, [i]),
  });

interface StatsBody {
  model_stats: {
    name: string;
    version: string;
    execution_provider: string;
    inference_count: number;
    execution_count: number;
    inference_stats: Record<string, { count: number; ns: number }>;
    batch_stats: { batch_size: number; compute_infer: { count: number; ns: number } }[];
  }[];
  error?: string;
}

describe("Triton's statistics extension and batching metrics", () => {
  it('GET /v2/models/{name}/stats counts requests, rows, batches and the time in each stage', async () => {
    const before = await request<StatsBody>(`${server.url}/v2/models/mnist/stats`);
    expect(before.status).toBe(200);
    const s0 = before.body.model_stats[0]!;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => infer(i)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const after = await request<StatsBody>(`${server.url}/v2/models/mnist/stats`);
    const s = after.body.model_stats[0]!;
    expect(s.name).toBe('mnist');
    expect(s.version).toBe('1');
    expect(s.execution_provider).toBe('cpu');
    expect(s.inference_count - s0.inference_count).toBe(20);
    const st = s.inference_stats;
    expect(st.success!.count - s0.inference_stats.success!.count).toBe(20);
    expect(st.queue!.count - s0.inference_stats.queue!.count).toBe(20);
    for (const stage of ['success', 'queue', 'compute_input', 'compute_infer', 'compute_output']) {
      expect(st[stage]!.ns).toBeGreaterThanOrEqual(0);
    }
    expect(st.compute_infer!.ns).toBeGreaterThan(0);
    expect(s.execution_count).toBeGreaterThan(s0.execution_count);
    expect(s.batch_stats.reduce((a, b) => a + b.compute_infer.count, 0)).toBe(s.execution_count);
    const all = await request<StatsBody>(`${server.url}/v2/models/stats`);
    expect(all.body.model_stats.map((m) => m.name)).toEqual(['mnist']);
    const versioned = await request<StatsBody>(`${server.url}/v2/models/mnist/versions/1/stats`);
    expect(versioned.body.model_stats).toHaveLength(1);
  });

  it('answers 404 naming an unknown model or version', async () => {
    const r = await request<StatsBody>(`${server.url}/v2/models/nope/stats`);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/^model: unknown model "nope"/);
    const v = await request<StatsBody>(`${server.url}/v2/models/mnist/versions/7/stats`);
    expect(v.status).toBe(404);
    expect(v.body.error).toMatch(/^version: model mnist has version 1, not "7"/);
  });

  it('exposes batch-size and queue-delay histograms in /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^# TYPE gd_serve_queue_duration_seconds histogram$/m);
    expect(text).toMatch(/^gd_serve_queue_duration_seconds_count\{model="mnist"\} [1-9]\d*$/m);
    expect(text).toMatch(/^gd_serve_batch_size_bucket\{model="mnist",le="1"\} [1-9]\d*$/m);
  });
});

describe('a worker thread that dies', () => {
  it('is replaced; its batch gets a 500 naming why, never a hang; the server stays ready', async () => {
    const pool = server.core.runtime!.pool as WorkerPool;
    const model = server.core.runtime!.models.get('mnist')!;
    const statuses: number[] = [];
    const messages: string[] = [];
    // The kill races the batch's reply, so a few rounds make sure one batch dies mid-run.
    for (let round = 0; round < 5 && !statuses.includes(500); round++) {
      const pending = Array.from({ length: 24 }, (_, i) => infer(i));
      while (model.batcher.running === 0) await new Promise((r) => setImmediate(r));
      await pool.threads[0]!.terminate();
      const results = await Promise.all(pending);
      results.forEach((r, i) => {
        statuses.push(r.status);
        if (r.status === 200) {
          expect(argmax(r.body.outputs[0]!.data)).toBe(argmax(reference[i]!));
        } else messages.push(r.body.error ?? '');
      });
    }
    expect(statuses).toContain(500);
    expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
    for (const m of messages) {
      expect(m).toMatch(
        /^inference failed: the worker thread running this batch stopped \(exit code 1\)/,
      );
    }
    expect(pool.replaced).toBeGreaterThanOrEqual(1);
    expect((await request(`${server.url}/v2/health/ready`)).status).toBe(200);
    const after = await infer(3);
    expect(after.status).toBe(200);
    expect(argmax(after.body.outputs[0]!.data)).toBe(argmax(reference[3]!));
  });
});

describe('a client that stalls mid-body', () => {
  it('is answered 408 and disconnected after --request-timeout-ms; others are served', async () => {
    const s = await startServer({ model: file, name: 'mnist', port: 0, requestTimeoutMs: 200 });
    try {
      await s.ready;
      const { hostname, port } = new URL(s.url);
      const socket = connect(Number(port), hostname);
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(
        'POST /v2/models/mnist/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"inputs": [',
      );
      // Meanwhile another client is served as usual.
      const other = await request<Infer>(`${s.url}/v2/models/mnist/infer`, {
        method: 'POST',
        json: inferBody(test, [1]),
      });
      expect(other.status).toBe(200);
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toMatch(
        /\{"error":"body: not received within 200 ms \(--request-timeout-ms\)/,
      );
    } finally {
      await s.close();
    }
  });
});
