/**
 * Body parsers: JSON with the parser's own message on failure; raw bytes for PNGs and the v2
 * binary tensor data extension (split into header and tensors by the infer route).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.js';
import { parseInferJson } from './infer-json.js';

declare module 'fastify' {
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

/** The v2 infer routes (with or without a version, before any query string). */
const INFER_PATH = /^\/v2\/models\/[^?]+\/infer(?:\?|$)/;

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
        if (INFER_PATH.test(req.url)) {
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
    app.addContentTypeParser(
      ['image/png', 'application/octet-stream'],
      { parseAs: 'buffer' },
      (_req, body, done) => done(null, body),
    );
  },
  { name: 'gd-serve-parsers' },
);
