/**
 * The HTTP server: composes the core (models, batchers, workers) with Fastify plugins by concern
 * (errors, body parsers, metrics, auth, v2 and v1 routes, page files) and owns the lifecycle:
 * listen at once (live), ready after warm-up, and a graceful close that drains requests.
 */
import { endianness } from 'node:os';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { ServeCore } from './core.js';
import { DEFAULT_INLINE_MAX_MS } from './runtime.js';
import { ModelRepository } from './repository.js';
import type { ModelControl } from './repository.js';
import { repositoryRoutes } from './http/repository.js';
import { startGrpc } from './grpc/server.js';
import type { GrpcFrontEnd } from './grpc/server.js';
import type { ModelSource } from './model-repo.js';
import type { ClusterProcess } from './cluster.js';
import type { ExecutionProvider } from './providers.js';
import { bearerAuth } from './http/auth.js';
import { errorHandling } from './http/errors.js';
import { bodyDeadline } from './http/timeouts.js';
import { httpMetrics } from './http/metrics.js';
import type { InFlight } from './http/metrics.js';
import { pageFiles } from './http/page.js';
import { bodyParsers } from './http/parsers.js';
import { v1Routes } from './http/v1.js';
import { v2Routes } from './http/v2.js';

export { HttpError } from './errors.js';

/** Everything `gd-serve` can be told; the CLI's flags map onto these. */
export interface ServeOptions {
  /** An .onnx file, a Triton model directory, or a repository of model directories. */
  model: string;
  /** Serve a single model under this name instead of its file or directory name. */
  name?: string;
  /** Execution providers in order of preference (default ['cpu']). */
  eps?: ExecutionProvider[];
  /** Go down the `eps` list (then to cpu) when a provider is missing or fails. */
  allowFallback?: boolean;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Also serve the v2 protocol over gRPC (`inference.GRPCInferenceService`) on this port, on the
   * same host (0 picks a free port; default: no gRPC).
   */
  grpcPort?: number;
  /**
   * Worker threads holding the sessions (default 1); 0 runs them on the event loop, with no
   * thread hand-off (for small models; a slow inference then stalls every connection).
   */
  workers?: number;
  /**
   * With worker threads, a lone request (nothing else queued or running) runs on the event loop
   * instead when the model's `session.run` takes at most this many milliseconds (measured at
   * load; CPU models, without `maxDelayMs`), saving the hand-off to a thread and back; 0: never
   * (default 0.25).
   */
  inlineMaxMs?: number;
  /** onnxruntime threads per session (default: the machine's cores but one (the event loop's) split between the workers). */
  intraOpThreads?: number;
  maxBatch?: number;
  /**
   * How long a request may wait for others to join its batch while a worker is free (default
   * 0: never; requests that queue behind busy workers are still batched together).
   */
  maxDelayMs?: number;
  /** Batch sizes that end the wait early (Triton's `preferred_batch_size`); with a delay only. */
  preferredBatchSizes?: number[];
  /** Requests waiting for a batch past which the server answers 503. */
  maxQueue?: number;
  /**
   * Microseconds the event loop keeps polling its sockets after each inference answer instead
   * of sleeping (default 200; 0: off): a client that sends its next request within the window
   * is answered by a thread that has not gone cold, at the cost of the CPU spent polling while
   * requests keep coming (none when idle). Turn it off on machines shared with other busy work.
   */
  busyPollUs?: number;
  /**
   * How models change while serving (Triton's model control modes): `none` (default), `explicit`
   * (the repository API loads and unloads), `poll` (the repository directory is watched).
   */
  modelControl?: ModelControl;
  /** With `modelControl: 'poll'`, milliseconds between scans of the repository (default 1000). */
  pollMs?: number;
  /** Largest request body in bytes (413 beyond). */
  bodyLimit?: number;
  /**
   * Longest a client may take to send a whole request (headers and body); a client that stalls
   * mid-body is answered 408 and disconnected (default 30000).
   */
  requestTimeoutMs?: number;
  /** When set, requests need `Authorization: Bearer <apiKey>` (health and page files excepted). */
  apiKey?: string;
  /** Where startup and error lines go (default: nowhere). */
  log?: (message: string) => void;
  /** Readiness also waits for this (tests use it to hold the server in its loading state). */
  readyGate?: Promise<unknown>;
  /**
   * Set by the CLI in each process of `--processes`: `/metrics` and the statistics then span
   * every process, and a replacement process listens only once its models are warmed up.
   */
  cluster?: ClusterProcess;
}

/** A running server. */
export interface GdServer {
  app: FastifyInstance;
  /** Models, runtime and metrics, shared with the gRPC front end. */
  core: ServeCore;
  /** `http://host:port` it listens on. */
  url: string;
  /** `host:port` of the gRPC front end, when `grpcPort` was given. */
  grpcAddress?: string;
  /** The models as resolved from `--model` (loaded or not yet). */
  sources: ModelSource[];
  /** Settles when every model is loaded and warmed up (rejects when one cannot be). */
  ready: Promise<void>;
  isReady(): boolean;
  /** Requests being handled now. */
  inFlight(): number;
  /** Stops accepting requests, answers those in flight, stops the workers. */
  close(): Promise<void>;
}

/** The defaults of the options (and the CLI flags). */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8000,
  workers: 1,
  inlineMaxMs: DEFAULT_INLINE_MAX_MS,
  maxBatch: 64,
  maxDelayMs: 0,
  maxQueue: 1024,
  busyPollUs: 200,
  bodyLimit: 8 * 1024 * 1024,
  requestTimeoutMs: 30000,
} as const;

type Resolved = Required<
  Omit<
    ServeOptions,
    | 'name'
    | 'apiKey'
    | 'log'
    | 'readyGate'
    | 'preferredBatchSizes'
    | 'intraOpThreads'
    | 'grpcPort'
    | 'modelControl'
    | 'pollMs'
    | 'cluster'
  >
> &
  ServeOptions & { log: (message: string) => void };

/** The options with defaults filled in (undefined counts as not given). */
function resolveOptions(options: ServeOptions): Resolved {
  const opts = {
    eps: ['cpu'] as ExecutionProvider[],
    allowFallback: false,
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as Resolved;
  opts.log ??= () => {};
  return opts;
}

/** The Fastify app with every plugin, around a core. */
async function buildApp(
  core: ServeCore,
  repository: ModelRepository,
  opts: Resolved,
  inFlight: InFlight,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: {
      customOptions: {
        coerceTypes: false,
        allErrors: false,
        verbose: true,
        removeAdditional: false,
      },
    },
  });
  // Order matters: handlers, parsers and hooks registered here apply to the routes after them.
  await app.register(errorHandling, { core, bodyLimit: opts.bodyLimit });
  await app.register(bodyParsers);
  await app.register(httpMetrics, { core, inFlight });
  await app.register(bearerAuth, { core, apiKey: opts.apiKey });
  await app.register(bodyDeadline, { core, timeoutMs: opts.requestTimeoutMs });
  // While closing, answers end their connection (keep-alive would hold the close forever).
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (core.closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  await app.register(pageFiles);
  await app.register(v2Routes, { core });
  await app.register(v1Routes, { core });
  await app.register(repositoryRoutes, { repository });
  return app;
}

/**
 * Starts gd-serve: listens at once (live), loads the models in worker threads, and turns ready
 * after each model's warm-up inference.
 *
 * @example
 * ```ts
 * const server = await startServer({ model: 'runs/mnist/model.onnx', port: 0 });
 * await server.ready;
 * const res = await fetch(`${server.url}/v2/models/model`);
 * await server.close();
 * ```
 */
export async function startServer(options: ServeOptions): Promise<GdServer> {
  if (endianness() !== 'LE') throw new Error('gd-serve needs a little-endian machine');
  const opts = resolveOptions(options);
  const log = opts.log;
  const core = new ServeCore(opts);
  const inFlight: InFlight = { count: 0 };
  const repository = new ModelRepository(core, {
    path: opts.model,
    name: opts.name,
    control: opts.modelControl ?? 'none',
    pollMs: opts.pollMs ?? 1000,
  });
  const app = await buildApp(core, repository, opts, inFlight);

  // A process that replaces one that died shares a port that is already serving: it takes
  // connections only once it can answer them.
  const early = opts.cluster?.replacement ? core.start() : undefined;
  if (early) {
    try {
      await early;
    } catch (e) {
      await core.close();
      throw e;
    }
  }
  const url = await app.listen({ host: opts.host, port: opts.port });
  opts.cluster?.notify({ gd: 'listening', url });
  log(`listening on ${url} (models: ${core.sources.map((s) => s.name).join(', ')})`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host) && opts.apiKey === undefined) {
    log(
      `warning: listening on ${opts.host} without --api-key: anyone who reaches this address can use the models`,
    );
  }
  let grpcEnd: GrpcFrontEnd | undefined;
  if (opts.grpcPort !== undefined) {
    try {
      grpcEnd = await startGrpc(core, {
        host: opts.host,
        port: opts.grpcPort,
        apiKey: opts.apiKey,
        maxMessageBytes: opts.bodyLimit,
      });
    } catch (e) {
      await app.close();
      throw new Error(
        `gRPC: cannot listen on ${opts.host}:${opts.grpcPort}: ${(e as Error).message}`,
      );
    }
    log(`gRPC listening on ${grpcEnd.address}`);
  }
  const ready = early ?? core.start();
  void ready.then(
    () => {
      opts.cluster?.notify({ gd: 'ready' });
      return repository.start();
    },
    () => {},
  );

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      core.beginClose();
      await repository.stop();
      // In-flight requests of both front ends finish (their inferences included).
      await Promise.all([grpcEnd?.close(), app.close()]);
      await core.close();
    })();
    return closed;
  };

  return {
    app,
    core,
    url,
    ...(grpcEnd ? { grpcAddress: grpcEnd.address } : {}),
    sources: core.sources,
    ready,
    isReady: () => core.isReady(),
    inFlight: () => inFlight.count,
    close,
  };
}
