import { fromTypedArray, setBackend, webgpuBackend } from './dist/index.js';
setBackend('webgpu');
const n = Number(process.argv[2]) / 4;
const a = new Float32Array(n); for (let i = 0; i < n; i += 1) a[i] = i % 1000;
const t0 = performance.now();
const x = fromTypedArray(a, [n]);
try {
  const y = x.add(1);
  const d = await y.dataAsync();
  console.log('ok', d[n - 1], (performance.now() - t0).toFixed(0), 'ms', process.memoryUsage().rss / 1e6 | 0, 'MB rss');
} catch (e) { console.log('error:', e.message); }
process.exit(0);
