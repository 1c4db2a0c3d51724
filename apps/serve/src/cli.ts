#!/usr/bin/env node
/**
 * `gd-serve`: serves ONNX models over HTTP (Open Inference Protocol v2), with the sessions in
 * worker threads, micro-batching, Prometheus metrics and a digit-drawing page.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { clusterProcess, runPrimary } from './cluster.js';
import { parseEpList } from './providers.js';
import { MODEL_CONTROLS } from './repository.js';
import type { ModelControl } from './repository.js';
import { DEFAULTS, startServer } from './server.js';
import type { GdServer } from './server.js';

const int = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidArgumentError(`${name}: expected an integer >= ${min}, got ${v}`);
  return n;
};
const nonNegative = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(`${name}: expected a number >= 0, got ${v}`);
  return n;
};
const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${name}: expected a number > 0, got ${v}`);
  return n;
};
const sizeList = (v: string) => {
  const sizes = v.split(',').map((x) => Number(x.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new InvalidArgumentError(`--preferred-batch: expected sizes >= 1 like 4,8,16, got ${v}`);
  return sizes;
};
const epList = (v: string) => {
  try {
    return parseEpList(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

const program = new Command()
  .name('gd-serve')
  .description(
    'Serve ONNX models over HTTP: the Open Inference Protocol v2 (/v2/...), POST /v1/models/<name>/predict for digit images, Prometheus /metrics, and a drawing page at /.',
  )
  .requiredOption(
    '--model <path>',
    'an .onnx file, a Triton model directory (config.pbtxt, <version>/model.onnx), or a repository of such directories',
  )
  .option(
    '--name <name>',
    'serve a single model under this name (default: the file or directory name)',
  )
  .addOption(
    new Option(
      '--ep <list>',
      'execution providers in order of preference, comma-separated: cpu, cuda, tensorrt, webgpu',
    )
      .default(['cpu'], 'cpu')
      .argParser(epList),
  )
  .option(
    '--allow-fallback',
    'when a provider is not installed or fails, use the next one of --ep (and cpu last) instead of stopping',
    false,
  )
  .option('--host <host>', 'address to bind (loopback unless told otherwise)', DEFAULTS.host)
  .addOption(
    new Option('--port <port>', 'port to listen on (0: any free port)')
      .default(DEFAULTS.port)
      .argParser(int('--port', 0)),
  )
  .addOption(
    new Option(
      '--grpc-port <port>',
      'also serve the v2 protocol over gRPC (inference.GRPCInferenceService) on this port (0: any free port; Triton uses 8001)',
    ).argParser(int('--grpc-port', 0)),
  )
  .addOption(
    new Option(
      '--workers <n>',
      'worker threads, each with its own sessions; 0 runs the sessions on the event loop (lowest latency for small models, but a slow inference stalls every connection)',
    )
      .default(DEFAULTS.workers)
      .argParser(int('--workers', 0)),
  )
  .addOption(
    new Option(
      '--inline-max-ms <ms>',
      "with worker threads, a batch runs on the event loop instead when the model's session.run takes at most this long for its rows (measured at load; CPU models, no --max-delay-ms): it skips the hand-off to a thread; 0: never",
    )
      .default(DEFAULTS.inlineMaxMs)
      .argParser(nonNegative('--inline-max-ms')),
  )
  .addOption(
    new Option(
      '--processes <n>',
      'server processes sharing the port (one per core), each with its own --workers; /metrics and the statistics cover all of them, and a process that dies is replaced',
    )
      .default(1)
      .argParser(int('--processes', 1)),
  )
  .addOption(
    new Option(
      '--intra-op-threads <n>',
      "onnxruntime threads per session (default: the machine's cores but one, the event loop's, split between the workers)",
    ).argParser(int('--intra-op-threads', 1)),
  )
  .addOption(
    new Option(
      '--max-batch <n>',
      'most rows concatenated into one batch (and per request); 0 turns batching off',
    )
      .default(DEFAULTS.maxBatch)
      .argParser(int('--max-batch', 0)),
  )
  .addOption(
    new Option(
      '--max-delay-ms <ms>',
      'longest a request waits for others to join its batch while a worker is free (0: never; requests queued behind busy workers are batched anyway)',
    )
      .default(DEFAULTS.maxDelayMs)
      .argParser(nonNegative('--max-delay-ms')),
  )
  .addOption(
    new Option(
      '--preferred-batch <sizes>',
      "comma-separated batch sizes that end a --max-delay-ms wait early (Triton's preferred_batch_size)",
    ).argParser(sizeList),
  )
  .addOption(
    new Option('--max-queue <n>', 'requests allowed to wait for a batch; beyond, 503')
      .default(DEFAULTS.maxQueue)
      .argParser(int('--max-queue', 1)),
  )
  .addOption(
    new Option(
      '--busy-poll-us <us>',
      'microseconds the event loop keeps polling after each inference answer instead of sleeping: the next request finds a warm thread (lower latency for clients that send one request after another, at the cost of CPU while requests keep coming); 0: off',
    )
      .default(DEFAULTS.busyPollUs)
      .argParser(nonNegative('--busy-poll-us')),
  )
  .addOption(
    new Option(
      '--model-control <mode>',
      'none: the models of --model, fixed; explicit: POST /v2/repository/models/<name>/load|unload; poll: watch the --model repository and load/retire versions as they appear and go',
    )
      .choices(MODEL_CONTROLS)
      .default('none'),
  )
  .addOption(
    new Option(
      '--repository-poll-secs <s>',
      'with --model-control poll, seconds between scans of the repository',
    )
      .default(1)
      .argParser(positive('--repository-poll-secs')),
  )
  .addOption(
    new Option(
      '--request-timeout-ms <ms>',
      'longest a client may take to send a whole request; one that stalls mid-body gets 408 and is disconnected',
    )
      .default(DEFAULTS.requestTimeoutMs)
      .argParser(int('--request-timeout-ms', 1)),
  )
  .addOption(
    new Option('--body-limit <bytes>', 'largest request body; beyond, 413')
      .default(DEFAULTS.bodyLimit)
      .argParser(int('--body-limit', 1)),
  )
  .addOption(
    new Option(
      '--api-key <key>',
      'require "Authorization: Bearer <key>" (health checks and the page files excepted)',
    ).env('GD_SERVE_API_KEY'),
  )
  .addOption(
    new Option(
      '--drain-timeout-ms <ms>',
      'on SIGTERM, longest wait for requests in flight before exiting anyway',
    )
      .default(30000)
      .argParser(nonNegative('--drain-timeout-ms')),
  )
  .addHelpText(
    'after',
    `
Examples:
  gd-serve --model runs/mnist/model.onnx                 # http://127.0.0.1:8000, model "model"
  gd-serve --model model_repository --ep cuda,cpu --allow-fallback --workers 2
  curl -s localhost:8000/v2/models/model
  curl -s -X POST localhost:8000/v1/models/model/predict -H 'content-type: image/png' --data-binary @digit.png

CUDA/TensorRT: onnxruntime-node downloads its CUDA 12 provider libraries in its install script
(ONNXRUNTIME_NODE_INSTALL=cuda12 / --onnxruntime-node-install=cuda12); gd-serve says how when
they are missing.`,
  );

interface CliOptions {
  model: string;
  name?: string;
  ep: ReturnType<typeof parseEpList>;
  allowFallback: boolean;
  host: string;
  port: number;
  grpcPort?: number;
  workers: number;
  inlineMaxMs: number;
  processes: number;
  intraOpThreads?: number;
  maxBatch: number;
  maxDelayMs: number;
  preferredBatch?: number[];
  maxQueue: number;
  busyPollUs: number;
  bodyLimit: number;
  requestTimeoutMs: number;
  modelControl: ModelControl;
  repositoryPollSecs: number;
  apiKey?: string;
  drainTimeoutMs: number;
}

const link = clusterProcess();
/** With --processes, each process's lines say which it is (`gd-serve[1]:`); the primary's do not. */
const who = link ? `gd-serve[${link.index}]` : 'gd-serve';
const log = (message: string) => {
  const stamp = new Date().toISOString();
  for (const line of message.split('\n')) process.stderr.write(`${stamp} ${who}: ${line}\n`);
};

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<CliOptions>();
  if (o.processes > 1 && cluster.isPrimary) {
    runPrimary({ processes: o.processes, drainTimeoutMs: o.drainTimeoutMs, log });
    return;
  }
  // The cores split between the processes too (one stays with each event loop).
  const intraOpThreads =
    o.intraOpThreads ??
    (link
      ? Math.max(
          1,
          Math.floor(
            (availableParallelism() - o.processes) / (o.processes * Math.max(1, o.workers)),
          ),
        )
      : undefined);
  let server: GdServer;
  try {
    server = await startServer({
      model: o.model,
      name: o.name,
      eps: o.ep,
      allowFallback: o.allowFallback,
      host: o.host,
      port: o.port,
      grpcPort: o.grpcPort,
      workers: o.workers,
      inlineMaxMs: o.inlineMaxMs,
      intraOpThreads,
      maxBatch: o.maxBatch,
      maxDelayMs: o.maxDelayMs,
      preferredBatchSizes: o.preferredBatch,
      maxQueue: o.maxQueue,
      busyPollUs: o.busyPollUs,
      bodyLimit: o.bodyLimit,
      requestTimeoutMs: o.requestTimeoutMs,
      modelControl: o.modelControl,
      pollMs: o.repositoryPollSecs * 1000,
      apiKey: o.apiKey,
      log,
      cluster: link,
    });
  } catch (e) {
    log(`cannot start: ${(e as Error).message}`);
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C forces the exit; a repeated SIGTERM (process managers may send one to
      // the process and one to its group) changes nothing: --drain-timeout-ms bounds the wait.
      if (signal === 'SIGINT') {
        log('SIGINT again: exiting without waiting');
        process.exit(1);
      }
      log(`${signal}: already draining`);
      return;
    }
    stopping = true;
    log(`${signal}: draining ${server.inFlight()} request(s) in flight, then exiting`);
    const timer = setTimeout(() => {
      log(`drain took longer than ${o.drainTimeoutMs} ms: exiting with requests unanswered`);
      process.exit(1);
    }, o.drainTimeoutMs);
    timer.unref();
    server.close().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (e: unknown) => {
        log(`error while stopping: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A process of --processes whose primary is gone drains and exits (no one supervises it).
  if (link) process.on('disconnect', () => stop('primary gone'));

  try {
    await server.ready;
  } catch (e) {
    if (stopping) return;
    log(`cannot serve: ${(e as Error).message}`);
    await server.close().catch(() => {});
    process.exit(1);
  }
}

void main();
