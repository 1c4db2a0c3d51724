/**
 * A deadline for the request body: a client that sends headers and then stalls mid-body gets a
 * 408 naming the limit and is disconnected, so stalled clients cannot hold connections and
 * buffers forever. (Node's own `requestTimeout` does not fire once a request reaches a
 * handler that is still reading its body, so the deadline is kept here.)
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServeCore } from '../core.js';

const TIMEOUT_LABELS = { kind: 'request_timeout' };

/** The body deadline as an onRequest hook for the whole server. */
export const bodyDeadline = fp(
  (app: FastifyInstance, opts: { core: ServeCore; timeoutMs: number }) => {
    const { core, timeoutMs } = opts;
    const message = JSON.stringify({
      error: `body: not received within ${timeoutMs} ms (--request-timeout-ms); closing the connection`,
    });
    const response = `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`;
    const expire = (raw: IncomingMessage) => {
      if (raw.complete) return;
      core.errors.inc(TIMEOUT_LABELS);
      const socket = raw.socket;
      if (!socket.destroyed) {
        // Written on the socket directly: the reply object belongs to a handler that is
        // still waiting for the body, and the connection is closed right after.
        socket.end(response);
        socket.destroySoon();
      }
    };
    app.addHook('onRequest', (req, _reply, done) => {
      const raw = req.raw;
      const hasBody =
        (raw.headers['content-length'] !== undefined && raw.headers['content-length'] !== '0') ||
        raw.headers['transfer-encoding'] !== undefined;
      if (!hasBody || raw.complete) {
        done();
        return;
      }
      const timer = setTimeout(expire, timeoutMs, raw);
      timer.unref();
      // A request emits 'close' once it is answered or its connection goes (after its body's
      // 'end'): one listener drops the deadline, as `expire` ignores a body that arrived.
      raw.on('close', () => clearTimeout(timer));
      done();
    });
  },
  { name: 'gd-serve-body-deadline' },
);
