/**
 * `pnpm bench` for gd-serve. In one run, on one machine, in interleaved rounds:
 * - floor (a): a bare Fastify route (bench/floor-server.ts, its own process) that reads the same
 *   request body and answers a reply of the same size;
 * - floor (b): raw `session.run` of the same model in this process;
 * - gd-serve itself (the real CLI in its own process, default flags) at batch 1 over one
 *   connection (timed per request with the high-resolution clock) and under 64 connections
 *   (autocannon), in JSON and with the binary tensor data extension;
 * - the same with `--inline-max-ms 0` (every batch handed to the worker thread, the default
 *   before the event-loop lane), a second process measured in the same rounds: before/after;
 * - the same with `--workers 0` (sessions on the event loop, no thread hand-off), a second
 *   process measured in the same rounds;
 * - the same with `--processes 2` (two processes sharing the port, each with its worker thread),
 *   a third, to see whether processes beat threads on this machine;
 * - where each request's time goes (Triton statistics: queue, compute input/infer/output, and
 *   what is left for HTTP parse, validation, hand-off and reply);
 * - gRPC ModelInfer against the gRPC floor (ServerLive), on a gd-serve process of its own;
 * then a loopback soak with the server's RSS before and after.
 * Medians over the rounds, the ratios against the targets of issue #13, all written to
 * bench/results/serve.json and serve.md at the repository root.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import autocannon from 'autocannon';
import * as ort from 'onnxruntime-node';
import { MEAN, STD, loadMnist, mnistModelFile, pixelsOf } from '../test/fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = resolve(HERE, '..', '..');
const ROOT = resolve(PACKAGE_DIR, '..', '..');
const SECONDS = Number(process.env.GD_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.GD_BENCH_ROUNDS ?? 5);
const SOAK_SECONDS = Number(process.env.GD_BENCH_SOAK_SECONDS ?? 60);
/**
 * Untimed load before each timed load phase, as the one-connection and gRPC phases send 200
 * untimed requests first: each server sits idle while the others are measured, and the first
 * second of load after that (new connections, code and caches gone cold) is not its steady state.
 */
const WARM_UP_SECONDS = Number(process.env.GD_BENCH_WARM_UP_SECONDS ?? 1);
const CONCURRENCY = 64;
const WORKERS = Number(process.env.GD_BENCH_WORKERS ?? 1);
/** The server's --ep (the raw session.run floor stays on CPU). */
const EP = process.env.GD_BENCH_EP ?? 'cpu';
/** Extra gd-serve flags (default none: the defaults are what is measured). */
const FLAGS = (process.env.GD_BENCH_FLAGS ?? '').split(' ').filter((f) => f !== '');
/** The multi-process server's flags (besides FLAGS). */
const PROCESS_FLAGS = (process.env.GD_BENCH_PROCESS_FLAGS ?? '--processes 2')
  .split(' ')
  .filter((f) => f !== '');

interface Body {
  body: string | Buffer;
  headers: Record<string, string>;
}

interface Latency {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  mean: number;
  /**
   * The server's CPU time (every thread, its child processes too) per request, in µs: what a
   * request costs the server, steadier than req/s on a shared 2-core machine (NaN without /proc).
   */
  cpuPerRequestUs?: number;
}

/** CPU seconds (user + system) of a process and its live children, from /proc (Linux). */
function treeCpuSeconds(pid: number): number {
  const fields = (p: string) => {
    try {
      const text = readFileSync(`/proc/${p}/stat`, 'utf8');
      return text.slice(text.lastIndexOf(') ') + 2).split(' ');
    } catch {
      return undefined;
    }
  };
  // utime and stime are fields 14 and 15 of stat (12 and 13 after the name), in clock ticks.
  const ticks = (f: string[]) => Number(f[11]) + Number(f[12]);
  const own = fields(String(pid));
  if (!own) return NaN;
  let total = ticks(own);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || entry === String(pid)) continue;
    const f = fields(entry);
    if (f && Number(f[1]) === pid) total += ticks(f);
  }
  return total / 100; // USER_HZ, 100 on Linux
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Raw onnxruntime-node at one batch size: runs back to back for `seconds`. */
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

/** Starts a child process and waits for its "listening on <url>" (and `readyLine`, if given). */
async function spawnServer(
  args: string[],
  readyLine?: string,
): Promise<{ url: string; child: ChildProcess; log(): string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m && (readyLine === undefined || err.includes(readyLine))) resolveUrl(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code}:\n${err}`)));
  });
  return {
    url,
    child,
    log: () => err,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** autocannon's options for posting one body to the infer endpoint over `connections`. */
function inferLoad(url: string, request: Body, connections: number) {
  return {
    url: `${url}/v2/models/mnist/infer`,
    method: 'POST' as const,
    headers: request.headers,
    body: request.body,
    connections,
  };
}

/**
 * Loads the infer endpoint with one body over `connections` connections for `seconds`, after
 * `WARM_UP_SECONDS` of the same load untimed.
 */
async function load(
  url: string,
  request: Body,
  connections: number,
  seconds: number,
  serverPid?: number,
): Promise<Latency> {
  const options = inferLoad(url, request, connections);
  if (WARM_UP_SECONDS > 0) await autocannon({ ...options, duration: WARM_UP_SECONDS });
  const cpu0 = serverPid === undefined ? NaN : treeCpuSeconds(serverPid);
  const result = await autocannon({ ...options, duration: seconds });
  if (result.errors || result.non2xx || result.timeouts) {
    throw new Error(
      `load test had ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
    );
  }
  const cpu = serverPid === undefined ? NaN : treeCpuSeconds(serverPid) - cpu0;
  return {
    requestsPerSecond: result.requests.total / (result.duration || seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    cpuPerRequestUs: (cpu / result.requests.total) * 1e6,
  };
}

/** One request at a time over one keep-alive connection, each timed with the high-resolution clock. */
async function sequential(url: string, req: Body, seconds: number): Promise<Latency> {
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
  for (let i = 0; i < 200; i++) await once();
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
    requestsPerSecond: lat.length / total,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    mean: lat.reduce((a, b) => a + b, 0) / lat.length,
  };
}

type Stage = 'success' | 'queue' | 'compute_input' | 'compute_infer' | 'compute_output';
type StatsSnapshot = Record<Stage, { count: number; ns: number }> & {
  rows: number;
  batches: number;
};

async function stats(url: string): Promise<StatsSnapshot> {
  const body = (await (await fetch(`${url}/v2/models/mnist/stats`)).json()) as {
    model_stats: {
      inference_count: number;
      execution_count: number;
      inference_stats: Record<Stage, { count: number; ns: number }>;
    }[];
  };
  const s = body.model_stats[0]!;
  return { ...s.inference_stats, rows: s.inference_count, batches: s.execution_count };
}

/** Mean milliseconds per request of each stage between two snapshots. */
function stageMeans(a: StatsSnapshot, b: StatsSnapshot) {
  const per = (k: Stage) => (b[k].ns - a[k].ns) / 1e6 / Math.max(1, b[k].count - a[k].count);
  return {
    inServer: per('success'),
    queue: per('queue'),
    computeInput: per('compute_input'),
    computeInfer: per('compute_infer'),
    computeOutput: per('compute_output'),
    meanBatch: (b.rows - a.rows) / Math.max(1, b.batches - a.batches),
  };
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** The machine's 1-minute load average at the start (others' work on a shared machine shows here). */
const loadAtStart = loadavg()[0] as number;

// ---- bodies --------------------------------------------------------------------------------
const file = await mnistModelFile();
const test = loadMnist('t10k', 1);
const x = Float32Array.from(pixelsOf(test, 0), (v) => (v / 255 - MEAN) / STD);
const input = { name: 'input', shape: [1, 1, 28, 28], datatype: 'FP32' };
const json: Body = {
  body: JSON.stringify({ inputs: [{ ...input, data: Array.from(x) }] }),
  headers: { 'content-type': 'application/json' },
};
// The same request in the binary tensor data extension, asking for a binary reply too.
const header = Buffer.from(
  JSON.stringify({
    inputs: [{ ...input, parameters: { binary_data_size: x.byteLength } }],
    parameters: { binary_data_output: true },
  }),
);
const binary: Body = {
  body: Buffer.concat([header, Buffer.from(x.buffer)]),
  headers: {
    'content-type': 'application/octet-stream',
    'inference-header-content-length': String(header.length),
  },
};

// ---- gRPC ----------------------------------------------------------------------------------
type Unary = (req: unknown, cb: (e: grpc.ServiceError | null) => void) => void;
type InferClient = grpc.Client & { ModelInfer: Unary; ServerLive: Unary };

function grpcClient(address: string): InferClient {
  const def = grpc.loadPackageDefinition(
    protoLoader.loadSync(join(PACKAGE_DIR, 'proto', 'grpc_predict_v2.proto'), {
      keepCase: true,
      longs: Number,
      defaults: true,
      arrays: true,
    }),
  );
  const Service = (def.inference as grpc.GrpcObject)
    .GRPCInferenceService as grpc.ServiceClientConstructor;
  return new Service(address, grpc.credentials.createInsecure()) as unknown as InferClient;
}

/**
 * `concurrency` loops of one call at a time on one channel for `seconds`: ModelInfer of the
 * image, or ServerLive (the gRPC floor: the same client and server with no body and no model).
 */
async function grpcLoad(
  client: InferClient,
  method: 'ModelInfer' | 'ServerLive',
  concurrency: number,
  seconds: number,
): Promise<Latency> {
  const req =
    method === 'ServerLive'
      ? {}
      : {
          model_name: 'mnist',
          inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 1, 28, 28] }],
          raw_input_contents: [Buffer.from(x.buffer, x.byteOffset, x.byteLength)],
        };
  const once = () =>
    new Promise<void>((resolve, reject) => client[method](req, (e) => (e ? reject(e) : resolve())));
  for (let i = 0; i < 200; i++) await once();
  const lat: number[] = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        await once();
        lat.push(performance.now() - s);
      }
    }),
  );
  const total = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return {
    requestsPerSecond: lat.length / total,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    mean: lat.reduce((a, b) => a + b, 0) / lat.length,
  };
}

// ---- processes -----------------------------------------------------------------------------
// gd-serve's command line for the bench model: the arguments every server here starts with
// (`--workers` left to its default when null).
function serverArgs(workers: number | null = WORKERS): string[] {
  return [
    join(PACKAGE_DIR, 'dist', 'cli.js'),
    '--model',
    file,
    '--name',
    'mnist',
    '--port',
    '0',
    ...(workers === null ? [] : ['--workers', String(workers)]),
    '--ep',
    EP,
  ];
}
const server = await spawnServer([...serverArgs(), ...FLAGS], 'gd-serve: ready');
// The same server with the gRPC front end, for the gRPC phases: their own process, as 64 calls
// in flight leave a server garbage to collect while the next phase measures it (a server's
// one-connection JSON p99 0.5 ms after an HTTP phase, 1.3 ms after a gRPC one).
const grpcServer = await spawnServer(
  [...serverArgs(), '--grpc-port', '0', ...FLAGS],
  'gd-serve: ready',
);
// The same server with every batch handed to its worker thread (no event-loop lane).
const threaded = await spawnServer(
  [...serverArgs(), ...FLAGS, '--inline-max-ms', '0'],
  'gd-serve: ready',
);
// The same server with the sessions on its event loop (no worker thread).
const inline = await spawnServer([...serverArgs(0), ...FLAGS], 'gd-serve: ready');
// The same server as several processes sharing the port.
const processes = await spawnServer(
  [...serverArgs(null), ...FLAGS, ...PROCESS_FLAGS],
  'gd-serve: ready',
);
// Floor (a) answers exactly the bytes gd-serve answers.
const jsonReply = await (
  await fetch(`${server.url}/v2/models/mnist/infer`, {
    method: 'POST',
    headers: json.headers,
    body: json.body as string,
  })
).text();
const binResponse = await fetch(`${server.url}/v2/models/mnist/infer`, {
  method: 'POST',
  headers: binary.headers,
  body: new Uint8Array(binary.body as Buffer),
});
const binReply = Buffer.from(await binResponse.arrayBuffer());
const binHeaderLength = Number(binResponse.headers.get('inference-header-content-length'));
const repliesFile = join(mkdtempSync(join(tmpdir(), 'gd-serve-bench-')), 'replies.json');
writeFileSync(
  repliesFile,
  JSON.stringify({
    json: jsonReply,
    binaryHeader: binReply.subarray(0, binHeaderLength).toString(),
    binaryTail: binReply.subarray(binHeaderLength).toString('base64'),
  }),
);
const floor = await spawnServer([join(HERE, 'floor-server.js'), repliesFile]);
const grpcAddress = /gRPC listening on (\S+)/.exec(grpcServer.log())?.[1];
if (!grpcAddress) throw new Error(`gd-serve did not say where gRPC listens:\n${grpcServer.log()}`);
const grpcInfer = grpcClient(grpcAddress);

const session = await ort.InferenceSession.create(file, {
  intraOpNumThreads: Math.max(1, Math.floor((availableParallelism() - 1) / WORKERS)),
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});

// ---- rounds --------------------------------------------------------------------------------
type Phase =
  | 'floor1Json'
  | 'server1Json'
  | 'floor1Bin'
  | 'server1Bin'
  | 'floor64Bin'
  | 'server64Bin'
  | 'floor64Json'
  | 'server64Json'
  | 'threaded1Json'
  | 'threaded1Bin'
  | 'threaded64Bin'
  | 'inline1Json'
  | 'inline1Bin'
  | 'inline64Bin'
  | 'inline64Json'
  | 'procs1Json'
  | 'procs1Bin'
  | 'procs64Bin'
  | 'grpcFloor1'
  | 'grpc1'
  | 'grpcFloor64'
  | 'grpc64';
const rounds: {
  raw1: Awaited<ReturnType<typeof rawRuns>>;
  raw64: Awaited<ReturnType<typeof rawRuns>>;
  phases: Record<Phase, Latency>;
  stages1Json: ReturnType<typeof stageMeans>;
  stages1Bin: ReturnType<typeof stageMeans>;
  stages64Bin: ReturnType<typeof stageMeans>;
  /** The 1-minute load average at the end of the round (others' work on a shared machine). */
  load: number;
}[] = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    const raw1 = await rawRuns(session, x, 1, 1);
    const raw64 = await rawRuns(session, x, 64, 1);
    const p = {} as Record<Phase, Latency>;
    p.floor1Json = await sequential(floor.url, json, SECONDS);
    let s0 = await stats(server.url);
    p.server1Json = await sequential(server.url, json, SECONDS);
    const stages1Json = stageMeans(s0, await stats(server.url));
    p.threaded1Json = await sequential(threaded.url, json, SECONDS);
    p.floor1Bin = await sequential(floor.url, binary, SECONDS);
    s0 = await stats(server.url);
    p.server1Bin = await sequential(server.url, binary, SECONDS);
    const stages1Bin = stageMeans(s0, await stats(server.url));
    p.threaded1Bin = await sequential(threaded.url, binary, SECONDS);
    p.floor64Bin = await load(floor.url, binary, CONCURRENCY, SECONDS, floor.child.pid);
    // Before and after take turns at going first under load (each round's order is a bias).
    const threadedFirst = r % 2 === 1;
    if (threadedFirst)
      p.threaded64Bin = await load(threaded.url, binary, CONCURRENCY, SECONDS, threaded.child.pid);
    s0 = await stats(server.url);
    p.server64Bin = await load(server.url, binary, CONCURRENCY, SECONDS, server.child.pid);
    const stages64Bin = stageMeans(s0, await stats(server.url));
    if (!threadedFirst)
      p.threaded64Bin = await load(threaded.url, binary, CONCURRENCY, SECONDS, threaded.child.pid);
    p.floor64Json = await load(floor.url, json, CONCURRENCY, SECONDS, floor.child.pid);
    p.server64Json = await load(server.url, json, CONCURRENCY, SECONDS, server.child.pid);
    p.inline1Json = await sequential(inline.url, json, SECONDS);
    p.inline1Bin = await sequential(inline.url, binary, SECONDS);
    p.inline64Bin = await load(inline.url, binary, CONCURRENCY, SECONDS, inline.child.pid);
    p.inline64Json = await load(inline.url, json, CONCURRENCY, SECONDS, inline.child.pid);
    p.procs1Json = await sequential(processes.url, json, SECONDS);
    p.procs1Bin = await sequential(processes.url, binary, SECONDS);
    p.procs64Bin = await load(processes.url, binary, CONCURRENCY, SECONDS, processes.child.pid);
    p.grpcFloor1 = await grpcLoad(grpcInfer, 'ServerLive', 1, SECONDS);
    p.grpc1 = await grpcLoad(grpcInfer, 'ModelInfer', 1, SECONDS);
    p.grpcFloor64 = await grpcLoad(grpcInfer, 'ServerLive', CONCURRENCY, SECONDS);
    p.grpc64 = await grpcLoad(grpcInfer, 'ModelInfer', CONCURRENCY, SECONDS);
    rounds.push({
      raw1,
      raw64,
      phases: p,
      stages1Json,
      stages1Bin,
      stages64Bin,
      load: loadavg()[0] as number,
    });
    console.error(`round ${r + 1}/${ROUNDS} done`);
  }
} finally {
  grpcInfer.close();
  await grpcServer.stop();
  await session.release();
  await floor.stop();
  await threaded.stop();
  await inline.stop();
  await processes.stop();
}

// ---- soak ----------------------------------------------------------------------------------
let soak:
  | { seconds: number; requests: number; rssBeforeMiB: number; rssAfterMiB: number; non2xx: number }
  | undefined;
try {
  if (SOAK_SECONDS > 0) {
    const pid = server.child.pid as number;
    const before = rssKiB(pid);
    const res = await autocannon({ ...inferLoad(server.url, binary, 16), duration: SOAK_SECONDS });
    soak = {
      seconds: SOAK_SECONDS,
      requests: res.requests.total,
      rssBeforeMiB: before / 1024,
      rssAfterMiB: rssKiB(pid) / 1024,
      non2xx: res.non2xx + res.errors + res.timeouts,
    };
  }
} finally {
  await server.stop();
}

// ---- report --------------------------------------------------------------------------------
const med = (f: (r: (typeof rounds)[number]) => number) => median(rounds.map(f));
const ph = (k: Phase, m: Exclude<keyof Latency, 'cpuPerRequestUs'>) => med((r) => r.phases[k][m]);
interface Row {
  name: string;
  value: number;
  unit: string;
}
const rows: Row[] = [];
const row = (name: string, value: number, unit: string) => rows.push({ name, value, unit });

row(
  'floor (b) raw session.run, batch 1',
  med((r) => r.raw1.imagesPerSecond),
  'images/s',
);
row(
  'floor (b) raw session.run, batch 1: p50',
  med((r) => r.raw1.p50),
  'ms',
);
row(
  'floor (b) raw session.run, batch 64',
  med((r) => r.raw64.imagesPerSecond),
  'images/s',
);
const labels: Record<Phase, string> = {
  floor1Json: 'floor (a) bare Fastify, one connection, JSON',
  server1Json: 'gd-serve, batch 1, one connection, JSON',
  floor1Bin: 'floor (a) bare Fastify, one connection, binary',
  server1Bin: 'gd-serve, batch 1, one connection, binary',
  floor64Bin: `floor (a) bare Fastify, ${CONCURRENCY} connections, binary`,
  server64Bin: `gd-serve, ${CONCURRENCY} connections, binary`,
  floor64Json: `floor (a) bare Fastify, ${CONCURRENCY} connections, JSON`,
  server64Json: `gd-serve, ${CONCURRENCY} connections, JSON`,
  threaded1Json: 'gd-serve --inline-max-ms 0, batch 1, one connection, JSON',
  threaded1Bin: 'gd-serve --inline-max-ms 0, batch 1, one connection, binary',
  threaded64Bin: `gd-serve --inline-max-ms 0, ${CONCURRENCY} connections, binary`,
  inline1Json: 'gd-serve --workers 0, batch 1, one connection, JSON',
  inline1Bin: 'gd-serve --workers 0, batch 1, one connection, binary',
  inline64Bin: `gd-serve --workers 0, ${CONCURRENCY} connections, binary`,
  inline64Json: `gd-serve --workers 0, ${CONCURRENCY} connections, JSON`,
  procs1Json: `gd-serve ${PROCESS_FLAGS.join(' ')}, batch 1, one connection, JSON`,
  procs1Bin: `gd-serve ${PROCESS_FLAGS.join(' ')}, batch 1, one connection, binary`,
  procs64Bin: `gd-serve ${PROCESS_FLAGS.join(' ')}, ${CONCURRENCY} connections, binary`,
  grpcFloor1: 'gRPC floor: ServerLive, one call at a time (grpc-js client and server)',
  grpc1: 'gd-serve gRPC ModelInfer, batch 1, one call at a time (raw_input_contents)',
  grpcFloor64: `gRPC floor: ServerLive, ${CONCURRENCY} calls in flight on one channel`,
  grpc64: `gd-serve gRPC ModelInfer, ${CONCURRENCY} calls in flight on one channel`,
};
for (const k of Object.keys(labels) as Phase[]) {
  row(labels[k], ph(k, 'requestsPerSecond'), 'req/s');
  row(`${labels[k]}: p50`, ph(k, 'p50'), 'ms');
  row(`${labels[k]}: p99`, ph(k, 'p99'), 'ms');
  const cpu = med((r) => r.phases[k].cpuPerRequestUs ?? NaN);
  if (Number.isFinite(cpu)) row(`${labels[k]}: server CPU per request`, cpu, 'µs');
}
for (const [name, k] of [
  ['default', 'server64Bin'],
  ['--inline-max-ms 0', 'threaded64Bin'],
  ['--workers 0', 'inline64Bin'],
  [PROCESS_FLAGS.join(' '), 'procs64Bin'],
] as const) {
  const ratio = med(
    (r) => (r.phases[k].cpuPerRequestUs ?? NaN) / (r.phases.floor64Bin.cpuPerRequestUs ?? NaN),
  );
  if (Number.isFinite(ratio))
    row(
      `server CPU per request over floor (a)'s, ${CONCURRENCY} connections, binary: gd-serve ${name}`,
      ratio,
      'x',
    );
}
for (const [name, key] of [
  ['batch 1, JSON', 'stages1Json'],
  ['batch 1, binary', 'stages1Bin'],
  [`${CONCURRENCY} connections, binary`, 'stages64Bin'],
] as const) {
  const s = (f: (x: ReturnType<typeof stageMeans>) => number) => med((r) => f(r[key]));
  const stages: [string, (x: ReturnType<typeof stageMeans>) => number][] = [
    ['queue', (x) => x.queue],
    ['compute input (worker)', (x) => x.computeInput],
    ['compute infer (session.run)', (x) => x.computeInfer],
    ['compute output (worker)', (x) => x.computeOutput],
    [
      "rest of the time in the core (hand-off to the worker, or the event loop's turn)",
      (x) => x.inServer - x.queue - x.computeInput - x.computeInfer - x.computeOutput,
    ],
  ];
  for (const [stage, f] of stages) row(`stages, ${name}: ${stage}`, s(f), 'ms');
  row(
    `stages, ${name}: mean rows per batch`,
    s((x) => x.meanBatch),
    'rows',
  );
}
row(
  `${PROCESS_FLAGS.join(' ')} over one process (1 worker thread), ${CONCURRENCY} connections, binary: req/s`,
  med((r) => r.phases.procs64Bin.requestsPerSecond / r.phases.server64Bin.requestsPerSecond),
  'x',
);
const http1 = med((r) => r.phases.server1Json.mean - r.stages1Json.inServer);
row(
  'stages, batch 1, JSON: HTTP, parse, validate, reply (client mean minus time in core)',
  http1,
  'ms',
);

// Targets of issue #13, each as a median over the rounds of the per-round comparison, for the
// default server (one worker thread) and for --workers 0.
type Kind = 'server' | 'threaded' | 'inline' | 'procs';
const phase = (kind: Kind, p: '1Json' | '1Bin' | '64Bin'): Phase => `${kind}${p}`;
const targetsFor = (kind: Kind) =>
  [
    {
      target: 'batch 1, one connection, JSON: p50 <= floor (a) p50 + 0.15 ms',
      value: med((r) => r.phases[phase(kind, '1Json')].p50 - r.phases.floor1Json.p50),
      limit: 0.15,
      unit: 'ms over floor (a)',
      atMost: true,
    },
    {
      target: 'batch 1, one connection, binary: p50 <= floor (a) p50 + 0.15 ms',
      value: med((r) => r.phases[phase(kind, '1Bin')].p50 - r.phases.floor1Bin.p50),
      limit: 0.15,
      unit: 'ms over floor (a)',
      atMost: true,
    },
    {
      target: 'batch 1, one connection, JSON: p99 <= 1 ms',
      value: ph(phase(kind, '1Json'), 'p99'),
      limit: 1,
      unit: 'ms',
      atMost: true,
    },
    {
      target: 'batch 1, one connection, binary: p99 <= 1 ms',
      value: ph(phase(kind, '1Bin'), 'p99'),
      limit: 1,
      unit: 'ms',
      atMost: true,
    },
    {
      target: `${CONCURRENCY} connections, binary: >= 70% of floor (a) req/s`,
      value: med(
        (r) =>
          r.phases[phase(kind, '64Bin')].requestsPerSecond / r.phases.floor64Bin.requestsPerSecond,
      ),
      limit: 0.7,
      unit: 'of floor (a)',
      atMost: false,
    },
    {
      target: `${CONCURRENCY} connections, binary: p99 <= 10 ms`,
      value: ph(phase(kind, '64Bin'), 'p99'),
      limit: 10,
      unit: 'ms',
      atMost: true,
    },
  ].map((t) => ({ ...t, met: t.atMost ? t.value <= t.limit : t.value >= t.limit }));
const targets = targetsFor('server');
const threadedTargets = targetsFor('threaded');
const inlineTargets = targetsFor('inline');
const procsTargets = targetsFor('procs');
const shown = (t: (typeof targets)[number]) =>
  t.unit.startsWith('of')
    ? `${(t.value * 100).toFixed(0)}% ${t.unit}`
    : `${t.value.toFixed(3)} ${t.unit}`;

const fmt = (r: Row) =>
  r.unit === 'images/s' || r.unit === 'req/s'
    ? r.value.toFixed(0)
    : r.unit === 'x'
      ? r.value.toFixed(2)
      : r.unit === 'µs'
        ? r.value.toFixed(1)
        : r.value.toFixed(3);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; node ${process.version}; ${WORKERS} worker(s); gd-serve flags: ${FLAGS.length ? FLAGS.join(' ') : 'defaults (--max-delay-ms 0, --busy-poll-us 200)'}; ${ROUNDS} interleaved rounds of ${SECONDS} s per phase (load phases after ${WARM_UP_SECONDS} s of untimed load), medians; autocannon in the bench process; model: SimpleNN(64) MLP; server on ${EP}, raw session.run on cpu; load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] as number).toFixed(1)} at the end`;
const spread = (values: number[]) =>
  `${Math.min(...values).toFixed(3)}-${Math.max(...values).toFixed(3)} ms`;
const noise = `Noise: 1-minute load average after each round ${rounds.map((r) => r.load.toFixed(1)).join(', ')}; floor (a) one-connection p50 over the rounds: JSON ${spread(rounds.map((r) => r.phases.floor1Json.p50))}, binary ${spread(rounds.map((r) => r.phases.floor1Bin.p50))}. Each target compares phases of the same round, then takes the median over rounds.`;
const lines = [
  `gd-serve on ${machine}`,
  '',
  noise,
  '',
  '## Targets (issue #13)',
  '',
  `| target | default (1 worker thread, event-loop lane) | met | \`--inline-max-ms 0\` (every batch to the worker: the default before) | met | \`--workers 0\` (event loop) | met | \`${PROCESS_FLAGS.join(' ')}\` | met |`,
  '| --- | ---: | :-: | ---: | :-: | ---: | :-: | ---: | :-: |',
  ...targets.map((t, i) => {
    const cells = [
      t,
      threadedTargets[i],
      inlineTargets[i],
      procsTargets[i],
    ] as (typeof targets)[number][];
    return `| ${t.target} | ${cells.map((c) => `${shown(c)} | ${c.met ? 'yes' : 'no'}`).join(' | ')} |`;
  }),
  '',
  '## Measures',
  '',
  '| measure | value |',
  '| --- | ---: |',
  ...rows.map((r) => `| ${r.name} | ${fmt(r)} ${r.unit} |`),
];
if (soak) {
  lines.push(
    '',
    '## Soak',
    '',
    `${soak.seconds} s of binary requests over 16 loopback connections: ${soak.requests} requests served (${soak.non2xx} not 2xx); gd-serve RSS ${soak.rssBeforeMiB.toFixed(1)} MiB before, ${soak.rssAfterMiB.toFixed(1)} MiB after.`,
  );
}
const table = lines.join('\n');
console.log(table);
const outDir = join(ROOT, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'serve.json'),
  JSON.stringify(
    {
      package: '@gd/serve',
      node: process.version,
      date: new Date().toISOString(),
      machine,
      targets,
      threadedTargets,
      inlineTargets,
      procsTargets,
      rows,
      soak,
      rounds,
    },
    null,
    2,
  ) + '\n',
);
writeFileSync(join(outDir, 'serve.md'), table + '\n');
console.log(`\nwrote ${join(outDir, 'serve.json')}`);
