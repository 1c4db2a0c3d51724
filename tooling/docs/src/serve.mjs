// A static file server for the built reference, on 127.0.0.1 only.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
};

function fileFor(root, url) {
  const path = decodeURIComponent(new URL(url, 'http://x').pathname);
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return fileFor(root, join(path, 'index.html'));
    return stat.isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Serves `root` on 127.0.0.1:`port` (0: any free port) and prints the URL; resolves with the
 * server once it listens.
 */
export function serveStatic(root, port) {
  const server = createServer((req, res) => {
    const file =
      req.method === 'GET' || req.method === 'HEAD' ? fileFor(root, req.url ?? '/') : null;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => {
      // The port is taken: any free one will do.
      if (err.code === 'EADDRINUSE' && port !== 0) server.listen(0, '127.0.0.1');
      else reject(err);
    });
    server.listen(port, '127.0.0.1', () => {
      console.log(`API reference: http://127.0.0.1:${server.address().port}/ (Ctrl-C stops)`);
      resolve(server);
    });
  });
}
