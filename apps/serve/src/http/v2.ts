/**
 * The Open Inference Protocol v2 over HTTP: server and model metadata, health and readiness,
 * and inference in JSON or with Triton's binary tensor data extension.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SERVER_NAME, SERVER_VERSION } from '../core.js';
import type { ServeCore } from '../core.js';
import { HttpError } from '../errors.js';
import { decodeInputs, jsonInputFields, outputOf, resolveOutputs } from '../infer-request.js';
import type { RequestTensor } from '../infer-request.js';
import type { LoadedModel, TensorSpec } from '../runtime.js';
import type { InferResult } from '../sessions.js';
import { DATATYPES, InputError, asBytes, describeValue, jsonDataText, numel } from '../tensors.js';
import type { V2Datatype } from '../tensors.js';
import { INFER_SCHEMA } from './schemas.js';
import type { InferBody } from './schemas.js';

type ModelParams = { Params: { name: string; version?: string } };

/**
 * The request's inputs as the shared decoder takes them: binary parts cut by their sizes, JSON
 * data arrays read from the body's bytes put back in place.
 */
function requestTensors(
  body: InferBody,
  binary: Buffer | null,
  scanned: Map<number, Float64Array> | null,
): RequestTensor[] {
  let offset = 0;
  const tensors: RequestTensor[] = [];
  for (let i = 0; i < body.inputs.length; i++) {
    const input = body.inputs[i] as InferBody['inputs'][number];
    const f = jsonInputFields(i);
    const t: RequestTensor = {
      name: input.name,
      shape: input.shape,
      datatype: input.datatype,
      data: scanned?.get(i) ?? input.data,
      field: f.field,
      dataField: f.dataField,
      rawField: f.rawField,
    };
    tensors.push(t);
    const size = input.parameters?.binary_data_size;
    if (size === undefined) continue;
    const field = `${f.field}.parameters.binary_data_size`;
    if (!binary) {
      throw new InputError(
        field,
        'given, but the request has no binary part (send application/octet-stream with Inference-Header-Content-Length)',
      );
    }
    // The size is checked against the shape here (before the decoder) so the message names
    // binary_data_size, the field the client got wrong.
    const info = (DATATYPES as Record<string, { bytes: number } | undefined>)[input.datatype];
    const want = info ? numel(input.shape) * info.bytes : undefined;
    if (want !== undefined && size !== want) {
      throw new InputError(
        field,
        `expected ${want} bytes for shape [${input.shape.join(', ')}] ${input.datatype}, got ${describeValue(size)}`,
      );
    }
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
      throw new InputError(field, `expected a byte count, got ${describeValue(size)}`);
    if (offset + size > binary.length) {
      throw new InputError(
        field,
        `the binary part has ${binary.length - offset} bytes left, ${size} needed`,
      );
    }
    t.raw = binary.subarray(offset, offset + size);
    offset += size;
  }
  if (binary && offset !== binary.length) {
    throw new InputError(
      'body',
      `the binary part has ${binary.length} bytes but the inputs use ${offset}`,
    );
  }
  return tensors;
}

/** The parts of a model version's replies that never change, written once. */
interface ReplyText {
  /** `{"model_name":"…","model_version":"…"`. */
  start: string;
  /** Each output's `{"name":"…","datatype":"…","shape":[`, in the model's output order. */
  outputs: string[];
}

const replyTexts = new WeakMap<LoadedModel, ReplyText>();

function replyTextOf(m: LoadedModel): ReplyText {
  let t = replyTexts.get(m);
  if (!t) {
    t = {
      start: `{"model_name":${JSON.stringify(m.name)},"model_version":${JSON.stringify(m.version)}`,
      outputs: m.outputs.map(
        (s) => `{"name":${JSON.stringify(s.name)},"datatype":"${s.datatype}","shape":[`,
      ),
    };
    replyTexts.set(m, t);
  }
  return t;
}

/** The position of a model output by name (the names were checked by resolveOutputs). */
function outputIndex(m: LoadedModel, name: string): number {
  for (let i = 0; i < m.outputs.length; i++)
    if ((m.outputs[i] as TensorSpec).name === name) return i;
  return -1;
}

/**
 * Answers an infer request: the reply is written as text directly (no array of numbers, no
 * generic serialiser walk); with binary outputs, header and tensors go into one buffer.
 */
function sendInferReply(
  reply: FastifyReply,
  m: LoadedModel,
  body: InferBody,
  wanted: readonly string[],
  result: InferResult,
): void {
  const texts = replyTextOf(m);
  const binaryAll = body.parameters?.binary_data_output === true;
  let chunks: Uint8Array[] | undefined;
  let chunkBytes = 0;
  let text = texts.start;
  if (body.id !== undefined) text += `,"id":${JSON.stringify(body.id)}`;
  text += ',"outputs":[';
  for (let i = 0; i < wanted.length; i++) {
    const name = wanted[i] as string;
    const t = outputOf(result.outputs, name);
    const at = outputIndex(m, name);
    const spec = m.outputs[at] as TensorSpec;
    const head = `${i ? ',' : ''}${texts.outputs[at] as string}${t.dims.join(',')}]`;
    const asked = body.outputs?.[i]?.parameters?.binary_data;
    if (asked === true || (binaryAll && asked !== false)) {
      const bytes = asBytes(t.data);
      (chunks ??= []).push(bytes);
      chunkBytes += bytes.byteLength;
      text += `${head},"parameters":{"binary_data_size":${bytes.byteLength}}}`;
    } else {
      text += `${head},"data":${jsonDataText(t.data, spec.datatype as V2Datatype)}}`;
    }
  }
  text += ']}';
  if (!chunks) {
    void reply.type('application/json; charset=utf-8').send(text);
    return;
  }
  const headerLength = Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(headerLength + chunkBytes);
  out.write(text, 0, 'utf8');
  let offset = headerLength;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  void reply
    .header('Inference-Header-Content-Length', String(headerLength))
    .type('application/octet-stream')
    .send(out);
}

/** Registers the v2 protocol routes (health, metadata, statistics, inference) over a core. */
export async function v2Routes(app: FastifyInstance, opts: { core: ServeCore }): Promise<void> {
  const { core } = opts;

  app.get('/v2', async () => ({
    name: SERVER_NAME,
    version: SERVER_VERSION,
    extensions: ['binary_tensor_data', 'statistics'],
  }));
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_req, reply) => {
    if (core.isReady()) return { ready: true };
    return reply.code(400).send({
      ready: false,
      error: core.closing
        ? 'not ready: shutting down'
        : 'not ready: models are loading and warming up',
    });
  });

  const metadata = async (req: FastifyRequest<ModelParams>) =>
    core.metadata(core.modelFor(req.params.name, req.params.version));
  app.get('/v2/models/:name', metadata);
  app.get('/v2/models/:name/versions/:version', metadata);

  const modelReady = async (req: FastifyRequest<ModelParams>, reply: FastifyReply) => {
    try {
      const m = core.modelFor(req.params.name, req.params.version);
      if (core.closing)
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
  app.get('/v2/models/:name/ready', modelReady);
  app.get('/v2/models/:name/versions/:version/ready', modelReady);

  // Triton's statistics extension: every model's versions, one model's, or one version's.
  const stats = async (req: FastifyRequest<{ Params: { name?: string; version?: string } }>) => {
    const { name, version } = req.params;
    if (name !== undefined) core.modelFor(name, version); // 404 naming the model or version
    return { model_stats: await core.allStats(name, version) };
  };
  app.get('/v2/models/stats', stats);
  app.get('/v2/models/:name/stats', stats);
  app.get('/v2/models/:name/versions/:version/stats', stats);

  const inferRoute = {
    // Octet-stream bodies are split into the JSON header and tensor bytes by the body parser.
    config: { inferBody: true },
    schema: {
      body: {
        content: {
          'application/json': { schema: INFER_SCHEMA },
          'application/octet-stream': { schema: INFER_SCHEMA },
        },
      },
    },
  };
  // Not async: the reply goes out from the inference's own promise reaction, with no handler
  // promise for Fastify to follow (errors, thrown or rejected, reach the error handler alike).
  const infer = (req: FastifyRequest<ModelParams>, reply: FastifyReply): void => {
    const m = core.modelFor(req.params.name, req.params.version);
    const body = req.body as InferBody;
    const feeds = decodeInputs(m, requestTensors(body, req.binaryPart, req.scannedData));
    const wanted = resolveOutputs(m, body.outputs);
    core.infer(m, feeds).then(
      (result) => {
        try {
          sendInferReply(reply, m, body, wanted, result);
        } catch (e) {
          void reply.send(e as Error);
        }
      },
      (e: unknown) => void reply.send(e as Error),
    );
  };
  app.post<ModelParams>('/v2/models/:name/infer', inferRoute, infer);
  app.post<ModelParams>('/v2/models/:name/versions/:version/infer', inferRoute, infer);
}
