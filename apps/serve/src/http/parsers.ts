/**
 * Body parsers: JSON with the parser's own message on failure; raw bytes for PNGs and the v2
 * binary tensor data extension (split into header and tensors by the infer route).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.js';

/** The body parsers for the whole server (JSON, PNG, the binary extension). */
export const bodyParsers = fp(
  (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      const text = body as string;
      if (text.trim() === '') {
        done(
          new HttpError(400, 'malformed_json', 'body: empty, expected a JSON object'),
          undefined,
        );
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
  },
  { name: 'gd-serve-parsers' },
);
