/**
 * `gd-serve --processes 2` as a real process tree over HTTP: connections spread over the
 * processes, `/metrics` and the statistics cover all of them, a process that is killed is
 * replaced while the others keep serving, and SIGTERM drains every process.
 */
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import { inferBody, loadMnist, maxAbsDiff, referenceLogits, runCli } from './helpers.js';

let file: string;
let test: MnistSplit;
let reference: Float32Array[];
const children: ChildProcess[] = [];

beforeAll(async () => {
  file = await mnistModelFile();
  test = loadMnist('t10k', 20);
  reference = await referenceLogits(file, test, 20);
});

afterEach(() => {
  // The processes drain and exit when their primary is gone.
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** One request on a connection of its own (so the primary hands each to the next process). */
function once(
  url: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const r = httpRequest(
      `${url}${path}`,
      {
        method,
        agent: false,
        headers: payload ? { 'content-type': 'application/json', connection: 'close' } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    r.on('error', reject);
    r.end(payload);
  });
}

async function inferCorrect(url: string, k: number): Promise<void> {
  const i = k % 20;
  const r = await once(url, 'POST', '/v2/models/mnist/infer', inferBody(test, [i]));
  expect(r.status, r.text).toBe(200);
  const out = JSON.parse(r.text) as { outputs: { data: number[] }[] };
  expect(maxAbsDiff(out.outputs[0]!.data, reference[i]!)).toBeLessThan(1e-5);
}

/** `series` values of a metric by process label, e.g. `{ '0': 12, '1': 8 }`. */
function byProcess(text: string, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const m = /process="(\d+)"/.exec(line);
    if (m) out[m[1]!] = (out[m[1]!] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

const INFER_SERIES = 'gd_serve_requests_total{process=';
const inferCounts = (text: string) =>
  byProcess(
    text
      .split('\n')
      .filter((l) => l.includes('route="/v2/models/:name/infer"'))
      .join('\n'),
    INFER_SERIES,
  );

describe('gd-serve --processes 2', () => {
  it('spreads connections over the processes; /metrics labels each, the statistics add up', async () => {
    const p = runCli(
      ['--model', file, '--name', 'mnist', '--port', '0', '--processes', '2'],
      children,
    );
    const [, url] = await p.waitFor(/gd-serve: listening on (http:\/\/\S+) \(2 processes\)/);
    await p.waitFor(/gd-serve: ready\n/);
    expect(p.stderr()).toMatch(/gd-serve\[0\]: ready/);
    expect(p.stderr()).toMatch(/gd-serve\[1\]: ready/);
    const base = url as string;

    const n = 24;
    for (let k = 0; k < n; k++) await inferCorrect(base, k);

    const metrics = await once(base, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    const counts = inferCounts(metrics.text);
    expect(Object.keys(counts).sort()).toEqual(['0', '1']);
    expect(counts['0']! + counts['1']!).toBe(n);
    expect(counts['0']).toBeGreaterThan(0);
    expect(counts['1']).toBeGreaterThan(0);
    // The exposition format: each metric's HELP and TYPE once, its series of both processes after.
    expect(metrics.text.match(/# TYPE gd_serve_requests_total counter/g)).toHaveLength(1);
    const batches = byProcess(metrics.text, 'gd_serve_batch_size_count{');
    expect(batches['0']! + batches['1']!).toBeGreaterThan(0);

    const stats = JSON.parse((await once(base, 'GET', '/v2/models/mnist/stats')).text) as {
      model_stats: {
        name: string;
        inference_count: number;
        inference_stats: { success: { count: number } };
      }[];
    };
    expect(stats.model_stats).toHaveLength(1);
    expect(stats.model_stats[0]!.inference_count).toBe(n);
    expect(stats.model_stats[0]!.inference_stats.success.count).toBe(n);

    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.stderr()).toMatch(/gd-serve\[0\]: stopped/);
    expect(p.stderr()).toMatch(/gd-serve\[1\]: stopped/);
    expect(p.stderr()).toMatch(/gd-serve: stopped\n/);
  });

  it('replaces a process that is killed; the server stays ready and answers meanwhile', async () => {
    const p = runCli(
      ['--model', file, '--name', 'mnist', '--port', '0', '--processes', '2'],
      children,
    );
    const [, url] = await p.waitFor(/gd-serve: listening on (http:\/\/\S+) \(2 processes\)/);
    await p.waitFor(/gd-serve: ready\n/);
    const base = url as string;
    const [, pid] = await p.waitFor(/gd-serve: process 0: pid (\d+)/);

    process.kill(Number(pid), 'SIGKILL');
    await p.waitFor(/process 0 stopped \(SIGKILL\); starting a replacement/);
    // While the replacement loads, every new connection goes to the process still serving.
    let k = 0;
    while (!/process 0 replaced; ready/.test(p.stderr())) {
      const ready = await once(base, 'GET', '/v2/health/ready');
      expect(ready.status).toBe(200);
      await inferCorrect(base, k++);
    }
    const [, newPid] = /gd-serve: process 0: pid (\d+)\n(?![\s\S]*process 0: pid)/.exec(
      p.stderr(),
    )!;
    expect(newPid).not.toBe(pid);

    // The replacement takes its share of new connections.
    const n = 16;
    for (let j = 0; j < n; j++) await inferCorrect(base, j);
    const counts = inferCounts((await once(base, 'GET', '/metrics')).text);
    expect(counts['0']).toBeGreaterThan(0);
    expect(counts['1']).toBeGreaterThan(0);

    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });

  it('on SIGTERM every process answers its requests in flight, then the primary exits 0', async () => {
    // A long batching delay keeps the requests queued in both processes when the signal comes.
    const p = runCli(
      [
        '--model',
        file,
        '--name',
        'mnist',
        '--port',
        '0',
        '--processes',
        '2',
        '--max-delay-ms',
        '1500',
      ],
      children,
    );
    const [, url] = await p.waitFor(/gd-serve: listening on (http:\/\/\S+) \(2 processes\)/);
    await p.waitFor(/gd-serve: ready\n/);
    const base = url as string;
    const n = 12;
    const pending = Array.from({ length: n }, (_, k) =>
      once(base, 'POST', '/v2/models/mnist/infer', inferBody(test, [k])),
    );
    for (;;) {
      const queued = byProcess((await once(base, 'GET', '/metrics')).text, 'gd_serve_queue_depth{');
      if ((queued['0'] ?? 0) + (queued['1'] ?? 0) === n && queued['0'] && queued['1']) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    p.child.kill('SIGTERM');
    const results = await Promise.all(pending);
    results.forEach((r, k) => {
      expect(r.status, r.text).toBe(200);
      const out = JSON.parse(r.text) as { outputs: { data: number[] }[] };
      expect(maxAbsDiff(out.outputs[0]!.data, reference[k]!)).toBeLessThan(1e-5);
    });
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.stderr()).toMatch(/gd-serve\[0\]: SIGTERM: draining [1-9]\d* request\(s\) in flight/);
    expect(p.stderr()).toMatch(/gd-serve\[1\]: SIGTERM: draining [1-9]\d* request\(s\) in flight/);
    expect(p.stderr()).toMatch(/gd-serve: stopped\n/);
  });

  it('stops with exit 1 when its processes cannot start, saying why', async () => {
    const p = runCli(
      ['--model', file, '--port', '0', '--processes', '2', '--ep', 'cuda'],
      children,
    );
    expect((await p.exited).code).toBe(1);
    expect(p.stderr()).toMatch(/cuda: the CUDA execution provider is not installed/);
    expect(p.stderr()).toMatch(
      /gd-serve: process \d stopped \(exit code 1\) while starting; stopping/,
    );
  });
});
