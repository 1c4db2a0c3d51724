/**
 * One way to answer an error over HTTP (`{ error }`, a status, a metrics kind) and the handlers
 * that turn every thrown error, Fastify's own included, into it.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { QueueFullError, ShuttingDownError } from '../batcher.js';
import type { ServeCore } from '../core.js';
import { HttpError } from '../errors.js';
import { InputError } from '../tensors.js';
import { formatValidation } from './schemas.js';
import type { AjvError } from './schemas.js';

/** Answers `{ error: message }` with the status, counting it under `kind`. */
export function sendError(
  core: ServeCore,
  reply: FastifyReply,
  status: number,
  kind: string,
  message: string,
) {
  core.errors.inc({ kind });
  if (status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="gd-serve"');
  if (status === 503) void reply.header('Retry-After', '1');
  return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
}

/** The error and not-found handlers (for the whole server). */
export const errorHandling = fp(
  (app: FastifyInstance, opts: { core: ServeCore; bodyLimit: number }) => {
    const { core } = opts;
    app.setErrorHandler(
      (err: FastifyError & { validation?: AjvError[]; validationContext?: string }, req, reply) => {
        if (err.validation) {
          return sendError(
            core,
            reply,
            400,
            'invalid_input',
            formatValidation(err.validation, err.validationContext ?? 'body'),
          );
        }
        if (err instanceof HttpError)
          return sendError(core, reply, err.statusCode, err.kind, err.message);
        if (err instanceof InputError) return sendError(core, reply, 400, err.kind, err.message);
        if (err instanceof QueueFullError)
          return sendError(core, reply, 503, 'queue_full', err.message);
        if (err instanceof ShuttingDownError)
          return sendError(core, reply, 503, 'shutting_down', err.message);
        switch (err.code) {
          case 'FST_ERR_CTP_BODY_TOO_LARGE':
            return sendError(
              core,
              reply,
              413,
              'body_too_large',
              `body: larger than the limit of ${opts.bodyLimit} bytes`,
            );
          case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
            return sendError(
              core,
              reply,
              415,
              'unsupported_media_type',
              `Content-Type: ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted; send application/json${req.url.endsWith('/predict') ? ' or image/png' : ' (or application/octet-stream with Inference-Header-Content-Length)'}`,
            );
          case 'FST_ERR_CTP_EMPTY_JSON_BODY':
            return sendError(
              core,
              reply,
              400,
              'malformed_json',
              'body: empty, expected a JSON object',
            );
          case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
            return sendError(
              core,
              reply,
              400,
              'malformed_request',
              'body: its size does not match Content-Length',
            );
        }
        if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
          return sendError(core, reply, err.statusCode, 'bad_request', err.message);
        }
        core.options.log(`error: ${err.stack ?? err.message}`);
        return sendError(core, reply, 500, 'internal', `internal error: ${err.message}`);
      },
    );
    app.setNotFoundHandler((req, reply) =>
      sendError(core, reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`),
    );
  },
  { name: 'gd-serve-errors' },
);
