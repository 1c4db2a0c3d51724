/**
 * Property-based fuzzing of the request decoders with fast-check, through the real interfaces:
 * thousands of malformed v2 requests in JSON, in the binary tensor data extension, and over
 * gRPC. Each must be answered with a 4xx (gRPC: INVALID_ARGUMENT or NOT_FOUND) whose message
 * names the problem — never a 500, a hang or a crash — and the server must still answer
 * correctly after all of them.
 */
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInferenceService, startServer } from '../src/index.js';
import type { GdServer } from '../src/index.js';
import { mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import { argmax, inferBody, loadMnist, referenceLogits } from './helpers.js';

let file: string;
let test: MnistSplit;
let reference: Float32Array[];
let server: GdServer;
let client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;

beforeAll(async () => {
  file = await mnistModelFile();
  test = loadMnist('t10k', 4);
  reference = await referenceLogits(file, test, 4);
  server = await startServer({ model: file, name: 'mnist', port: 0, grpcPort: 0 });
  await server.ready;
  const Service = loadInferenceService();
  client = new Service(server.grpcAddress!, grpc.credentials.createInsecure()) as typeof client;
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

/** `<field>: <problem>`: the message starts with what was wrong. */
const NAMES_THE_PROBLEM = /^[A-Za-z_][\w.[\]\- ()"]*: \S/;

// ---- generators --------------------------------------------------------------------------
const DATATYPES = ['FP32', 'FP64', 'INT32', 'INT64', 'UINT8', 'BOOL', 'FLOAT', 'fp32', ''];
const element = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
);
const shape = fc.oneof(
  fc.constant([1, 1, 28, 28]),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 70 }), fc.double(), fc.string({ maxLength: 2 })), {
    maxLength: 5,
  }),
);
const input = fc.record(
  {
    name: fc.oneof(fc.constant('input'), fc.string({ maxLength: 6 }), fc.integer()),
    shape,
    datatype: fc.oneof(fc.constantFrom(...DATATYPES), fc.integer()),
    data: fc.oneof(
      fc.array(element, { maxLength: 8 }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 784, maxLength: 785 }),
      fc.array(fc.array(element, { maxLength: 3 }), { maxLength: 3 }),
      element,
    ),
    parameters: fc.oneof(
      fc.constant({}),
      fc.record({ binary_data_size: fc.oneof(fc.integer({ min: -4, max: 4000 }), fc.string()) }),
      fc.constant('p'),
    ),
  },
  { requiredKeys: [] },
);
const inferRequest = fc.oneof(
  fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
      inputs: fc.oneof(fc.array(input, { maxLength: 3 }), element),
      outputs: fc.oneof(
        fc.array(
          fc.record({ name: fc.oneof(fc.constant('logits'), fc.string({ maxLength: 4 })) }),
          {
            maxLength: 2,
          },
        ),
        element,
      ),
      parameters: fc.oneof(fc.constant({ binary_data_output: true }), element),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

async function post(path: string, body: BodyInit, headers: Record<string, string>) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, text };
}

function expectNamedClientError(r: { status: number; text: string }): void {
  if (r.status === 200) return; // a fuzzed request may be valid
  expect(r.status, r.text).toBeGreaterThanOrEqual(400);
  expect(r.status, r.text).toBeLessThan(500);
  const body = JSON.parse(r.text) as { error?: unknown };
  expect(typeof body.error, r.text).toBe('string');
  expect(body.error as string).toMatch(NAMES_THE_PROBLEM);
}

describe('fuzzing the v2 decoders', () => {
  it('JSON: every malformed request gets a 4xx naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(inferRequest, async (req) => {
        expectNamedClientError(
          await post('/v2/models/mnist/infer', JSON.stringify(req), {
            'content-type': 'application/json',
          }),
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('JSON text: truncated and mangled bodies get a 4xx naming the problem', async () => {
    const good = JSON.stringify(inferBody(test, [0]));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: good.length }),
        fc.string({ maxLength: 8 }),
        async (cut, junk) => {
          expectNamedClientError(
            await post('/v2/models/mnist/infer', good.slice(0, cut) + junk, {
              'content-type': 'application/json',
            }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('binary extension: random headers, lengths and tensor bytes get a 4xx naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(
        inferRequest,
        fc.uint8Array({ maxLength: 3200 }),
        fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.constant('x')),
        async (header, tail, lengthDelta) => {
          const head = Buffer.from(JSON.stringify(header));
          const length =
            typeof lengthDelta === 'number'
              ? String(head.length + (lengthDelta % 3 === 0 ? 0 : lengthDelta))
              : lengthDelta;
          expectNamedClientError(
            await post('/v2/models/mnist/infer', Buffer.concat([head, tail]), {
              'content-type': 'application/octet-stream',
              'inference-header-content-length': length,
            }),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gRPC: every malformed ModelInfer gets INVALID_ARGUMENT or NOT_FOUND naming the problem', async () => {
    const grpcInput = fc.record({
      name: fc.oneof(fc.constant('input'), fc.string({ maxLength: 4 })),
      datatype: fc.constantFrom(...DATATYPES),
      shape: fc.array(fc.integer({ min: -3, max: 70 }), { maxLength: 5 }),
      contents: fc.oneof(
        fc.constant(undefined),
        fc.record({ fp32_contents: fc.array(fc.float({ noNaN: true }), { maxLength: 790 }) }),
        fc.record({
          int_contents: fc.array(fc.integer({ min: -300, max: 300 }), { maxLength: 5 }),
        }),
        fc.record({ bool_contents: fc.array(fc.boolean(), { maxLength: 5 }) }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          model_name: fc.oneof(fc.constant('mnist'), fc.string({ maxLength: 4 })),
          model_version: fc.constantFrom('', '1', '2', 'x'),
          inputs: fc.array(grpcInput, { maxLength: 3 }),
          outputs: fc.array(
            fc.record({ name: fc.oneof(fc.constant('logits'), fc.string({ maxLength: 3 })) }),
            {
              maxLength: 2,
            },
          ),
          raw_input_contents: fc.array(
            fc.oneof(
              fc.uint8Array({ maxLength: 40 }),
              fc.uint8Array({ minLength: 3136, maxLength: 3136 }),
            ),
            { maxLength: 2 },
          ),
        }),
        async (req) => {
          const wire = {
            ...req,
            raw_input_contents: req.raw_input_contents.map((b) => Buffer.from(b)),
          };
          const result = await new Promise<{ code: number; details: string }>((resolve) =>
            client.ModelInfer!(wire, (e: grpc.ServiceError | null) =>
              resolve(
                e ? { code: e.code, details: e.details } : { code: grpc.status.OK, details: '' },
              ),
            ),
          );
          if (result.code === grpc.status.OK) return;
          expect([grpc.status.INVALID_ARGUMENT, grpc.status.NOT_FOUND], result.details).toContain(
            result.code,
          );
          expect(result.details).toMatch(NAMES_THE_PROBLEM);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves the server ready and answering correctly', async () => {
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`${server.url}/v2/models/mnist/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(inferBody(test, [i])),
      });
      const body = (await r.json()) as { outputs: { data: number[] }[] };
      expect(argmax(body.outputs[0]!.data)).toBe(argmax(reference[i]!));
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).not.toMatch(/gd_serve_errors_total\{kind="(internal|inference_failed)"\}/);
  });
});
