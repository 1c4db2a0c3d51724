/**
 * The Open Inference Protocol v2 over gRPC (`inference.GRPCInferenceService`) on its own port,
 * over the same core as HTTP: the same models, batchers and workers, the same request decoder,
 * and the same errors mapped to gRPC status codes (INVALID_ARGUMENT naming the field,
 * NOT_FOUND for an unknown model or version, UNAVAILABLE while loading or overloaded).
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { QueueFullError, ShuttingDownError } from '../batcher.js';
import { SERVER_NAME, SERVER_VERSION } from '../core.js';
import type { ServeCore } from '../core.js';
import { HttpError } from '../errors.js';
import { bearerMatches } from '../http/auth.js';
import { decodeInputs, outputOf, resolveOutputs } from '../infer-request.js';
import type { RequestTensor } from '../infer-request.js';
import { PACKAGE_DIR } from '../runtime.js';
import { InputError, asBytes } from '../tensors.js';
import type { V2Datatype } from '../tensors.js';

/** Where the service definition lives (shipped with the package). */
export const PROTO_FILE = join(PACKAGE_DIR, 'proto', 'grpc_predict_v2.proto');

/** How the proto is loaded, by the server and by clients that want the same plain objects. */
export const PROTO_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  oneofs: true,
};

/** The service definition, loaded once. */
export function loadInferenceService(): grpc.ServiceClientConstructor {
  const def = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_FILE, PROTO_OPTIONS));
  return (def.inference as grpc.GrpcObject).GRPCInferenceService as grpc.ServiceClientConstructor;
}

interface TensorContents {
  bool_contents: boolean[];
  int_contents: number[];
  int64_contents: number[];
  uint_contents: number[];
  uint64_contents: number[];
  fp32_contents: number[];
  fp64_contents: number[];
  bytes_contents: Buffer[];
}

interface InferRequest {
  model_name: string;
  model_version: string;
  id: string;
  inputs: {
    name: string;
    datatype: string;
    shape: number[];
    contents: TensorContents | null;
  }[];
  outputs: { name: string }[];
  raw_input_contents: Buffer[];
}

/** The typed-contents field of each datatype (the protocol's table). */
const CONTENTS_FIELD: Record<V2Datatype, keyof TensorContents> = {
  BOOL: 'bool_contents',
  UINT8: 'uint_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
};

/** How many elements a contents message holds, over all its fields. */
function contentsLength(c: TensorContents | null): number {
  if (!c) return 0;
  return Object.values(c).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
}

/** A gRPC error with the status that matches the core's error. */
function toStatus(e: unknown): Partial<grpc.StatusObject> {
  const details = (e as Error).message ?? String(e);
  if (e instanceof InputError) return { code: grpc.status.INVALID_ARGUMENT, details };
  if (e instanceof QueueFullError || e instanceof ShuttingDownError)
    return { code: grpc.status.UNAVAILABLE, details };
  if (e instanceof HttpError) {
    const code =
      e.statusCode === 404
        ? grpc.status.NOT_FOUND
        : e.statusCode === 503
          ? grpc.status.UNAVAILABLE
          : e.statusCode === 401
            ? grpc.status.UNAUTHENTICATED
            : e.statusCode === 413
              ? grpc.status.RESOURCE_EXHAUSTED
              : e.statusCode >= 400 && e.statusCode < 500
                ? grpc.status.INVALID_ARGUMENT
                : grpc.status.INTERNAL;
    return { code, details };
  }
  return { code: grpc.status.INTERNAL, details: `internal error: ${details}` };
}

/** The request's inputs as the shared decoder takes them. */
function requestTensors(req: InferRequest): RequestTensor[] {
  const raw = req.raw_input_contents;
  if (raw.length > 0 && raw.length !== req.inputs.length) {
    throw new InputError(
      'raw_input_contents',
      `expected ${req.inputs.length} entries (one per input, in the order of inputs), got ${raw.length}`,
    );
  }
  return req.inputs.map((input, i): RequestTensor => {
    const f = `inputs[${i}]`;
    const field = CONTENTS_FIELD[input.datatype as V2Datatype] as keyof TensorContents | undefined;
    const t: RequestTensor = {
      name: input.name,
      shape: input.shape,
      datatype: input.datatype,
      field: f,
      dataField: `${f}.contents.${field ?? 'fp32_contents'}`,
      rawField: `raw_input_contents[${i}]`,
    };
    if (raw.length > 0) {
      if (contentsLength(input.contents) > 0)
        throw new InputError(`${f}.contents`, 'must be empty when raw_input_contents is used');
      t.raw = raw[i] as Buffer;
    } else {
      t.data = field ? (input.contents?.[field] ?? []) : [];
    }
    return t;
  });
}

/** A running gRPC front end. */
export interface GrpcFrontEnd {
  /** `host:port` it listens on. */
  address: string;
  /** Refuses new calls, lets those in flight finish, and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves `inference.GRPCInferenceService` on `host:port` (0: any free port) over a core.
 *
 * @example
 * ```ts
 * const grpcEnd = await startGrpc(core, { host: '127.0.0.1', port: 8001 });
 * // clients: new (loadInferenceService())(grpcEnd.address, grpc.credentials.createInsecure())
 * await grpcEnd.close();
 * ```
 */
export async function startGrpc(
  core: ServeCore,
  opts: { host: string; port: number; apiKey?: string; maxMessageBytes?: number },
): Promise<GrpcFrontEnd> {
  const service = loadInferenceService().service;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxMessageBytes ?? 8 * 1024 * 1024,
  });
  let closing = false;

  /** Wraps a handler: auth, closing, error mapping and the error counter. */
  const unary =
    <Req, Res>(
      open: boolean,
      handle: (req: Req) => Res | Promise<Res>,
    ): grpc.handleUnaryCall<Req, Res> =>
    (call, callback) => {
      const fail = (e: unknown, kind: string) => {
        core.errors.inc({ kind });
        callback(toStatus(e));
      };
      if (closing) {
        fail(new ShuttingDownError(), 'shutting_down');
        return;
      }
      if (!open && opts.apiKey !== undefined) {
        const header = call.metadata.get('authorization')[0];
        if (!bearerMatches(typeof header === 'string' ? header : undefined, opts.apiKey)) {
          fail(
            new HttpError(401, 'unauthorized', 'authorization: missing or wrong bearer token'),
            'unauthorized',
          );
          return;
        }
      }
      Promise.resolve()
        .then(() => handle(call.request))
        .then(
          (res) => callback(null, res),
          (e: unknown) =>
            fail(e, e instanceof HttpError || e instanceof InputError ? e.kind : 'internal'),
        );
    };

  server.addService(service, {
    ServerLive: unary(true, () => ({ live: true })),
    ServerReady: unary(true, () => ({ ready: core.isReady() })),
    ModelReady: unary(false, (req: { name: string; version: string }) => {
      try {
        core.modelFor(req.name, req.version || undefined);
        return { ready: core.isReady() };
      } catch (e) {
        if (e instanceof HttpError && e.statusCode === 503) return { ready: false };
        throw e;
      }
    }),
    ServerMetadata: unary(false, () => ({
      name: SERVER_NAME,
      version: SERVER_VERSION,
      extensions: ['binary_tensor_data', 'statistics'],
    })),
    ModelMetadata: unary(false, (req: { name: string; version: string }) => {
      const meta = core.metadata(core.modelFor(req.name, req.version || undefined));
      return {
        name: meta.name,
        versions: meta.versions,
        platform: meta.platform,
        inputs: meta.inputs,
        outputs: meta.outputs,
      };
    }),
    ModelInfer: unary(false, async (req: InferRequest) => {
      if (req.model_name === '') throw new InputError('model_name', 'is required');
      const m = core.modelFor(req.model_name, req.model_version || undefined);
      if (req.inputs.length === 0) throw new InputError('inputs', 'expected at least 1 item(s)');
      const feeds = decodeInputs(m, requestTensors(req));
      const wanted = resolveOutputs(m, req.outputs.length > 0 ? req.outputs : undefined);
      const result = await core.infer(m, feeds);
      const outputs = wanted.map((name) => {
        const t = outputOf(result.outputs, name);
        const spec = m.outputs.find((s) => s.name === name);
        return { t, datatype: spec?.datatype ?? '' };
      });
      return {
        model_name: m.name,
        model_version: m.version,
        id: req.id,
        outputs: outputs.map(({ t, datatype }) => ({ name: t.name, datatype, shape: t.dims })),
        // Views of the result's buffers: serialised straight from them, no copy in between.
        raw_output_contents: outputs.map(({ t }) => {
          const b = asBytes(t.data);
          return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
        }),
      };
    }),
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${opts.host}:${opts.port}`,
      grpc.ServerCredentials.createInsecure(),
      (e, p) => (e ? reject(e) : resolve(p)),
    ),
  );
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    address: `${host}:${port}`,
    close: () => {
      closing = true;
      return new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}
