/**
 * Floor (a) of the serving benchmark: a bare Fastify route that reads the same request body as
 * the infer endpoint (JSON as a string, binary as bytes) and answers a reply of the same size,
 * with no validation, no model and no worker. Run as its own process, like gd-serve.
 *
 * Usage: node floor-server.js <replies.json>  (prints "listening on <url>" on stderr)
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const replies = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as {
  json: string;
  binaryHeader: string;
  binaryTail: string;
};
const binary = Buffer.concat([
  Buffer.from(replies.binaryHeader),
  Buffer.from(replies.binaryTail, 'base64'),
]);
const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) =>
  done(null, body),
);
app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_r, body, done) =>
  done(null, body),
);
app.post('/v2/models/mnist/infer', async (req, reply) => {
  if (Buffer.isBuffer(req.body)) {
    return reply
      .header('Inference-Header-Content-Length', String(Buffer.byteLength(replies.binaryHeader)))
      .type('application/octet-stream')
      .send(binary);
  }
  return reply.type('application/json; charset=utf-8').send(replies.json);
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`listening on ${url}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
