/**
 * Body parsers: JSON with the parser's own message on failure (infer requests' data arrays read
 * straight from the bytes); raw bytes for PNGs; the v2 binary tensor data extension split into
 * its JSON header (the body, validated like JSON) and the tensors' bytes beside it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.js';
import { parseInferJson } from './infer-json.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The v2 infer routes: JSON bodies scanned for data arrays, octet-stream split in two. */
    inferBody?: boolean;
  }
  interface FastifyRequest {
    /**
     * The `inputs[i].data` numbers of a JSON infer request, by input position, read from the
     * bytes (their place in the parsed body holds an empty array); null when none were.
     */
    scannedData: Map<number, Float64Array> | null;
    /** The binary part of a binary-extension infer request (after its JSON header), or null. */
    binaryPart: Buffer | null;
  }
}

/** The media type of a request as sent, without parameters. */
function mediaType(req: FastifyRequest): string | undefined {
  const contentType = req.headers['content-type'];
  return contentType === 'application/octet-stream'
    ? contentType
    : contentType?.split(';')[0]?.trim();
}

/** The answer to an infer request whose body is bytes but not the binary extension. */
function notBinaryExtension(req: FastifyRequest): HttpError {
  return new HttpError(
    415,
    'unsupported_media_type',
    `Content-Type: ${JSON.stringify(mediaType(req) ?? '')} is not accepted; send application/json (or application/octet-stream with Inference-Header-Content-Length)`,
  );
}

/**
 * The binary data extension: a JSON header of Inference-Header-Content-Length bytes, then the
 * tensors' raw bytes (kept as `req.binaryPart`). Returns the parsed header.
 */
function splitBinary(req: FastifyRequest, bytes: Buffer): unknown {
  if (mediaType(req) !== 'application/octet-stream') throw notBinaryExtension(req);
  const lengthHeader = req.headers['inference-header-content-length'];
  const headerLength = Number(Array.isArray(lengthHeader) ? lengthHeader[0] : lengthHeader);
  if (
    lengthHeader === undefined ||
    !Number.isInteger(headerLength) ||
    headerLength < 0 ||
    headerLength > bytes.length
  ) {
    throw new HttpError(
      400,
      'malformed_request',
      `Inference-Header-Content-Length: expected the byte length of the JSON header (0..${bytes.length}), got ${JSON.stringify(lengthHeader ?? null)}`,
    );
  }
  req.binaryPart = bytes.subarray(headerLength);
  return parseHeader(bytes, headerLength);
}

/** Headers up to this many bytes are kept (a tensor's name, shape and datatype take ~150). */
const MAX_KEPT_HEADER = 4096;
/** The last binary request's JSON header: its bytes and its parsed (frozen) value. */
let lastHeader: { bytes: Buffer; value: unknown } | undefined;

/**
 * Parses a binary request's JSON header. A client sends the same header with every tensor of one
 * shape, so the last one is kept: the same bytes again give the same (deeply frozen: requests
 * only read it) value without JSON.parse, which costs more than the rest of the header's handling.
 */
function parseHeader(bytes: Buffer, headerLength: number): unknown {
  const last = lastHeader;
  if (
    last &&
    last.bytes.length === headerLength &&
    last.bytes.compare(bytes, 0, headerLength) === 0
  )
    return last.value;
  const header = bytes.toString('utf8', 0, headerLength);
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch (e) {
    throw new HttpError(
      400,
      'malformed_json',
      `body: malformed JSON header (${(e as Error).message})`,
    );
  }
  if (headerLength <= MAX_KEPT_HEADER)
    lastHeader = { bytes: Buffer.from(bytes.subarray(0, headerLength)), value: deepFreeze(value) };
  return value;
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Whether a body is empty or only JSON whitespace. */
function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/** The body parsers for the whole server (JSON, PNG, the binary extension). */
export const bodyParsers = fp(
  (app: FastifyInstance) => {
    // Request decorations (declared, not added per request: every request keeps one shape).
    app.decorateRequest('scannedData', null);
    app.decorateRequest('binaryPart', null);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
      const bytes = body as Buffer;
      if (isBlank(bytes)) {
        done(
          new HttpError(400, 'malformed_json', 'body: empty, expected a JSON object'),
          undefined,
        );
        return;
      }
      try {
        // Infer requests: their data arrays straight from the bytes (JSON.parse for the rest).
        if (req.routeOptions.config.inferBody === true) {
          const scanned = parseInferJson(bytes);
          if (scanned.data.size > 0) req.scannedData = scanned.data;
          done(null, scanned.body);
          return;
        }
        done(null, JSON.parse(bytes.toString('utf8')));
      } catch (e) {
        done(
          new HttpError(400, 'malformed_json', `body: malformed JSON (${(e as Error).message})`),
          undefined,
        );
      }
    });
    // PNGs for the digit endpoint; infer requests take JSON or the binary extension only.
    app.addContentTypeParser('image/png', { parseAs: 'buffer' }, (req, body, done) => {
      if (req.routeOptions.config.inferBody === true) done(notBinaryExtension(req), undefined);
      else done(null, body);
    });
    // The binary extension: the JSON header parsed here (validated like a JSON body), the
    // tensors' bytes kept beside it for the infer route.
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer' },
      (req, body, done) => {
        if (req.routeOptions.config.inferBody !== true) {
          done(null, body);
          return;
        }
        try {
          done(null, splitBinary(req, body as Buffer));
        } catch (e) {
          done(e as Error, undefined);
        }
      },
    );
  },
  { name: 'gd-serve-parsers' },
);
