/**
 * gd-serve over real HTTP on 127.0.0.1 (random ports): every endpoint, every kind of bad input,
 * concurrency with batching, the bounded queue, auth, readiness, and a graceful close.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import type { GdServer } from '../src/index.js';
import { mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import {
  argmax,
  digitPng,
  inferBinary,
  inferBody,
  loadMnist,
  maxAbsDiff,
  pixelsOf,
  referenceLogits,
  request,
} from './helpers.js';

const N_REF = 200;
let file: string;
let test: MnistSplit;
let reference: Float32Array[];
let server: GdServer;
let base: string;

beforeAll(async () => {
  file = await mnistModelFile();
  test = loadMnist('t10k', N_REF);
  reference = await referenceLogits(file, test, N_REF);
  server = await startServer({ model: file, name: 'mnist', port: 0, maxDelayMs: 5 });
  await server.ready;
  base = server.url;
});

afterAll(async () => {
  await server?.close();
});

type Infer = {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: { name: string; datatype: string; shape: number[]; data: number[] }[];
  error?: string;
};
type Predict = { label: number; class: string; probabilities: number[]; error?: string };

const infer = (body: unknown, name = 'mnist') =>
  request<Infer>(`${base}/v2/models/${name}/infer`, { method: 'POST', json: body });
const predict = (init: RequestInit & { json?: unknown }) =>
  request<Predict>(`${base}/v1/models/mnist/predict`, { method: 'POST', ...init });

describe('the model it serves', () => {
  it('is a trained MNIST classifier (reference run directly in onnxruntime-node)', () => {
    const correct = reference.filter((l, i) => argmax(l) === test.labels[i]).length;
    expect(correct / N_REF).toBeGreaterThan(0.85);
  });
});

describe('health and metadata (Open Inference Protocol v2)', () => {
  it('GET /v2/health/live and /v2/health/ready answer 200', async () => {
    expect((await request(`${base}/v2/health/live`)).status).toBe(200);
    const ready = await request(`${base}/v2/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true });
  });

  it('GET /v2 gives the server metadata', async () => {
    const r = await request(`${base}/v2`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      name: 'gd-serve',
      version: expect.any(String),
      extensions: ['binary_tensor_data', 'statistics'],
    });
  });

  it('GET /v2/models/{name} gives inputs and outputs as FP32 with a -1 batch dim, and the provider', async () => {
    const r = await request<Record<string, unknown> & { parameters: Record<string, unknown> }>(
      `${base}/v2/models/mnist`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'mnist',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 1, 28, 28] }],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    });
    expect(r.body.parameters).toMatchObject({
      execution_provider: 'cpu',
      execution_providers_requested: 'cpu',
      execution_provider_fallback: false,
      execution_provider_nodes: expect.stringMatching(/^cpu:\d+$/),
      max_batch_size: 64,
      'metadata.normalization_mean': '[0.1307]',
      'metadata.normalization_std': '[0.3081]',
      producer: expect.stringMatching(/^gd/),
    });
  });

  it('versioned routes work for the served version and 404 for others', async () => {
    expect((await request(`${base}/v2/models/mnist/versions/1`)).status).toBe(200);
    expect((await request(`${base}/v2/models/mnist/versions/1/ready`)).body).toEqual({
      name: 'mnist',
      ready: true,
    });
    const r = await request(`${base}/v2/models/mnist/versions/7`);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/^version: model mnist has version 1, not "7"/);
  });

  it('GET /v2/models/{name}/ready answers 200, unknown models 404 naming the model', async () => {
    expect((await request(`${base}/v2/models/mnist/ready`)).body).toEqual({
      name: 'mnist',
      ready: true,
    });
    const r = await request(`${base}/v2/models/nope/ready`);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/^model: unknown model "nope"; this server serves "mnist"/);
  });

  it('GET /v1/models lists what the page needs', async () => {
    const r = await request<{ models: Record<string, unknown>[] }>(`${base}/v1/models`);
    expect(r.body.models).toEqual([
      expect.objectContaining({
        name: 'mnist',
        ready: true,
        predict: true,
        mean: [0.1307],
        std: [0.3081],
        labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        onnx: '/v1/models/mnist/model.onnx',
      }),
    ]);
    const onnx = await fetch(`${base}/v1/models/mnist/model.onnx`);
    expect(onnx.status).toBe(200);
    expect((await onnx.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });
});

describe('POST /v2/models/{name}/infer', () => {
  it('answers one image with the logits a direct session.run gives', async () => {
    const r = await infer(inferBody(test, [3], 'req-3'));
    expect(r.status).toBe(200);
    expect(r.body.model_name).toBe('mnist');
    expect(r.body.model_version).toBe('1');
    expect(r.body.id).toBe('req-3');
    const out = r.body.outputs[0]!;
    expect(out).toMatchObject({ name: 'logits', datatype: 'FP32', shape: [1, 10] });
    expect(maxAbsDiff(out.data, reference[3]!)).toBeLessThan(1e-5);
  });

  it('answers a batch of 8 row by row', async () => {
    const idx = [0, 1, 2, 3, 4, 5, 6, 7];
    const r = await infer(inferBody(test, idx));
    expect(r.status).toBe(200);
    const out = r.body.outputs[0]!;
    expect(out.shape).toEqual([8, 10]);
    idx.forEach((i, row) => {
      expect(maxAbsDiff(out.data.slice(row * 10, row * 10 + 10), reference[i]!)).toBeLessThan(1e-5);
    });
  });

  it('takes nested data matching the shape, and the outputs list', async () => {
    const flat = (inferBody(test, [5]).inputs as { data: number[] }[])[0]!.data;
    const nested = [[Array.from({ length: 28 }, (_, y) => flat.slice(y * 28, y * 28 + 28))]];
    const r = await infer({
      inputs: [{ name: 'input', shape: [1, 1, 28, 28], datatype: 'FP32', data: nested }],
      outputs: [{ name: 'logits' }],
    });
    expect(r.status).toBe(200);
    expect(maxAbsDiff(r.body.outputs[0]!.data, reference[5]!)).toBeLessThan(1e-5);
  });

  it('speaks the binary tensor data extension (Triton clients default to it)', async () => {
    const binary = await inferBinary(base, test, [9, 10], 'output');
    expect(binary.status).toBe(200);
    const meta = binary.header as unknown as Infer;
    const out = meta.outputs[0] as unknown as {
      shape: number[];
      parameters: { binary_data_size: number };
    };
    expect(out.shape).toEqual([2, 10]);
    expect(out.parameters.binary_data_size).toBe(80);
    const logits = binary.floats(20);
    expect(maxAbsDiff(logits.subarray(0, 10), reference[9]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(logits.subarray(10), reference[10]!)).toBeLessThan(1e-5);
  });

  it('answers each binary request from its own tensors when the headers are the same bytes', async () => {
    // One header for every image of a batch size (the parsed header is kept between requests).
    for (const i of [3, 4, 5, 3]) {
      const r = await inferBinary(base, test, [i], 'request');
      expect(r.status).toBe(200);
      expect(maxAbsDiff(r.floats(10), reference[i]!)).toBeLessThan(1e-5);
    }
    const two = await inferBinary(base, test, [6, 7], 'request');
    expect((two.header as unknown as Infer).outputs[0]!.shape).toEqual([2, 10]);
    expect(maxAbsDiff(two.floats(20).subarray(10), reference[7]!)).toBeLessThan(1e-5);
    const json = await infer(inferBody(test, [8]));
    expect(maxAbsDiff(json.body.outputs[0]!.data, reference[8]!)).toBeLessThan(1e-5);
    const again = await inferBinary(base, test, [9], 'request');
    expect(maxAbsDiff(again.floats(10), reference[9]!)).toBeLessThan(1e-5);
  });
});

describe('POST /v1/models/{name}/predict', () => {
  it('takes 784 pixel values and answers the label and softmax probabilities', async () => {
    for (const i of [0, 1, 2]) {
      const r = await predict({ json: { pixels: pixelsOf(test, i) } });
      expect(r.status).toBe(200);
      expect(r.body.label).toBe(argmax(reference[i]!));
      expect(r.body.class).toBe(String(r.body.label));
      const sum = r.body.probabilities.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 5);
      const ref = reference[i]!;
      const z = Array.from(ref).reduce((a, v) => a + Math.exp(v), 0);
      expect(
        maxAbsDiff(
          r.body.probabilities,
          Array.from(ref, (v) => Math.exp(v) / z),
        ),
      ).toBeLessThan(1e-5);
    }
  });

  it('takes a 28x28 grayscale PNG (raw body or base64) with the same answer as the pixels', async () => {
    const png = digitPng(test, 4, 'gray');
    const raw = await predict({
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png' },
    });
    const b64 = await predict({
      json: { image: `data:image/png;base64,${png.toString('base64')}` },
    });
    const px = await predict({ json: { pixels: pixelsOf(test, 4) } });
    expect(raw.status).toBe(200);
    expect(maxAbsDiff(raw.body.probabilities, px.body.probabilities)).toBeLessThan(1e-6);
    expect(maxAbsDiff(b64.body.probabilities, px.body.probabilities)).toBeLessThan(1e-6);
  });

  it('takes RGBA PNGs whose ink is the alpha channel (transparent background)', async () => {
    const png = digitPng(test, 6, 'alpha');
    const r = await predict({
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png' },
    });
    const px = await predict({ json: { pixels: pixelsOf(test, 6) } });
    expect(maxAbsDiff(r.body.probabilities, px.body.probabilities)).toBeLessThan(1e-6);
  });

  it('takes larger RGB photos of dark ink on paper: inverted, cropped, scaled and centred like MNIST', async () => {
    let agree = 0;
    const n = 20;
    for (let i = 0; i < n; i++) {
      const r = await predict({
        body: new Uint8Array(digitPng(test, i, 'rgb-paper', 4)),
        headers: { 'content-type': 'image/png' },
      });
      expect(r.status).toBe(200);
      if (r.body.label === test.labels[i]) agree++;
    }
    expect(agree / n).toBeGreaterThanOrEqual(0.8);
  });
});

describe('bad input gets a 4xx naming the field, and never reaches the model', () => {
  const good = () => inferBody(test, [0]) as { inputs: Record<string, unknown>[] };
  const withInput = (patch: Record<string, unknown>) => ({
    inputs: [{ ...good().inputs[0], ...patch }],
  });
  const data784 = (at: number, value: unknown) => {
    const d: unknown[] = (good().inputs[0]!.data as number[]).slice();
    d[at] = value;
    return d;
  };

  const cases: [
    string,
    () => Promise<{ status: number; body: { error?: string } }>,
    number,
    RegExp,
  ][] = [
    [
      'malformed JSON',
      () =>
        request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"inputs": [',
        }),
      400,
      /^body: malformed JSON/,
    ],
    [
      // Read by the byte scanner (no JSON.parse array): overflow is Infinity, as JSON.parse has it.
      'a number too large for a double',
      () =>
        request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"inputs":[{"name":"input","shape":[1,1,28,28],"datatype":"FP32","data":[0,0,0,1e999${',0'.repeat(780)}]}]}`,
        }),
      400,
      /^inputs\[0\]\.data\[3\]: expected a finite number, got Infinity/,
    ],
    [
      'a leading zero (not JSON)',
      () =>
        request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"inputs":[{"name":"input","shape":[2],"datatype":"FP32","data":[1,01]}]}',
        }),
      400,
      /^body: malformed JSON/,
    ],
    [
      'NaN literal (not JSON)',
      () =>
        request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"inputs":[{"name":"input","shape":[1],"datatype":"FP32","data":[NaN]}]}',
        }),
      400,
      /^body: malformed JSON/,
    ],
    [
      'empty body',
      () =>
        request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '',
        }),
      400,
      /^body: empty, expected a JSON object/,
    ],
    [
      'a body that is not an object',
      () => infer([1, 2]),
      400,
      /^body: expected an object, got an array/,
    ],
    ['no inputs', () => infer({}), 400, /^inputs: is required/],
    [
      'inputs not an array',
      () => infer({ inputs: 'x' }),
      400,
      /^inputs: expected an array, got "x"/,
    ],
    ['empty inputs', () => infer({ inputs: [] }), 400, /^inputs: expected at least 1 item/],
    [
      'missing datatype',
      () => infer({ inputs: [{ name: 'input', shape: [1, 1, 28, 28], data: [] }] }),
      400,
      /^inputs\[0\]\.datatype: is required/,
    ],
    [
      'wrong dtype',
      () => infer(withInput({ datatype: 'INT32' })),
      400,
      /^inputs\[0\]\.datatype: expected FP32 \(input input\), got "INT32"/,
    ],
    [
      'unknown dtype',
      () => infer(withInput({ datatype: 'FLOAT' })),
      400,
      /^inputs\[0\]\.datatype: expected FP32 .*datatypes are BOOL, /,
    ],
    [
      'dtype not a string',
      () => infer(withInput({ datatype: 3 })),
      400,
      /^inputs\[0\]\.datatype: expected a string, got 3/,
    ],
    [
      'wrong rank',
      () => infer(withInput({ shape: [1, 784] })),
      400,
      /^inputs\[0\]\.shape: expected 4 dims \[-1, 1, 28, 28\] for input input, got \[1, 784\]/,
    ],
    [
      'wrong fixed dim',
      () => infer(withInput({ shape: [1, 1, 28, 27] })),
      400,
      /^inputs\[0\]\.shape\[3\]: expected 28 \(input input has shape \[-1, 1, 28, 28\]\), got 27/,
    ],
    [
      'negative dim',
      () => infer(withInput({ shape: [-1, 1, 28, 28] })),
      400,
      /^inputs\[0\]\.shape\[0\]: expected a value >= 0, got -1/,
    ],
    [
      'fractional dim',
      () => infer(withInput({ shape: [1.5, 1, 28, 28] })),
      400,
      /^inputs\[0\]\.shape\[0\]: expected an integer, got 1.5/,
    ],
    [
      'zero batch',
      () => infer(withInput({ shape: [0, 1, 28, 28], data: [] })),
      400,
      /^inputs\[0\]\.shape\[0\]: expected at least 1, got 0/,
    ],
    [
      'batch above --max-batch',
      () => infer(withInput({ shape: [65, 1, 28, 28] })),
      400,
      /^inputs\[0\]\.shape\[0\]: batch of 65 exceeds the maximum batch 64/,
    ],
    [
      'too few elements',
      () => infer(withInput({ data: [1, 2, 3] })),
      400,
      /^inputs\[0\]\.data: expected 784 elements for shape \[1, 1, 28, 28\], got 3/,
    ],
    [
      'too many elements',
      () => infer(withInput({ data: new Array(785).fill(0) })),
      400,
      /^inputs\[0\]\.data: expected 784 elements .* got 785/,
    ],
    [
      'a string element',
      () => infer(withInput({ data: data784(5, 'abc') })),
      400,
      /^inputs\[0\]\.data\[5\]: expected a finite number, got "abc"/,
    ],
    [
      '"NaN" as a string',
      () => infer(withInput({ data: data784(6, 'NaN') })),
      400,
      /^inputs\[0\]\.data\[6\]: expected a finite number, got "NaN"/,
    ],
    [
      'null element',
      () => infer(withInput({ data: data784(7, null) })),
      400,
      /^inputs\[0\]\.data\[7\]: expected a finite number, got null/,
    ],
    [
      'boolean element',
      () => infer(withInput({ data: data784(8, true) })),
      400,
      /^inputs\[0\]\.data\[8\]: expected a finite number, got true/,
    ],
    [
      'overflowing number (Infinity)',
      () =>
        request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(withInput({ data: data784(9, 12345) })).replace('12345', '1e999'),
        }),
      400,
      /^inputs\[0\]\.data\[9\]: expected a finite number, got Infinity/,
    ],
    [
      'data not an array',
      () => infer(withInput({ data: 'abc' })),
      400,
      /^inputs\[0\]\.data: expected an array, got "abc"/,
    ],
    [
      'no data',
      () => infer(withInput({ data: undefined })),
      400,
      /^inputs\[0\]\.data: is required/,
    ],
    [
      'nested data of the wrong size',
      () => infer(withInput({ data: [[Array.from({ length: 28 }, () => new Array(27).fill(0))]] })),
      400,
      /^inputs\[0\]\.data\[0\]\[0\]\[0\]: expected an array of 28 elements .* got 27 elements/,
    ],
    [
      'unknown input',
      () => infer(withInput({ name: 'image' })),
      400,
      /^inputs\[0\]\.name: unknown input "image"; model mnist takes "input"/,
    ],
    [
      'an input twice',
      () => infer({ inputs: [good().inputs[0], good().inputs[0]] }),
      400,
      /^inputs\[1\]\.name: input "input" given twice/,
    ],
    [
      'unknown output',
      () => infer({ ...good(), outputs: [{ name: 'probs' }] }),
      400,
      /^outputs\[0\]\.name: unknown output "probs"; model mnist gives "logits"/,
    ],
    [
      'unknown model',
      () => infer(good(), 'nope'),
      404,
      /^model: unknown model "nope"; this server serves "mnist"/,
    ],
    [
      'unsupported content type',
      () =>
        request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: 'hello',
        }),
      415,
      /^Content-Type: "text\/plain" is not accepted; send application\/json/,
    ],
    [
      'binary data without Inference-Header-Content-Length',
      () =>
        request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: Buffer.from('{}'),
        }),
      400,
      /^Inference-Header-Content-Length: expected the byte length of the JSON header/,
    ],
    [
      'binary size that does not match the shape',
      () => {
        const header = Buffer.from(
          JSON.stringify({
            inputs: [
              {
                name: 'input',
                shape: [1, 1, 28, 28],
                datatype: 'FP32',
                parameters: { binary_data_size: 8 },
              },
            ],
          }),
        );
        return request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            'inference-header-content-length': String(header.length),
          },
          body: Buffer.concat([header, Buffer.alloc(8)]),
        });
      },
      400,
      /^inputs\[0\]\.parameters\.binary_data_size: expected 3136 bytes for shape \[1, 1, 28, 28\] FP32, got 8/,
    ],
    [
      'NaN in binary data',
      () => {
        const header = Buffer.from(
          JSON.stringify({
            inputs: [
              {
                name: 'input',
                shape: [1, 1, 28, 28],
                datatype: 'FP32',
                parameters: { binary_data_size: 3136 },
              },
            ],
          }),
        );
        const x = new Float32Array(784);
        x[100] = NaN;
        return request(`${base}/v2/models/mnist/infer`, {
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            'inference-header-content-length': String(header.length),
          },
          body: Buffer.concat([header, Buffer.from(x.buffer)]),
        });
      },
      400,
      /^inputs\[0\] \(binary\) element 100: expected a finite number, got NaN/,
    ],
    [
      'oversized body',
      () => infer(withInput({ data: new Array(1_200_000).fill(0.123456789) })),
      413,
      /^body: larger than the limit of 8388608 bytes/,
    ],
    // predict
    [
      'predict: neither pixels nor image',
      () => predict({ json: {} }),
      400,
      /^body: expected exactly one of "pixels" \(784 values in \[0, 255\]\) or "image"/,
    ],
    [
      'predict: both pixels and image',
      () => predict({ json: { pixels: [], image: 'x' } }),
      400,
      /^body: expected exactly one of "pixels"/,
    ],
    [
      'predict: pixels of the wrong count',
      () => predict({ json: { pixels: [1, 2] } }),
      400,
      /^pixels: expected 784 values \(28x28, row-major\), got 2/,
    ],
    [
      'predict: a pixel out of range',
      () =>
        predict({ json: { pixels: Array.from({ length: 784 }, (_, i) => (i === 10 ? 300 : 0)) } }),
      400,
      /^pixels\[10\]: expected a number in \[0, 255\], got 300/,
    ],
    [
      'predict: a pixel that is not a number',
      () =>
        predict({ json: { pixels: Array.from({ length: 784 }, (_, i) => (i === 11 ? '7' : 0)) } }),
      400,
      /^pixels\[11\]: expected a number in \[0, 255\], got "7"/,
    ],
    [
      'predict: not a PNG',
      () => predict({ body: Buffer.from('GIF89a...'), headers: { 'content-type': 'image/png' } }),
      400,
      /^body: expected a PNG image \(the bytes do not start with the PNG signature\)/,
    ],
    [
      'predict: an undecodable PNG',
      () => {
        const png = digitPng(test, 0, 'gray');
        const broken = Buffer.concat([png.subarray(0, 40), Buffer.alloc(30, 7)]);
        return predict({ body: broken, headers: { 'content-type': 'image/png' } });
      },
      400,
      /^body: PNG could not be decoded/,
    ],
    [
      'predict: a huge PNG header',
      () => {
        const png = Buffer.from(digitPng(test, 0, 'gray'));
        png.writeUInt32BE(100000, 16);
        png.writeUInt32BE(100000, 20);
        return predict({ body: png, headers: { 'content-type': 'image/png' } });
      },
      400,
      /^body: PNG is 100000x100000; expected at least 1x1 and at most 16777216 pixels/,
    ],
    [
      'predict: image not base64',
      () => predict({ json: { image: '%%%' } }),
      400,
      /^image: expected a base64-encoded PNG/,
    ],
    [
      'predict: unknown model',
      () => request(`${base}/v1/models/nope/predict`, { method: 'POST', json: { pixels: [] } }),
      404,
      /^model: unknown model "nope"/,
    ],
    [
      'predict: a GIF content type',
      () => predict({ body: Buffer.from('GIF89a'), headers: { 'content-type': 'image/gif' } }),
      415,
      /^Content-Type: "image\/gif" is not accepted; send application\/json or image\/png/,
    ],
    ['an unknown route', () => request(`${base}/v2/nothing`), 404, /^no route GET \/v2\/nothing/],
  ];

  it.each(cases)('%s', async (_name, send, status, message) => {
    const r = await send();
    expect(r.status).toBe(status);
    expect(r.body.error).toMatch(message);
  });

  it('leaves the server healthy and answering correctly', async () => {
    expect((await request(`${base}/v2/health/ready`)).status).toBe(200);
    const r = await infer(inferBody(test, [11]));
    expect(maxAbsDiff(r.body.outputs[0]!.data, reference[11]!)).toBeLessThan(1e-5);
  });
});

describe('concurrency and batching', () => {
  it('answers 600 parallel requests, each correctly, none lost, in batches', async () => {
    const metricsBefore = await (await fetch(`${base}/metrics`)).text();
    const batchesBefore = metricValue(metricsBefore, 'gd_serve_batch_size_count{model="mnist"}');
    const n = 600;
    const results = await Promise.all(
      Array.from({ length: n }, async (_, k) => {
        const i = k % N_REF;
        const r = await infer(inferBody(test, [i], `r${k}`));
        return { k, i, r };
      }),
    );
    expect(results).toHaveLength(n);
    for (const { k, i, r } of results) {
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(`r${k}`);
      expect(maxAbsDiff(r.body.outputs[0]!.data, reference[i]!)).toBeLessThan(1e-5);
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const batches =
      metricValue(metrics, 'gd_serve_batch_size_count{model="mnist"}') - batchesBefore;
    // Rows went through in fewer batches than requests: they were merged.
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThan(n / 2);
    expect(metricValue(metrics, 'gd_serve_queue_depth{model="mnist"}')).toBe(0);
  });

  it('with two workers (each its own session) answers 300 parallel requests correctly', async () => {
    const two = await startServer({ model: file, name: 'mnist', port: 0, workers: 2, maxBatch: 8 });
    try {
      await two.ready;
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, k) =>
          request<Infer>(`${two.url}/v2/models/mnist/infer`, {
            method: 'POST',
            json: inferBody(test, [k % N_REF]),
          }).then((r) => ({ k, r })),
        ),
      );
      for (const { k, r } of results) {
        expect(r.status).toBe(200);
        expect(maxAbsDiff(r.body.outputs[0]!.data, reference[k % N_REF]!)).toBeLessThan(1e-5);
      }
      const metrics = await (await fetch(`${two.url}/metrics`)).text();
      // Batches of at most --max-batch rows: every observation falls in the le="8" bucket.
      expect(metricValue(metrics, 'gd_serve_batch_size_bucket{model="mnist",le="8"}')).toBe(
        metricValue(metrics, 'gd_serve_batch_size_count{model="mnist"}'),
      );
    } finally {
      await two.close();
    }
  });

  it('bounds its queue: beyond --max-queue it answers 503 and keeps serving the rest', async () => {
    const small = await startServer({
      model: file,
      name: 'mnist',
      port: 0,
      maxBatch: 1,
      maxQueue: 4,
      // Every request through the worker: on the event-loop lane a lone request is answered
      // within the loop turn it arrived in, so requests sent one after another never queue.
      inlineMaxMs: 0,
    });
    try {
      await small.ready;
      const n = 120;
      const results = await Promise.all(
        Array.from({ length: n }, (_, k) =>
          request<Infer>(`${small.url}/v2/models/mnist/infer`, {
            method: 'POST',
            json: inferBody(test, [k % N_REF]),
          }).then((r) => ({ k, r })),
        ),
      );
      const ok = results.filter((x) => x.r.status === 200);
      const full = results.filter((x) => x.r.status === 503);
      expect(ok.length + full.length).toBe(n);
      expect(ok.length).toBeGreaterThan(0);
      expect(full.length).toBeGreaterThan(0);
      for (const { k, r } of ok)
        expect(maxAbsDiff(r.body.outputs[0]!.data, reference[k % N_REF]!)).toBeLessThan(1e-5);
      expect(full[0]!.r.body.error).toMatch(
        /^the request queue is full \(4 requests waiting\); retry later/,
      );
      expect(full[0]!.r.headers.get('retry-after')).toBe('1');
      const metrics = await (await fetch(`${small.url}/metrics`)).text();
      expect(metricValue(metrics, 'gd_serve_errors_total{kind="queue_full"}')).toBe(full.length);
    } finally {
      await small.close();
    }
  });
});

describe('GET /metrics', () => {
  it('exposes latency, batch sizes, queue depth and errors in the Prometheus text format', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    for (const [name, type] of [
      ['gd_serve_request_duration_seconds', 'histogram'],
      ['gd_serve_batch_size', 'histogram'],
      ['gd_serve_inference_duration_seconds', 'histogram'],
      ['gd_serve_queue_depth', 'gauge'],
      ['gd_serve_errors_total', 'counter'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
    expect(text).toMatch(
      /gd_serve_request_duration_seconds_bucket\{route="\/v2\/models\/:name\/infer",code="200",le="\+Inf"\} \d+/,
    );
    expect(metricValue(text, 'gd_serve_errors_total{kind="invalid_input"}')).toBeGreaterThan(10);
    expect(
      metricValue(text, 'gd_serve_errors_total{kind="malformed_json"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(metricValue(text, 'gd_serve_errors_total{kind="body_too_large"}')).toBe(1);
    expect(metricValue(text, 'gd_serve_errors_total{kind="bad_image"}')).toBeGreaterThanOrEqual(3);
    expect(metricValue(text, 'gd_serve_execution_provider{model="mnist",provider="cpu"}')).toBe(1);
    // Every sample line is `name{labels} value`; every histogram's +Inf bucket equals its count.
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(line).toMatch(
        /^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+-]+|\+Inf|NaN)$/,
      );
    }
    const inf = metricValue(text, 'gd_serve_batch_size_bucket{model="mnist",le="+Inf"}');
    expect(inf).toBe(metricValue(text, 'gd_serve_batch_size_count{model="mnist"}'));
  });
});

describe('the page and its files', () => {
  it('serves the page, its script and onnxruntime-web from node_modules (no CDN)', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<canvas id="pad"');
    expect(html).not.toMatch(/https?:\/\//);
    const app = await fetch(`${base}/static/app.js`);
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('/ort/');
    for (const f of ['ort.wasm.min.mjs', 'ort.webgpu.min.mjs', 'ort-wasm-simd-threaded.wasm']) {
      const r = await fetch(`${base}/ort/${f}`);
      expect(r.status, f).toBe(200);
      await r.arrayBuffer();
    }
    expect((await fetch(`${base}/ort/ort.min.js.map`)).status).toBe(404);
    expect((await fetch(`${base}/static/../package.json`)).status).toBe(404);
  });
});

describe('--api-key', () => {
  it('answers 401 without the bearer token, except health checks and the page', async () => {
    const s = await startServer({ model: file, name: 'mnist', port: 0, apiKey: 's3cret' });
    try {
      await s.ready;
      const none = await request(`${s.url}/v2/models/mnist`);
      expect(none.status).toBe(401);
      expect(none.body.error).toMatch(
        /^Authorization: missing; send "Authorization: Bearer <api key>"/,
      );
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await request(`${s.url}/v2/models/mnist/infer`, {
        method: 'POST',
        json: inferBody(test, [0]),
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toMatch(/^Authorization: wrong bearer token/);
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      const right = await request<Infer>(`${s.url}/v2/models/mnist/infer`, {
        method: 'POST',
        json: inferBody(test, [0]),
        headers: { authorization: 'Bearer s3cret' },
      });
      expect(right.status).toBe(200);
      expect((await fetch(`${s.url}/v2/health/ready`)).status).toBe(200);
      expect((await fetch(`${s.url}/v2/health/live`)).status).toBe(200);
      expect((await fetch(`${s.url}/`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('binds to loopback by default', () => {
    expect(new URL(base).hostname).toBe('127.0.0.1');
  });
});

describe('readiness and shutdown', () => {
  it('is live but not ready until the warm-up is done', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = await startServer({ model: file, name: 'mnist', port: 0, readyGate: gate });
    try {
      expect((await request(`${s.url}/v2/health/live`)).status).toBe(200);
      const notReady = await request(`${s.url}/v2/health/ready`);
      expect(notReady.status).toBe(400);
      expect(notReady.body).toEqual({
        ready: false,
        error: 'not ready: models are loading and warming up',
      });
      const model = await request(`${s.url}/v2/models/mnist/ready`);
      expect(model.status).toBe(400);
      expect(model.body).toMatchObject({ ready: false });
      const inferEarly = await request(`${s.url}/v2/models/mnist/infer`, {
        method: 'POST',
        json: inferBody(test, [0]),
      });
      expect(inferEarly.status).toBe(503);
      expect(inferEarly.body.error).toMatch(/^model mnist is not ready \(loading\)/);
      release();
      await s.ready;
      expect((await request(`${s.url}/v2/health/ready`)).status).toBe(200);
    } finally {
      release();
      await s.close();
    }
  });

  it('close() answers every request in flight, then stops listening', async () => {
    const s = await startServer({ model: file, name: 'mnist', port: 0, maxDelayMs: 300 });
    await s.ready;
    const n = 40;
    const pending = Array.from({ length: n }, (_, k) =>
      request<Infer>(`${s.url}/v2/models/mnist/infer`, {
        method: 'POST',
        json: inferBody(test, [k]),
      }),
    );
    // Wait until every request is in the server (queued behind the 300 ms batching delay).
    while (s.inFlight() < n) await new Promise((r) => setTimeout(r, 5));
    const closed = s.close();
    const results = await Promise.all(pending);
    await closed;
    results.forEach((r, k) => {
      expect(r.status).toBe(200);
      expect(maxAbsDiff(r.body.outputs[0]!.data, reference[k]!)).toBeLessThan(1e-5);
    });
    await expect(fetch(`${s.url}/v2/health/live`)).rejects.toThrow();
  });
});

describe('Triton model repository', () => {
  it('serves every model directory of a repository with its config.pbtxt', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'gd-serve-repo-'));
    mkdirSync(join(repo, 'digits', '1'), { recursive: true });
    mkdirSync(join(repo, 'digits', '3'), { recursive: true });
    copyFileSync(file, join(repo, 'digits', '3', 'model.onnx'));
    writeFileSync(
      join(repo, 'digits', 'config.pbtxt'),
      [
        'name: "digits"',
        'platform: "onnxruntime_onnx"',
        'max_batch_size: 16',
        'input [ { name: "input" data_type: TYPE_FP32 dims: [ 1, 28, 28 ] } ]',
        'output [ { name: "logits" data_type: TYPE_FP32 dims: [ 10 ] } ]',
        'dynamic_batching { max_queue_delay_microseconds: 1000 }',
      ].join('\n'),
    );
    mkdirSync(join(repo, 'other', '2'), { recursive: true });
    copyFileSync(file, join(repo, 'other', '2', 'model.onnx'));
    const s = await startServer({ model: repo, port: 0 });
    try {
      await s.ready;
      const digits = await request<{ versions: string[]; parameters: Record<string, unknown> }>(
        `${s.url}/v2/models/digits`,
      );
      expect(digits.body.versions).toEqual(['3']);
      expect(digits.body.parameters).toMatchObject({ max_batch_size: 16, max_queue_delay_ms: 1 });
      expect((await request(`${s.url}/v2/models/other/versions/2/ready`)).body).toEqual({
        name: 'other',
        ready: true,
      });
      const r = await request<Infer>(`${s.url}/v2/models/digits/versions/3/infer`, {
        method: 'POST',
        json: inferBody(test, [0, 1]),
      });
      expect(r.status).toBe(200);
      expect(r.body.model_version).toBe('3');
      const big = await request(`${s.url}/v2/models/digits/infer`, {
        method: 'POST',
        json: inferBody(
          test,
          Array.from({ length: 17 }, (_, i) => i),
        ),
      });
      expect(big.status).toBe(400);
      expect(big.body.error).toMatch(
        /^inputs\[0\]\.shape\[0\]: batch of 17 exceeds the maximum batch 16 of model digits/,
      );
    } finally {
      await s.close();
    }
  });
});

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
