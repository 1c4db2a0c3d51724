/**
 * The Open Inference Protocol v2 over HTTP: server and model metadata, health and readiness,
 * and inference in JSON or with Triton's binary tensor data extension.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SERVER_NAME, SERVER_VERSION } from '../core.js';
import type { ServeCore } from '../core.js';
import { HttpError } from '../errors.js';
import { decodeInputs, outputOf, resolveOutputs } from '../infer-request.js';
import type { RequestTensor } from '../infer-request.js';
import type { TensorSpec } from '../runtime.js';
import { DATATYPES, InputError, asBytes, describeValue, jsonDataText, numel } from '../tensors.js';
import type { V2Datatype } from '../tensors.js';
import { scannedData } from './parsers.js';
import { INFER_SCHEMA } from './schemas.js';
import type { InferBody } from './schemas.js';

type ModelParams = { Params: { name: string; version?: string } };

/** The binary part of a request (after its JSON header), kept beside the request. */
const binaryParts = new WeakMap<FastifyRequest, Buffer>();

/**
 * The binary data extension: a JSON header of Inference-Header-Content-Length bytes, then the
 * tensors' raw bytes. Split before validation so the header is validated like JSON.
 */
function splitBinary(req: FastifyRequest): void {
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
}

/**
 * The request's inputs as the shared decoder takes them: binary parts cut by their sizes, JSON
 * data arrays read from the body's bytes put back in place.
 */
function requestTensors(
  body: InferBody,
  binary: Buffer | undefined,
  scanned: Map<number, Float64Array> | undefined,
): RequestTensor[] {
  let offset = 0;
  const tensors = body.inputs.map((input, i): RequestTensor => {
    const f = `inputs[${i}]`;
    const t: RequestTensor = {
      name: input.name,
      shape: input.shape,
      datatype: input.datatype,
      data: scanned?.get(i) ?? input.data,
      field: f,
      dataField: `${f}.data`,
      rawField: `${f} (binary)`,
    };
    const size = input.parameters?.binary_data_size;
    if (size === undefined) return t;
    const field = `${f}.parameters.binary_data_size`;
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
    return t;
  });
  if (binary && offset !== binary.length) {
    throw new InputError(
      'body',
      `the binary part has ${binary.length} bytes but the inputs use ${offset}`,
    );
  }
  return tensors;
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
    schema: {
      body: {
        content: {
          'application/json': { schema: INFER_SCHEMA },
          'application/octet-stream': { schema: INFER_SCHEMA },
        },
      },
    },
    // Callback style: no promise per request on the hot path.
    preValidation: (req: FastifyRequest, _reply: FastifyReply, done: (e?: Error) => void) => {
      try {
        splitBinary(req);
      } catch (e) {
        done(e as Error);
        return;
      }
      done();
    },
  };
  const infer = async (req: FastifyRequest<ModelParams>, reply: FastifyReply) => {
    const m = core.modelFor(req.params.name, req.params.version);
    const body = req.body as InferBody;
    const feeds = decodeInputs(m, requestTensors(body, binaryParts.get(req), scannedData.get(req)));
    const wanted = resolveOutputs(m, body.outputs);
    const result = await core.infer(m, feeds);

    // The reply is written as text directly: no array of numbers, no generic serialiser walk.
    const binaryAll = body.parameters?.binary_data_output === true;
    const chunks: Uint8Array[] = [];
    let text = `{"model_name":${JSON.stringify(m.name)},"model_version":${JSON.stringify(m.version)}`;
    if (body.id !== undefined) text += `,"id":${JSON.stringify(body.id)}`;
    text += ',"outputs":[';
    wanted.forEach((name, i) => {
      const t = outputOf(result.outputs, name);
      const spec = m.outputs.find((s) => s.name === name) as TensorSpec;
      const head = `${i ? ',' : ''}{"name":${JSON.stringify(t.name)},"datatype":"${spec.datatype}","shape":[${t.dims.join(',')}]`;
      const asked = body.outputs?.[i]?.parameters?.binary_data;
      if (asked === true || (binaryAll && asked !== false)) {
        const bytes = asBytes(t.data);
        chunks.push(bytes);
        text += `${head},"parameters":{"binary_data_size":${bytes.byteLength}}}`;
      } else {
        text += `${head},"data":${jsonDataText(t.data, spec.datatype as V2Datatype)}}`;
      }
    });
    text += ']}';
    if (chunks.length === 0) return reply.type('application/json; charset=utf-8').send(text);
    const header = Buffer.from(text, 'utf8');
    return reply
      .header('Inference-Header-Content-Length', String(header.length))
      .type('application/octet-stream')
      .send(Buffer.concat([header, ...chunks]));
  };
  app.post<ModelParams>('/v2/models/:name/infer', inferRoute, infer);
  app.post<ModelParams>('/v2/models/:name/versions/:version/infer', inferRoute, infer);
}
