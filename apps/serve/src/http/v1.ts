/**
 * The digit convenience endpoint (`POST /v1/models/{name}/predict`: pixels or a PNG in, label
 * and probabilities out) and what the drawing page needs to run the models in the browser.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { v2Tensor } from '../core.js';
import type { ServeCore } from '../core.js';
import { HttpError } from '../errors.js';
import { pngToMnist } from '../png.js';
import type { LoadedModel, TensorSpec } from '../runtime.js';
import { InputError, describeValue, numel } from '../tensors.js';
import { argmax, normalize, toProbabilities } from '../web/preprocess.js';
import { PREDICT_SCHEMA } from './schemas.js';

/** The model's one 28x28 FP32 input, or undefined when it takes something else. */
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

/** The body's digit as ink in [0, 1], 28x28 row-major. */
function inkOf(req: FastifyRequest): Float32Array {
  if (Buffer.isBuffer(req.body)) {
    if (req.headers['content-type']?.split(';')[0]?.trim() !== 'image/png') {
      throw new HttpError(
        415,
        'unsupported_media_type',
        'Content-Type: send image/png or application/json',
      );
    }
    return pngToMnist(req.body, 'body');
  }
  const body = req.body as { pixels?: unknown[]; image?: string };
  if (body.pixels !== undefined) {
    const px = body.pixels;
    if (px.length !== 784)
      throw new InputError('pixels', `expected 784 values (28x28, row-major), got ${px.length}`);
    const ink = new Float32Array(784);
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
    return ink;
  }
  const b64 = (body.image as string).replace(/^data:image\/png;base64,/, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new InputError(
      'image',
      'expected a base64-encoded PNG (optionally as a data:image/png;base64, URL)',
      'bad_image',
    );
  }
  return pngToMnist(Buffer.from(b64, 'base64'), 'image');
}

/** Registers the digit endpoint and the page's model list and ONNX files. */
export async function v1Routes(app: FastifyInstance, opts: { core: ServeCore }): Promise<void> {
  const { core } = opts;

  app.post(
    '/v1/models/:name/predict',
    { schema: { body: { content: { 'application/json': { schema: PREDICT_SCHEMA } } } } },
    async (req: FastifyRequest<{ Params: { name: string } }>) => {
      const m = core.modelFor(req.params.name);
      const spec = imageInput(m);
      const x = normalize(inkOf(req), m.preprocessing.mean, m.preprocessing.std);
      const dims = spec.shape.map((d) => (d < 0 ? 1 : d));
      const result = await core.infer(m, [{ name: spec.name, type: 'float32', dims, data: x }]);
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
    models: core.modelNames().map((name) => {
      const m = core.runtime?.models.get(name);
      return {
        name,
        version: m?.version ?? core.sources.find((s) => s.name === name)?.version,
        ready: m !== undefined && !core.closing,
        execution_provider: m?.executionProvider,
        inputs: m?.inputs.map(v2Tensor),
        outputs: m?.outputs.map(v2Tensor),
        mean: m?.preprocessing.mean,
        std: m?.preprocessing.std,
        labels: m?.preprocessing.labels,
        predict: m ? imageInputOrUndefined(m) !== undefined : false,
        onnx: `/v1/models/${encodeURIComponent(name)}/model.onnx`,
      };
    }),
  }));
  app.get(
    '/v1/models/:name/model.onnx',
    async (req: FastifyRequest<{ Params: { name: string } }>, reply) => {
      const m = core.modelFor(req.params.name);
      return reply.type('application/octet-stream').send(readFileSync(m.file));
    },
  );
}
