/**
 * The HTTP server: Fastify with JSON-schema validation, the Open Inference Protocol v2
 * endpoints, a digit-prediction convenience endpoint, Prometheus metrics, the drawing page and
 * its onnxruntime-web files, bearer-token auth, and a graceful close that drains requests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QueueFullError, ShuttingDownError } from './batcher.js';
import { Counter, Gauge, Histogram, Registry } from './metrics.js';
import { resolveModels } from './model-repo.js';
import type { ModelSource } from './model-repo.js';
import { pngToMnist } from './png.js';
import type { ExecutionProvider } from './providers.js';
import { PACKAGE_DIR, Runtime } from './runtime.js';
import type { LoadedModel, TensorSpec } from './runtime.js';
import {
  DATATYPES,
  InputError,
  V2_DATATYPES,
  asBytes,
  describeValue,
  fromBytes,
  numel,
  toJsonData,
  toTypedData,
} from './tensors.js';
import type { TypedData, V2Datatype } from './tensors.js';
import { argmax, normalize, toProbabilities } from './web/preprocess.js';
import type { WireTensor } from './worker.js';

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
  workers?: number;
  maxBatch?: number;
  maxDelayMs?: number;
  /** Requests waiting for a batch past which the server answers 503. */
  maxQueue?: number;
  /** Largest request body in bytes (413 beyond). */
  bodyLimit?: number;
  /** When set, requests need `Authorization: Bearer <apiKey>` (health and page files excepted). */
  apiKey?: string;
  /** Where startup and error lines go (default: nowhere). */
  log?: (message: string) => void;
  /** Readiness also waits for this (tests use it to hold the server in its loading state). */
  readyGate?: Promise<unknown>;
}

/** A running server. */
export interface GdServer {
  app: FastifyInstance;
  /** `http://host:port` it listens on. */
  url: string;
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

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8000,
  workers: 1,
  maxBatch: 64,
  maxDelayMs: 2,
  maxQueue: 1024,
  bodyLimit: 8 * 1024 * 1024,
} as const;

const SERVER_NAME = 'gd-serve';
const SERVER_VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

/** An error answered as `{ error }` with a status and a metrics kind. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

const INFER_SCHEMA = {
  type: 'object',
  required: ['inputs'],
  properties: {
    id: { type: 'string' },
    parameters: { type: 'object' },
    inputs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'shape', 'datatype'],
        properties: {
          name: { type: 'string', minLength: 1 },
          shape: { type: 'array', items: { type: 'integer', minimum: 0 } },
          datatype: { type: 'string' },
          parameters: { type: 'object' },
          data: { type: 'array' },
        },
      },
    },
    outputs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1 }, parameters: { type: 'object' } },
      },
    },
  },
} as const;

const PREDICT_SCHEMA = {
  type: 'object',
  properties: {
    pixels: { type: 'array' },
    image: { type: 'string', minLength: 1 },
  },
  oneOf: [{ required: ['pixels'] }, { required: ['image'] }],
} as const;

interface InferBody {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: {
    name: string;
    shape: number[];
    datatype: string;
    parameters?: Record<string, unknown>;
    data?: unknown;
  }[];
  outputs?: { name: string; parameters?: Record<string, unknown> }[];
}

/** `/inputs/0/shape/1` -> `inputs[0].shape[1]`. */
function fieldPath(instancePath: string): string {
  let out = '';
  for (const part of instancePath.split('/').slice(1)) {
    const p = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  }
  return out;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  data?: unknown;
}

function formatValidation(errors: AjvError[], context: string): string {
  const e = errors.find((x) => x.keyword === 'oneOf') ?? errors[0];
  if (!e) return `${context}: invalid`;
  const base = fieldPath(e.instancePath);
  const at = (f: string) => (f === '' ? context : f);
  switch (e.keyword) {
    case 'required':
      return `${at(base ? `${base}.${String(e.params.missingProperty)}` : String(e.params.missingProperty))}: is required`;
    case 'type':
      return `${at(base)}: expected ${e.params.type === 'integer' ? 'an integer' : `${String(e.params.type) === 'object' || String(e.params.type) === 'array' ? 'an' : 'a'} ${String(e.params.type)}`}, got ${describeValue(e.data)}`;
    case 'minimum':
      return `${at(base)}: expected a value >= ${String(e.params.limit)}, got ${describeValue(e.data)}`;
    case 'minItems':
      return `${at(base)}: expected at least ${String(e.params.limit)} item(s)`;
    case 'minLength':
      return `${at(base)}: must not be empty`;
    case 'oneOf':
      return `${context}: expected exactly one of "pixels" (784 values in [0, 255]) or "image" (a base64 PNG)`;
    default:
      return `${at(base)}: ${e.message ?? 'invalid'}`;
  }
}

function bearerMatches(header: string | undefined, key: string): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = createHash('sha256')
    .update(m[1] as string)
    .digest();
  const b = createHash('sha256').update(key).digest();
  return timingSafeEqual(a, b);
}

const OPEN_PATHS = new Set([
  '/',
  '/index.html',
  '/favicon.ico',
  '/v2/health/live',
  '/v2/health/ready',
]);
const OPEN_PREFIXES = ['/static/', '/ort/'];

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
  const opts = {
    eps: ['cpu'] as ExecutionProvider[],
    allowFallback: false,
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as Required<Omit<ServeOptions, 'name' | 'apiKey' | 'log' | 'readyGate'>> & ServeOptions;
  const log = opts.log ?? (() => {});
  const sources = resolveModels(opts.model, opts.name);

  // ---- metrics -------------------------------------------------------------------------
  const registry = new Registry();
  const requestSeconds = registry.add(
    new Histogram(
      'gd_serve_request_duration_seconds',
      'HTTP request latency by route and status code.',
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
  );
  const batchSize = registry.add(
    new Histogram(
      'gd_serve_batch_size',
      'Rows per batch sent to a worker, by model.',
      [1, 2, 4, 8, 16, 32, 64, 128, 256],
    ),
  );
  const batchRequests = registry.add(
    new Histogram(
      'gd_serve_batch_requests',
      'Requests merged into one batch, by model.',
      [1, 2, 4, 8, 16, 32, 64, 128, 256],
    ),
  );
  const runSeconds = registry.add(
    new Histogram(
      'gd_serve_inference_duration_seconds',
      'Time of session.run in the worker per batch, by model.',
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    ),
  );
  const errors = registry.add(new Counter('gd_serve_errors_total', 'Error responses by kind.'));
  const requests = registry.add(
    new Counter('gd_serve_requests_total', 'HTTP requests by route and status code.'),
  );
  let runtime: Runtime | undefined;
  let inFlight = 0;
  registry.add(
    new Gauge('gd_serve_queue_depth', 'Requests waiting for a batch, by model.', () =>
      runtime
        ? [...runtime.models.values()].map((m) => ({
            labels: { model: m.name },
            value: m.batcher.queued,
          }))
        : [],
    ),
  );
  registry.add(
    new Gauge('gd_serve_batches_running', 'Batches running in workers, by model.', () =>
      runtime
        ? [...runtime.models.values()].map((m) => ({
            labels: { model: m.name },
            value: m.batcher.running,
          }))
        : [],
    ),
  );
  registry.add(
    new Gauge('gd_serve_requests_in_flight', 'HTTP requests being handled.', () => [
      { labels: {}, value: inFlight },
    ]),
  );
  registry.add(
    new Gauge(
      'gd_serve_model_ready',
      'Whether a model is loaded and warmed up (1) or not (0).',
      () =>
        sources.map((s) => ({
          labels: { model: s.name },
          value: runtime?.models.has(s.name) && !closing ? 1 : 0,
        })),
    ),
  );
  registry.add(
    new Gauge(
      'gd_serve_execution_provider',
      'The execution provider each model runs on (value 1).',
      () =>
        runtime
          ? [...runtime.models.values()].map((m) => ({
              labels: { model: m.name, provider: m.executionProvider },
              value: 1,
            }))
          : [],
    ),
  );

  // ---- app -----------------------------------------------------------------------------
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
  let closing = false;

  const sendError = (reply: FastifyReply, status: number, kind: string, message: string) => {
    errors.inc({ kind });
    if (status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="gd-serve"');
    if (status === 503) void reply.header('Retry-After', '1');
    return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
  };

  app.setErrorHandler(
    (err: FastifyError & { validation?: AjvError[]; validationContext?: string }, _req, reply) => {
      if (err.validation) {
        return sendError(
          reply,
          400,
          'invalid_input',
          formatValidation(err.validation, err.validationContext ?? 'body'),
        );
      }
      if (err instanceof HttpError) return sendError(reply, err.statusCode, err.kind, err.message);
      if (err instanceof InputError) return sendError(reply, 400, err.kind, err.message);
      if (err instanceof QueueFullError) return sendError(reply, 503, 'queue_full', err.message);
      if (err instanceof ShuttingDownError)
        return sendError(reply, 503, 'shutting_down', err.message);
      switch (err.code) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return sendError(
            reply,
            413,
            'body_too_large',
            `body: larger than the limit of ${opts.bodyLimit} bytes`,
          );
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return sendError(
            reply,
            415,
            'unsupported_media_type',
            `Content-Type: ${JSON.stringify(_req.headers['content-type'] ?? '')} is not accepted; send application/json${_req.url.endsWith('/predict') ? ' or image/png' : ' (or application/octet-stream with Inference-Header-Content-Length)'}`,
          );
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          return sendError(reply, 400, 'malformed_json', 'body: empty, expected a JSON object');
        case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
          return sendError(
            reply,
            400,
            'malformed_request',
            'body: its size does not match Content-Length',
          );
      }
      if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
        return sendError(reply, err.statusCode, 'bad_request', err.message);
      }
      log(`error: ${err.stack ?? err.message}`);
      return sendError(reply, 500, 'internal', `internal error: ${err.message}`);
    },
  );

  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`),
  );

  // JSON with the parser's own message; raw bytes for PNGs and the v2 binary data extension.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(new HttpError(400, 'malformed_json', 'body: empty, expected a JSON object'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(
        new HttpError(400, 'malformed_json', `body: malformed JSON (${(e as Error).message})`),
        undefined,
      );
    }
  });
  app.addContentTypeParser(
    ['image/png', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  app.addHook('onRequest', async (req, reply) => {
    inFlight++;
    reply.raw.once('close', () => inFlight--);
    if (opts.apiKey === undefined) return;
    const path = req.url.split('?')[0] as string;
    if (OPEN_PATHS.has(path) || OPEN_PREFIXES.some((p) => path.startsWith(p))) return;
    if (!bearerMatches(req.headers.authorization, opts.apiKey)) {
      return sendError(
        reply,
        401,
        'unauthorized',
        req.headers.authorization
          ? 'Authorization: wrong bearer token'
          : 'Authorization: missing; send "Authorization: Bearer <api key>"',
      );
    }
  });
  // While closing, answers end their connection (keep-alive would hold the close forever).
  app.addHook('onSend', async (_req, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = { route, code: String(reply.statusCode) };
    requests.inc(labels);
    requestSeconds.observe(labels, reply.elapsedTime / 1000);
  });

  // ---- page and browser runtime files --------------------------------------------------
  const ortDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  await app.register(fastifyStatic, {
    root: join(PACKAGE_DIR, 'public'),
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    allowedPath: (p) => p === '/' || p === '/index.html' || p === '/style.css',
  });
  await app.register(fastifyStatic, {
    root: join(PACKAGE_DIR, 'dist', 'web'),
    prefix: '/static/',
    decorateReply: false,
    allowedPath: (p) => p.endsWith('.js'),
  });
  await app.register(fastifyStatic, {
    root: ortDir,
    prefix: '/ort/',
    decorateReply: false,
    // The ES-module builds and their WebAssembly; no source maps or CommonJS bundles.
    allowedPath: (p) =>
      /^\/(ort\.[a-z.]*min\.mjs|ort-wasm-[a-z-]+(\.[a-z]+)?\.(mjs|wasm))$/.test(p),
  });

  // ---- model lookup --------------------------------------------------------------------
  const modelFor = (name: string, version?: string): LoadedModel => {
    const src = sources.find((s) => s.name === name);
    if (!src) {
      throw new HttpError(
        404,
        'unknown_model',
        `model: unknown model ${JSON.stringify(name)}; this server serves ${sources.map((s) => JSON.stringify(s.name)).join(', ')}`,
      );
    }
    if (version !== undefined && version !== src.version) {
      throw new HttpError(
        404,
        'unknown_model',
        `version: model ${name} has version ${src.version}, not ${JSON.stringify(version)}`,
      );
    }
    const m = runtime?.models.get(name);
    // While closing, requests already received are still answered (Fastify turns away new ones).
    if (!m) throw new HttpError(503, 'not_ready', `model ${name} is not ready (loading)`);
    return m;
  };
  const v2Tensor = (t: TensorSpec) => ({ name: t.name, datatype: t.datatype, shape: t.shape });

  // ---- Open Inference Protocol v2 ------------------------------------------------------
  app.get('/v2', async () => ({
    name: SERVER_NAME,
    version: SERVER_VERSION,
    extensions: ['binary_tensor_data'],
  }));
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_req, reply) => {
    if (isReady()) return { ready: true };
    return reply.code(400).send({
      ready: false,
      error: closing ? 'not ready: shutting down' : 'not ready: models are loading and warming up',
    });
  });

  const metadataHandler = async (
    req: FastifyRequest<{ Params: { name: string; version?: string } }>,
  ) => {
    const m = modelFor(req.params.name, req.params.version);
    return {
      name: m.name,
      versions: [m.version],
      platform: 'onnxruntime_onnx',
      inputs: m.inputs.map(v2Tensor),
      outputs: m.outputs.map(v2Tensor),
      parameters: {
        execution_provider: m.executionProvider,
        execution_providers_requested: m.requestedProviders.join(','),
        execution_provider_fallback: m.executionProvider !== m.requestedProviders[0],
        execution_provider_notes: m.attempts
          .filter((a) => !a.ok)
          .map((a) => a.error)
          .join('\n'),
        max_batch_size: m.maxBatch,
        max_queue_delay_ms: m.maxDelayMs,
        producer: m.producer,
        ...Object.fromEntries(Object.entries(m.metadata).map(([k, v]) => [`metadata.${k}`, v])),
      },
    };
  };
  app.get('/v2/models/:name', metadataHandler);
  app.get('/v2/models/:name/versions/:version', metadataHandler);

  const modelReadyHandler = async (
    req: FastifyRequest<{ Params: { name: string; version?: string } }>,
    reply: FastifyReply,
  ) => {
    try {
      const m = modelFor(req.params.name, req.params.version);
      if (closing)
        return reply
          .code(400)
          .send({ name: m.name, ready: false, error: 'not ready: shutting down' });
      return { name: m.name, ready: true };
    } catch (e) {
      if (e instanceof HttpError && e.statusCode === 503) {
        return reply.code(400).send({ name: req.params.name, ready: false, error: e.message });
      }
      throw e;
    }
  };
  app.get('/v2/models/:name/ready', modelReadyHandler);
  app.get('/v2/models/:name/versions/:version/ready', modelReadyHandler);

  const binaryParts = new WeakMap<FastifyRequest, Buffer>();
  const inferRoute = {
    schema: {
      body: {
        content: {
          'application/json': { schema: INFER_SCHEMA },
          'application/octet-stream': { schema: INFER_SCHEMA },
        },
      },
    },
    // The binary data extension: a JSON header of Inference-Header-Content-Length bytes, then
    // the tensors' raw bytes. Split before validation so the header is validated like JSON.
    preValidation: async (req: FastifyRequest) => {
      if (!Buffer.isBuffer(req.body)) return;
      const type = req.headers['content-type']?.split(';')[0]?.trim();
      if (type !== 'application/octet-stream') {
        throw new HttpError(
          415,
          'unsupported_media_type',
          `Content-Type: ${JSON.stringify(type ?? '')} is not accepted; send application/json (or application/octet-stream with Inference-Header-Content-Length)`,
        );
      }
      const lengthHeader = req.headers['inference-header-content-length'];
      const headerLength = Number(Array.isArray(lengthHeader) ? lengthHeader[0] : lengthHeader);
      if (
        lengthHeader === undefined ||
        !Number.isInteger(headerLength) ||
        headerLength < 0 ||
        headerLength > req.body.length
      ) {
        throw new HttpError(
          400,
          'malformed_request',
          `Inference-Header-Content-Length: expected the byte length of the JSON header (0..${req.body.length}), got ${JSON.stringify(lengthHeader ?? null)}`,
        );
      }
      const header = req.body.subarray(0, headerLength).toString('utf8');
      binaryParts.set(req, req.body.subarray(headerLength));
      try {
        req.body = JSON.parse(header);
      } catch (e) {
        throw new HttpError(
          400,
          'malformed_json',
          `body: malformed JSON header (${(e as Error).message})`,
        );
      }
    },
  };

  const inferHandler = async (
    req: FastifyRequest<{ Params: { name: string; version?: string } }>,
    reply: FastifyReply,
  ) => {
    const m = modelFor(req.params.name, req.params.version);
    const body = req.body as InferBody;
    const binary = binaryParts.get(req);
    let binaryOffset = 0;
    const feeds: WireTensor[] = [];
    const seen = new Set<string>();
    let batch: number | undefined;
    body.inputs.forEach((input, i) => {
      const f = `inputs[${i}]`;
      const spec = m.inputs.find((s) => s.name === input.name);
      if (!spec) {
        throw new InputError(
          `${f}.name`,
          `unknown input ${JSON.stringify(input.name)}; model ${m.name} takes ${m.inputs.map((s) => JSON.stringify(s.name)).join(', ')}`,
        );
      }
      if (seen.has(input.name))
        throw new InputError(`${f}.name`, `input ${JSON.stringify(input.name)} given twice`);
      seen.add(input.name);
      if (input.datatype !== spec.datatype) {
        const known = (V2_DATATYPES as string[]).includes(input.datatype);
        throw new InputError(
          `${f}.datatype`,
          `expected ${spec.datatype} (input ${spec.name}), got ${JSON.stringify(input.datatype)}${known ? '' : `; datatypes are ${V2_DATATYPES.join(', ')}`}`,
        );
      }
      checkShape(input.shape, spec, m, `${f}.shape`);
      if (m.maxBatch > 0) {
        const b = input.shape[0] as number;
        if (batch !== undefined && b !== batch) {
          throw new InputError(
            `${f}.shape[0]`,
            `expected batch ${batch} like the other inputs, got ${b}`,
          );
        }
        batch = b;
      }
      const datatype = input.datatype as V2Datatype;
      let data: TypedData;
      const binarySize = input.parameters?.binary_data_size;
      if (binarySize !== undefined) {
        const want = numel(input.shape) * DATATYPES[datatype].bytes;
        if (!binary)
          throw new InputError(
            `${f}.parameters.binary_data_size`,
            'given, but the request has no binary part (send application/octet-stream with Inference-Header-Content-Length)',
          );
        if (binarySize !== want) {
          throw new InputError(
            `${f}.parameters.binary_data_size`,
            `expected ${want} bytes for shape [${input.shape.join(', ')}] ${datatype}, got ${describeValue(binarySize)}`,
          );
        }
        if (binaryOffset + want > binary.length) {
          throw new InputError(
            `${f}.parameters.binary_data_size`,
            `the binary part has ${binary.length - binaryOffset} bytes left, ${want} needed`,
          );
        }
        data = fromBytes(binary.subarray(binaryOffset, binaryOffset + want), datatype);
        binaryOffset += want;
        if (data instanceof Float32Array || data instanceof Float64Array) {
          const bad = data.findIndex((v) => !Number.isFinite(v));
          if (bad >= 0)
            throw new InputError(
              `${f} (binary) element ${bad}`,
              `expected a finite number, got ${data[bad]}`,
            );
        }
        if (datatype === 'BOOL' && data.some((v) => v !== 0 && v !== 1)) {
          throw new InputError(`${f} (binary)`, 'expected BOOL bytes of 0 or 1');
        }
      } else {
        if (input.data === undefined) throw new InputError(`${f}.data`, 'is required');
        data = toTypedData(input.data, input.shape, datatype, `${f}.data`);
      }
      feeds.push({ name: spec.name, type: DATATYPES[datatype].ort, dims: [...input.shape], data });
    });
    if (binary && binaryOffset !== binary.length) {
      throw new InputError(
        'body',
        `the binary part has ${binary.length} bytes but the inputs use ${binaryOffset}`,
      );
    }
    const missing = m.inputs.filter((s) => !seen.has(s.name));
    if (missing.length) {
      throw new InputError(
        'inputs',
        `missing input ${missing.map((s) => JSON.stringify(s.name)).join(', ')} of model ${m.name}`,
      );
    }
    // Inputs in the model's order (the batcher concatenates by position).
    feeds.sort(
      (a, b) =>
        m.inputs.findIndex((s) => s.name === a.name) - m.inputs.findIndex((s) => s.name === b.name),
    );
    const wanted: NonNullable<InferBody['outputs']> =
      body.outputs ?? m.outputs.map((o) => ({ name: o.name }));
    const outSeen = new Set<string>();
    wanted.forEach((o, i) => {
      if (!m.outputs.some((s) => s.name === o.name)) {
        throw new InputError(
          `outputs[${i}].name`,
          `unknown output ${JSON.stringify(o.name)}; model ${m.name} gives ${m.outputs.map((s) => JSON.stringify(s.name)).join(', ')}`,
        );
      }
      if (outSeen.has(o.name))
        throw new InputError(`outputs[${i}].name`, `output ${JSON.stringify(o.name)} asked twice`);
      outSeen.add(o.name);
    });

    const result = await runInference(m, feeds);
    const binaryAll = body.parameters?.binary_data_output === true;
    const chunks: Uint8Array[] = [];
    const outputs = wanted.map((o) => {
      const t = result.outputs.find((r) => r.name === o.name);
      if (!t) throw new HttpError(500, 'inference_failed', `the model gave no output ${o.name}`);
      const spec = m.outputs.find((s) => s.name === o.name) as TensorSpec;
      const asBinary =
        o.parameters?.binary_data === true || (binaryAll && o.parameters?.binary_data !== false);
      if (asBinary) {
        const bytes = asBytes(t.data);
        chunks.push(bytes);
        return {
          name: t.name,
          datatype: spec.datatype,
          shape: t.dims,
          parameters: { binary_data_size: bytes.byteLength },
        };
      }
      return {
        name: t.name,
        datatype: spec.datatype,
        shape: t.dims,
        data: toJsonData(t.data, spec.datatype),
      };
    });
    const response: Record<string, unknown> = { model_name: m.name, model_version: m.version };
    if (body.id !== undefined) response.id = body.id;
    response.outputs = outputs;
    if (chunks.length === 0) return response;
    const header = Buffer.from(JSON.stringify(response), 'utf8');
    return reply
      .header('Inference-Header-Content-Length', String(header.length))
      .type('application/octet-stream')
      .send(Buffer.concat([header, ...chunks]));
  };
  type ModelParams = { Params: { name: string; version?: string } };
  app.post<ModelParams>('/v2/models/:name/infer', inferRoute, inferHandler);
  app.post<ModelParams>('/v2/models/:name/versions/:version/infer', inferRoute, inferHandler);

  const runInference = async (m: LoadedModel, feeds: WireTensor[]) => {
    try {
      return await m.batcher.submit(feeds);
    } catch (e) {
      if (e instanceof QueueFullError || e instanceof ShuttingDownError) throw e;
      log(`inference failed for model ${m.name}: ${(e as Error).message}`);
      throw new HttpError(500, 'inference_failed', `inference failed: ${(e as Error).message}`);
    }
  };

  // ---- convenience: digits --------------------------------------------------------------
  app.post(
    '/v1/models/:name/predict',
    { schema: { body: { content: { 'application/json': { schema: PREDICT_SCHEMA } } } } },
    async (req: FastifyRequest<{ Params: { name: string } }>) => {
      const m = modelFor(req.params.name);
      const spec = imageInput(m);
      let ink: Float32Array;
      if (Buffer.isBuffer(req.body)) {
        if (req.headers['content-type']?.split(';')[0]?.trim() !== 'image/png') {
          throw new HttpError(
            415,
            'unsupported_media_type',
            'Content-Type: send image/png or application/json',
          );
        }
        ink = pngToMnist(req.body, 'body');
      } else {
        const body = req.body as { pixels?: unknown[]; image?: string };
        if (body.pixels !== undefined) {
          const px = body.pixels;
          if (px.length !== 784)
            throw new InputError(
              'pixels',
              `expected 784 values (28x28, row-major), got ${px.length}`,
            );
          ink = new Float32Array(784);
          for (let i = 0; i < 784; i++) {
            const v = px[i];
            if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 255) {
              throw new InputError(
                `pixels[${i}]`,
                `expected a number in [0, 255], got ${describeValue(v)}`,
              );
            }
            ink[i] = v / 255;
          }
        } else {
          const b64 = (body.image as string).replace(/^data:image\/png;base64,/, '');
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
            throw new InputError(
              'image',
              'expected a base64-encoded PNG (optionally as a data:image/png;base64, URL)',
              'bad_image',
            );
          }
          ink = pngToMnist(Buffer.from(b64, 'base64'), 'image');
        }
      }
      const x = normalize(ink, m.preprocessing.mean, m.preprocessing.std);
      const dims = spec.shape.map((d) => (d < 0 ? 1 : d));
      const result = await runInference(m, [{ name: spec.name, type: 'float32', dims, data: x }]);
      const out = result.outputs.find((o) => o.name === m.outputs[0]?.name) ?? result.outputs[0];
      if (!out) throw new HttpError(500, 'inference_failed', 'the model gave no output');
      const probabilities = toProbabilities(Array.from(out.data as Float32Array));
      const label = argmax(probabilities);
      return {
        model_name: m.name,
        model_version: m.version,
        label,
        class: m.preprocessing.labels?.[label] ?? String(label),
        probabilities,
      };
    },
  );

  // The page's view of the models (what it needs to run them in the browser).
  app.get('/v1/models', async () => ({
    models: sources.map((s) => {
      const m = runtime?.models.get(s.name);
      return {
        name: s.name,
        version: s.version,
        ready: m !== undefined && !closing,
        execution_provider: m?.executionProvider,
        inputs: m?.inputs.map(v2Tensor),
        outputs: m?.outputs.map(v2Tensor),
        mean: m?.preprocessing.mean,
        std: m?.preprocessing.std,
        labels: m?.preprocessing.labels,
        predict: m ? imageInputOrUndefined(m) !== undefined : false,
        onnx: `/v1/models/${encodeURIComponent(s.name)}/model.onnx`,
      };
    }),
  }));
  app.get(
    '/v1/models/:name/model.onnx',
    async (req: FastifyRequest<{ Params: { name: string } }>, reply) => {
      const m = modelFor(req.params.name);
      return reply.type('application/octet-stream').send(readFileSync(m.file));
    },
  );

  app.get('/metrics', async (_req, reply) =>
    reply.type(Registry.contentType).send(registry.render()),
  );

  // ---- start -----------------------------------------------------------------------------
  const url = await app.listen({ host: opts.host, port: opts.port });
  log(`listening on ${url} (models: ${sources.map((s) => s.name).join(', ')})`);
  if (
    opts.host !== '127.0.0.1' &&
    opts.host !== 'localhost' &&
    opts.host !== '::1' &&
    opts.apiKey === undefined
  ) {
    log(
      `warning: listening on ${opts.host} without --api-key: anyone who reaches this address can use the models`,
    );
  }

  const isReady = () => runtime !== undefined && !closing;
  const ready = Runtime.start({
    models: sources,
    eps: opts.eps,
    allowFallback: opts.allowFallback,
    workers: opts.workers,
    maxBatch: opts.maxBatch,
    maxDelayMs: opts.maxDelayMs,
    maxQueue: opts.maxQueue,
    log,
    onBatch: (model, rows, reqs, ms) => {
      batchSize.observe({ model }, rows);
      batchRequests.observe({ model }, reqs);
      runSeconds.observe({ model }, ms / 1000);
    },
  }).then(async (rt) => {
    await opts.readyGate;
    if (closing) {
      void rt.close();
      throw new Error('closed before the models were ready');
    }
    runtime = rt;
    log('ready');
  });
  ready.catch(() => {}); // observed by callers; never unhandled here

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      await app.close(); // in-flight requests finish (their inferences included)
      await ready.catch(() => {});
      if (runtime) await runtime.close();
    })();
    return closed;
  };

  return { app, url, sources, ready, isReady, inFlight: () => inFlight, close };
}

function checkShape(shape: number[], spec: TensorSpec, m: LoadedModel, field: string): void {
  const want = `[${spec.shape.map((d) => (d < 0 ? '-1' : String(d))).join(', ')}]`;
  if (shape.length !== spec.shape.length) {
    throw new InputError(
      field,
      `expected ${spec.shape.length} dims ${want} for input ${spec.name}, got [${shape.join(', ')}]`,
    );
  }
  spec.shape.forEach((d, i) => {
    const got = shape[i] as number;
    if (d >= 0 && got !== d) {
      throw new InputError(
        `${field}[${i}]`,
        `expected ${d} (input ${spec.name} has shape ${want}), got ${got}`,
      );
    }
    if (d < 0 && got < 1) throw new InputError(`${field}[${i}]`, `expected at least 1, got ${got}`);
  });
  if (m.maxBatch > 0 && (shape[0] as number) > m.maxBatch) {
    throw new InputError(
      `${field}[0]`,
      `batch of ${shape[0]} exceeds the maximum batch ${m.maxBatch} of model ${m.name}`,
    );
  }
}

function imageInputOrUndefined(m: LoadedModel): TensorSpec | undefined {
  if (m.inputs.length !== 1) return undefined;
  const spec = m.inputs[0] as TensorSpec;
  if (spec.datatype !== 'FP32') return undefined;
  const rest = spec.shape.slice(m.batchable ? 1 : 0).map((d) => (d < 0 ? 1 : d));
  if (spec.shape[0] !== undefined && !m.batchable && spec.shape[0] !== 1) return undefined;
  return numel(rest) === 784 ? spec : undefined;
}

function imageInput(m: LoadedModel): TensorSpec {
  const spec = imageInputOrUndefined(m);
  if (!spec) {
    throw new HttpError(
      400,
      'invalid_input',
      `model: ${m.name} does not take one 28x28 FP32 image (its inputs: ${m.inputs.map((s) => `${s.name} ${s.datatype} [${s.shape.join(', ')}]`).join('; ')}); use POST /v2/models/${m.name}/infer`,
    );
  }
  return spec;
}
