/**
 * `pnpm bench` for gd-serve: images/s and p50/p99 latency through the server (the real CLI in
 * its own process, loaded by autocannon over loopback for a bounded time) at batch 1 and under
 * concurrent load, next to raw `session.run` throughput of the same model in this process, and
 * the ratio of the two. Written to bench/results/serve.json and serve.md at the repository root.
 */
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import * as ort from 'onnxruntime-node';
import { MEAN, STD, loadMnist, mnistModelFile, pixelsOf } from '../test/fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = resolve(HERE, '..', '..');
const ROOT = resolve(PACKAGE_DIR, '..', '..');
const SECONDS = Number(process.env.GD_BENCH_SECONDS ?? 5);
const CONCURRENCY = 64;
const WORKERS = Number(process.env.GD_BENCH_WORKERS ?? 1);
/** The server's --ep (the raw session.run baseline stays on CPU). */
const EP = process.env.GD_BENCH_EP ?? 'cpu';

interface Body {
  body: string | Buffer;
  headers: Record<string, string>;
}

interface Row {
  name: string;
  value: number;
  unit: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Raw onnxruntime-node throughput at one batch size: runs back to back for `seconds`. */
async function rawRuns(
  session: ort.InferenceSession,
  x: Float32Array,
  batch: number,
  seconds: number,
) {
  const data = new Float32Array(batch * 784);
  for (let b = 0; b < batch; b++) data.set(x, b * 784);
  const feeds = { input: new ort.Tensor('float32', data, [batch, 1, 28, 28]) };
  for (let i = 0; i < 50; i++) await session.run(feeds);
  const lat: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const s = performance.now();
    await session.run(feeds);
    lat.push(performance.now() - s);
  }
  const total = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return {
    imagesPerSecond: (lat.length * batch) / total,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
  };
}

async function startServer(
  file: string,
  extra: string[],
): Promise<{ url: string; stop(): Promise<void> }> {
  const args = ['--model', file, '--name', 'mnist', '--port', '0', '--workers', String(WORKERS)];
  const child = spawn(
    process.execPath,
    [join(PACKAGE_DIR, 'dist', 'cli.js'), ...args, '--ep', EP, ...extra],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m && err.includes('gd-serve: ready')) resolveUrl(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`gd-serve exited with ${code}:\n${err}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

interface Load {
  imagesPerSecond: number;
  p50: number;
  p99: number;
  meanBatch: number;
}

/** Loads the infer endpoint with one request body for `seconds`; images/s, latency, batch size. */
async function load(
  url: string,
  request: { body: string | Buffer; headers: Record<string, string> },
  connections: number,
  seconds: number,
): Promise<Load> {
  const rowsBefore = await metric(url, 'gd_serve_batch_size_sum{model="mnist"}');
  const batchesBefore = await metric(url, 'gd_serve_batch_size_count{model="mnist"}');
  const result = await autocannon({
    url: `${url}/v2/models/mnist/infer`,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    connections,
    duration: seconds,
  });
  if (result.errors || result.non2xx || result.timeouts) {
    throw new Error(
      `load test had ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
    );
  }
  const rows = (await metric(url, 'gd_serve_batch_size_sum{model="mnist"}')) - rowsBefore;
  const batches = (await metric(url, 'gd_serve_batch_size_count{model="mnist"}')) - batchesBefore;
  return {
    imagesPerSecond: result.requests.total / (result.duration || seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    meanBatch: rows / batches,
  };
}

/**
 * One request at a time over one keep-alive connection, timed per request with the
 * high-resolution clock (autocannon's latencies are whole milliseconds).
 */
async function sequential(url: string, req: Body, seconds: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(`${url}/v2/models/mnist/infer`);
  const once = () =>
    new Promise<void>((resolveOnce, reject) => {
      const r = httpRequest(
        {
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: req.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolveOnce() : reject(new Error(`status ${res.statusCode}`)),
          );
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });
  for (let i = 0; i < 20; i++) await once();
  const lat: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const s = performance.now();
    await once();
    lat.push(performance.now() - s);
  }
  const total = (performance.now() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  return {
    imagesPerSecond: lat.length / total,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    meanBatch: 1,
  };
}

async function metric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const file = await mnistModelFile();
const test = loadMnist('t10k', 1);
const x = Float32Array.from(pixelsOf(test, 0), (v) => (v / 255 - MEAN) / STD);
const input = { name: 'input', shape: [1, 1, 28, 28], datatype: 'FP32' };
const json: Body = {
  body: JSON.stringify({ inputs: [{ ...input, data: Array.from(x) }] }),
  headers: { 'content-type': 'application/json' },
};
// The same request in the binary tensor data extension (no JSON numbers to parse).
const header = Buffer.from(
  JSON.stringify({ inputs: [{ ...input, parameters: { binary_data_size: x.byteLength } }] }),
);
const binary: Body = {
  body: Buffer.concat([header, Buffer.from(x.buffer)]),
  headers: {
    'content-type': 'application/octet-stream',
    'inference-header-content-length': String(header.length),
  },
};

// Raw session.run, with the thread count a server worker gets.
const session = await ort.InferenceSession.create(file, {
  intraOpNumThreads: Math.max(1, Math.floor(availableParallelism() / WORKERS)),
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});
const raw1 = await rawRuns(session, x, 1, SECONDS / 2);
const raw64 = await rawRuns(session, x, 64, SECONDS / 2);
await session.release();

const phases: { name: string; flags: string[]; body: Body; connections: number }[] = [
  { name: 'server, batch 1, one connection', flags: [], body: json, connections: 1 },
  { name: `server, ${CONCURRENCY} connections`, flags: [], body: json, connections: CONCURRENCY },
  {
    name: `server, ${CONCURRENCY} connections, binary tensor data`,
    flags: [],
    body: binary,
    connections: CONCURRENCY,
  },
  {
    name: 'server --max-delay-ms 0, batch 1, one connection',
    flags: ['--max-delay-ms', '0'],
    body: json,
    connections: 1,
  },
  {
    name: `server --max-delay-ms 0, ${CONCURRENCY} connections`,
    flags: ['--max-delay-ms', '0'],
    body: json,
    connections: CONCURRENCY,
  },
];
const results: { name: string; load: Load }[] = [];
for (const flags of [[], ['--max-delay-ms', '0']]) {
  const server = await startServer(file, flags);
  try {
    for (const ph of phases.filter((p) => p.flags.join(' ') === flags.join(' '))) {
      const l =
        ph.connections === 1
          ? await sequential(server.url, ph.body, SECONDS)
          : await load(server.url, ph.body, ph.connections, SECONDS);
      results.push({ name: ph.name, load: l });
    }
  } finally {
    await server.stop();
  }
}

const rows: Row[] = [
  { name: 'raw session.run, batch 1', value: raw1.imagesPerSecond, unit: 'images/s' },
  { name: 'raw session.run, batch 1: p50 latency', value: raw1.p50, unit: 'ms' },
  { name: 'raw session.run, batch 1: p99 latency', value: raw1.p99, unit: 'ms' },
  { name: 'raw session.run, batch 64', value: raw64.imagesPerSecond, unit: 'images/s' },
];
for (const { name, load: l } of results) {
  rows.push(
    { name, value: l.imagesPerSecond, unit: 'images/s' },
    { name: `${name}: p50 latency`, value: l.p50, unit: 'ms' },
    { name: `${name}: p99 latency`, value: l.p99, unit: 'ms' },
    { name: `${name}: mean rows per batch`, value: l.meanBatch, unit: 'rows' },
    {
      name: `${name}: ratio to raw batch 1`,
      value: l.imagesPerSecond / raw1.imagesPerSecond,
      unit: 'ratio',
    },
  );
}
const best = Math.max(...results.map((r) => r.load.imagesPerSecond));
rows.push({
  name: 'best server throughput / raw batch 64',
  value: best / raw64.imagesPerSecond,
  unit: 'ratio',
});

const fmt = (r: Row) => (r.unit === 'images/s' ? r.value.toFixed(0) : r.value.toFixed(3));
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; node ${process.version}; ${WORKERS} worker(s); ${SECONDS} s per load phase; model: SimpleNN(64) MLP; server execution provider ${EP}, raw session.run on cpu`;
const table = [
  `gd-serve on ${machine}`,
  '',
  '| measure | value |',
  '| --- | ---: |',
  ...rows.map((r) => `| ${r.name} | ${fmt(r)} ${r.unit} |`),
].join('\n');
console.log(table);
const outDir = join(ROOT, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'serve.json'),
  JSON.stringify(
    { package: '@gd/serve', node: process.version, date: new Date().toISOString(), machine, rows },
    null,
    2,
  ) + '\n',
);
writeFileSync(join(outDir, 'serve.md'), table + '\n');
console.log(`\nwrote ${join(outDir, 'serve.json')}`);
