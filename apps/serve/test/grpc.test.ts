/**
 * The v2 protocol over gRPC with a real @grpc/grpc-js client over loopback: health, metadata,
 * inference (raw and typed contents) sharing the HTTP server's batcher and workers, and the
 * status codes of bad requests (INVALID_ARGUMENT naming the field, NOT_FOUND).
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInferenceService, startServer } from '../src/index.js';
import type { GdServer } from '../src/index.js';
import { MEAN, STD, mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import { argmax, loadMnist, maxAbsDiff, pixelsOf, referenceLogits, request } from './helpers.js';

let file: string;
// Loaded at collection time: the table of bad requests below is built from it.
const test: MnistSplit = loadMnist('t10k', 8);
let reference: Float32Array[];
let server: GdServer;
let client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;

beforeAll(async () => {
  file = await mnistModelFile();
  reference = await referenceLogits(file, test, 8);
  server = await startServer({ model: file, name: 'mnist', port: 0, grpcPort: 0 });
  await server.ready;
  const Service = loadInferenceService();
  client = new Service(server.grpcAddress!, grpc.credentials.createInsecure()) as typeof client;
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

/** Calls one unary method; resolves with the response or rejects with the gRPC error. */
function call<T = Record<string, unknown>>(method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method]!(req, (e: grpc.ServiceError | null, res: T) => (e ? reject(e) : resolve(res)));
  });
}

/** A call that must fail: its status code and details. */
async function failure(method: string, req: unknown): Promise<{ code: number; details: string }> {
  try {
    await call(method, req);
  } catch (e) {
    const err = e as grpc.ServiceError;
    return { code: err.code, details: err.details };
  }
  throw new Error(`${method} succeeded`);
}

const image = (i: number) => Float32Array.from(pixelsOf(test, i), (v) => (v / 255 - MEAN) / STD);
const rawOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

interface InferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: { name: string; datatype: string; shape: number[] }[];
  raw_output_contents: Buffer[];
}

const logitsOf = (r: InferResponse, row = 0) => {
  const b = r.raw_output_contents[0]!;
  const all = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return all.subarray(row * 10, row * 10 + 10);
};

const goodRequest = (i = 0) => ({
  model_name: 'mnist',
  id: `req-${i}`,
  inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 1, 28, 28] }],
  raw_input_contents: [rawOf(image(i))],
});

describe('inference.GRPCInferenceService', () => {
  it('answers ServerLive, ServerReady, ServerMetadata and ModelReady', async () => {
    expect(await call('ServerLive', {})).toEqual({ live: true });
    expect(await call('ServerReady', {})).toEqual({ ready: true });
    const meta = await call<{ name: string; extensions: string[] }>('ServerMetadata', {});
    expect(meta.name).toBe('gd-serve');
    expect(meta.extensions).toContain('statistics');
    expect(await call('ModelReady', { name: 'mnist' })).toEqual({ ready: true });
    expect(await call('ModelReady', { name: 'mnist', version: '1' })).toEqual({ ready: true });
  });

  it('gives model metadata with -1 for the batch dim', async () => {
    const m = await call<{
      name: string;
      versions: string[];
      platform: string;
      inputs: { name: string; datatype: string; shape: number[] }[];
    }>('ModelMetadata', { name: 'mnist' });
    expect(m.name).toBe('mnist');
    expect(m.versions).toEqual(['1']);
    expect(m.platform).toBe('onnxruntime_onnx');
    expect(m.inputs).toEqual([{ name: 'input', datatype: 'FP32', shape: [-1, 1, 28, 28] }]);
  });

  it('ModelInfer with raw_input_contents gives the logits of a direct session.run', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await call<InferResponse>('ModelInfer', goodRequest(i));
      expect(r.model_name).toBe('mnist');
      expect(r.model_version).toBe('1');
      expect(r.id).toBe(`req-${i}`);
      expect(r.outputs).toMatchObject([{ name: 'logits', datatype: 'FP32', shape: [1, 10] }]);
      expect(maxAbsDiff(logitsOf(r), reference[i]!)).toBeLessThan(1e-5);
    }
  });

  it('ModelInfer with typed fp32_contents and a batch of 3', async () => {
    const data = [0, 1, 2].flatMap((i) => Array.from(image(i)));
    const r = await call<InferResponse>('ModelInfer', {
      model_name: 'mnist',
      inputs: [
        {
          name: 'input',
          datatype: 'FP32',
          shape: [3, 1, 28, 28],
          contents: { fp32_contents: data },
        },
      ],
      outputs: [{ name: 'logits' }],
    });
    expect(r.outputs[0]!.shape).toEqual([3, 10]);
    for (let i = 0; i < 3; i++) expect(argmax(logitsOf(r, i))).toBe(argmax(reference[i]!));
  });

  it('shares the batcher and workers with HTTP (one set of statistics)', async () => {
    const stats = async () =>
      (
        await request<{ model_stats: { inference_count: number }[] }>(
          `${server.url}/v2/models/mnist/stats`,
        )
      ).body.model_stats[0]!.inference_count;
    const before = await stats();
    await Promise.all([0, 1, 2, 3, 4].map((i) => call('ModelInfer', goodRequest(i))));
    expect((await stats()) - before).toBe(5);
  });

  const bad: [string, Record<string, unknown>, number, RegExp][] = [
    [
      'unknown model',
      { ...goodRequest(), model_name: 'nope' },
      grpc.status.NOT_FOUND,
      /^model: unknown model "nope"/,
    ],
    [
      'unknown version',
      { ...goodRequest(), model_version: '9' },
      grpc.status.NOT_FOUND,
      /^version: model mnist has version 1, not "9"/,
    ],
    [
      'no model name',
      { ...goodRequest(), model_name: '' },
      grpc.status.INVALID_ARGUMENT,
      /^model_name: is required/,
    ],
    [
      'no inputs',
      { model_name: 'mnist', inputs: [] },
      grpc.status.INVALID_ARGUMENT,
      /^inputs: expected at least 1/,
    ],
    [
      'wrong dim',
      { ...goodRequest(), inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 1, 28, 27] }] },
      grpc.status.INVALID_ARGUMENT,
      /^inputs\[0\]\.shape\[3\]: expected 28/,
    ],
    [
      'negative batch',
      { ...goodRequest(), inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 1, 28, 28] }] },
      grpc.status.INVALID_ARGUMENT,
      /^inputs\[0\]\.shape\[0\]: expected at least 1, got -1/,
    ],
    [
      'wrong datatype',
      { ...goodRequest(), inputs: [{ name: 'input', datatype: 'INT32', shape: [1, 1, 28, 28] }] },
      grpc.status.INVALID_ARGUMENT,
      /^inputs\[0\]\.datatype: expected FP32 \(input input\), got "INT32"/,
    ],
    [
      'unknown input',
      { ...goodRequest(), inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 1, 28, 28] }] },
      grpc.status.INVALID_ARGUMENT,
      /^inputs\[0\]\.name: unknown input "x"/,
    ],
    [
      'raw contents of the wrong size',
      { ...goodRequest(), raw_input_contents: [Buffer.alloc(12)] },
      grpc.status.INVALID_ARGUMENT,
      /^raw_input_contents\[0\]: expected 3136 bytes for shape \[1, 1, 28, 28\] FP32, got 12/,
    ],
    [
      'raw contents for a different number of inputs',
      { ...goodRequest(), raw_input_contents: [Buffer.alloc(3136), Buffer.alloc(4)] },
      grpc.status.INVALID_ARGUMENT,
      /^raw_input_contents: expected 1 entries/,
    ],
    [
      'a NaN in raw contents',
      { ...goodRequest(), raw_input_contents: [rawOf(new Float32Array(784).fill(Number.NaN))] },
      grpc.status.INVALID_ARGUMENT,
      /^raw_input_contents\[0\] element 0: expected a finite number, got NaN/,
    ],
    [
      'typed contents of the wrong length',
      {
        model_name: 'mnist',
        inputs: [
          {
            name: 'input',
            datatype: 'FP32',
            shape: [1, 1, 28, 28],
            contents: { fp32_contents: [1, 2] },
          },
        ],
      },
      grpc.status.INVALID_ARGUMENT,
      /^inputs\[0\]\.contents\.fp32_contents: expected 784 elements for shape \[1, 1, 28, 28\], got 2/,
    ],
    [
      'both raw and typed contents',
      {
        ...goodRequest(),
        inputs: [
          {
            name: 'input',
            datatype: 'FP32',
            shape: [1, 1, 28, 28],
            contents: { fp32_contents: [1] },
          },
        ],
      },
      grpc.status.INVALID_ARGUMENT,
      /^inputs\[0\]\.contents: must be empty when raw_input_contents is used/,
    ],
    [
      'unknown output',
      { ...goodRequest(), outputs: [{ name: 'probs' }] },
      grpc.status.INVALID_ARGUMENT,
      /^outputs\[0\]\.name: unknown output "probs"/,
    ],
  ];
  it.each(bad)(
    '%s: its status code and a message naming the field',
    async (_name, req, code, details) => {
      const f = await failure('ModelInfer', req);
      expect(f.code).toBe(code);
      expect(f.details).toMatch(details);
    },
  );

  it('ModelMetadata and ModelReady of an unknown model: NOT_FOUND', async () => {
    expect((await failure('ModelMetadata', { name: 'nope' })).code).toBe(grpc.status.NOT_FOUND);
    expect((await failure('ModelReady', { name: 'nope' })).code).toBe(grpc.status.NOT_FOUND);
  });

  it('still serves after the bad requests', async () => {
    const r = await call<InferResponse>('ModelInfer', goodRequest(5));
    expect(argmax(logitsOf(r))).toBe(argmax(reference[5]!));
  });
});

describe('gRPC with --api-key', () => {
  it('answers UNAUTHENTICATED without the bearer token, except the health calls', async () => {
    const keyed = await startServer({
      model: file,
      name: 'mnist',
      port: 0,
      grpcPort: 0,
      apiKey: 'k3y',
    });
    try {
      await keyed.ready;
      const Service = loadInferenceService();
      const c = new Service(keyed.grpcAddress!, grpc.credentials.createInsecure()) as typeof client;
      const unary = (method: string, req: unknown, md = new grpc.Metadata()) =>
        new Promise<{ code: number; res?: unknown }>((resolve) =>
          c[method]!(req, md, (e: grpc.ServiceError | null, res: unknown) =>
            resolve(e ? { code: e.code } : { code: 0, res }),
          ),
        );
      expect((await unary('ServerLive', {})).code).toBe(grpc.status.OK);
      expect((await unary('ModelInfer', goodRequest())).code).toBe(grpc.status.UNAUTHENTICATED);
      const md = new grpc.Metadata();
      md.set('authorization', 'Bearer k3y');
      expect((await unary('ModelInfer', goodRequest(), md)).code).toBe(grpc.status.OK);
      c.close();
    } finally {
      await keyed.close();
    }
  });
});
