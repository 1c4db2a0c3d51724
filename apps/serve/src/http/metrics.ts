/**
 * HTTP metrics (latency and count by route and status, requests in flight) and `GET /metrics`,
 * which renders these with the core's model metrics.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServeCore } from '../core.js';
import { Counter, Gauge, Histogram, Registry } from '../metrics.js';

/** Requests being handled now (read by the server's `inFlight()` and by the gauge). */
export interface InFlight {
  count: number;
}

/** The HTTP metrics hooks and `GET /metrics`, for the whole server. */
export const httpMetrics = fp(
  (app: FastifyInstance, opts: { core: ServeCore; inFlight: InFlight }) => {
    const { core, inFlight } = opts;
    const registry = core.registry;
    const requestSeconds = registry.add(
      new Histogram(
        'gd_serve_request_duration_seconds',
        'HTTP request latency by route and status code.',
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ),
    );
    const requests = registry.add(
      new Counter('gd_serve_requests_total', 'HTTP requests by route and status code.'),
    );
    registry.add(
      new Gauge('gd_serve_requests_in_flight', 'HTTP requests being handled.', () => [
        { labels: {}, value: inFlight.count },
      ]),
    );
    // Callback-style hooks: no promise per request on the hot path, and functions made once
    // (a response emits 'close' once: a plain listener, no wrapper to remove it).
    const responseClosed = () => inFlight.count--;
    app.addHook('onRequest', (_req, reply, done) => {
      inFlight.count++;
      reply.raw.on('close', responseClosed);
      done();
    });
    // One label object per route and status, so the metrics look it up instead of rebuilding it.
    const labelSets = new Map<string, Map<number, { route: string; code: string }>>();
    app.addHook('onResponse', (req, reply, done) => {
      const route = req.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      let byStatus = labelSets.get(route);
      if (!byStatus) {
        byStatus = new Map();
        labelSets.set(route, byStatus);
      }
      let labels = byStatus.get(status);
      if (!labels) {
        labels = { route, code: String(status) };
        byStatus.set(status, labels);
      }
      requests.inc(labels);
      requestSeconds.observe(labels, reply.elapsedTime / 1000);
      done();
    });
    app.get('/metrics', async (_req, reply) =>
      reply.type(Registry.contentType).send(await core.metricsText()),
    );
  },
  { name: 'gd-serve-metrics' },
);
