/**
 * The drawing page: a canvas, the model run in the browser by onnxruntime-web (WebGPU where the
 * browser has it, else WebAssembly), or on the server through POST /v1/models/<name>/predict.
 * Served as /static/app.js; onnxruntime-web's files come from the server under /ort/.
 */
import type * as Ort from 'onnxruntime-web';
import { argmax, normalize, rgbaToInk, SIDE, toMnist, toProbabilities } from './preprocess.js';

interface PageModel {
  name: string;
  version: string;
  ready: boolean;
  execution_provider?: string;
  inputs?: { name: string; datatype: string; shape: number[] }[];
  outputs?: { name: string; datatype: string; shape: number[] }[];
  mean?: number[];
  std?: number[];
  labels?: string[];
  predict: boolean;
  onnx: string;
}

interface Prediction {
  probabilities: number[];
  label: number;
  source: string;
  ms: number;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const pad = $<HTMLCanvasElement>('pad');
const preview = $<HTMLCanvasElement>('preview');
const ctx = pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
const statusEl = $<HTMLParagraphElement>('status');
const labelEl = $<HTMLDivElement>('label');
const confidenceEl = $<HTMLDivElement>('confidence');
const bars = $<HTMLOListElement>('bars');
const useServer = $<HTMLInputElement>('use-server');
const whereEl = $<HTMLSpanElement>('where');
const modelSelect = $<HTMLSelectElement>('model');
const apiKeyRow = $<HTMLParagraphElement>('api-key-row');
const apiKeyInput = $<HTMLInputElement>('api-key');

let models: PageModel[] = [];
let current: PageModel | undefined;
let session: Ort.InferenceSession | undefined;
const sessions = new Map<string, { session: Ort.InferenceSession; backend: string }>();
let ort: typeof Ort | undefined;
let backend = '';
let drawn = false;
let predictSeq = 0;

function setStatus(text: string, state: 'loading' | 'ready' | 'busy' | 'error'): void {
  statusEl.textContent = text;
  statusEl.dataset.state = state;
}

function authHeaders(): Record<string, string> {
  const key = apiKeyInput.value.trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(path, {
    ...init,
    headers: { ...authHeaders(), ...(init.headers ?? {}) },
  });
  if (res.status === 401) {
    apiKeyRow.hidden = false;
    throw new Error('the server wants an API key: enter it below');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  }
  return res;
}

// ---- drawing ---------------------------------------------------------------------------
function clearPad(): void {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  drawn = false;
  labelEl.textContent = '–';
  labelEl.dataset.label = '';
  confidenceEl.textContent = '';
  renderBars(undefined);
  preview.getContext('2d')?.clearRect(0, 0, SIDE, SIDE);
}

function setupPad(): void {
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  let last: { x: number; y: number } | undefined;
  const point = (e: PointerEvent) => {
    const r = pad.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * pad.width) / r.width,
      y: ((e.clientY - r.top) * pad.height) / r.height,
    };
  };
  pad.addEventListener('pointerdown', (e) => {
    pad.setPointerCapture(e.pointerId);
    last = point(e);
    ctx.beginPath();
    ctx.fillStyle = '#fff';
    ctx.arc(last.x, last.y, 9, 0, Math.PI * 2);
    ctx.fill();
    drawn = true;
  });
  pad.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = point(e);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 18;
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
  });
  const end = () => {
    if (!last) return;
    last = undefined;
    void predict();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
}

// ---- the two ways to predict -------------------------------------------------------------
function modelInput(): Float32Array {
  const { data, width, height } = ctx.getImageData(0, 0, pad.width, pad.height);
  const x = toMnist(rgbaToInk(data, width, height), width, height);
  showPreview(x);
  return x;
}

function showPreview(x: Float32Array): void {
  const p = preview.getContext('2d');
  if (!p) return;
  const img = p.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.round((x[i] as number) * 255);
    img.data.set([v, v, v, 255], i * 4);
  }
  p.putImageData(img, 0, 0);
}

async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

async function loadBrowserSession(m: PageModel): Promise<void> {
  const cached = sessions.get(m.name);
  if (cached) {
    ({ session, backend } = cached);
    return;
  }
  session = undefined;
  setStatus(`Loading ${m.name} into the browser…`, 'loading');
  const webgpu = await hasWebGpu();
  // The WebGPU build also carries the WebAssembly provider; the plain one is smaller.
  const url = webgpu ? '/ort/ort.webgpu.min.mjs' : '/ort/ort.wasm.min.mjs';
  ort = (await import(url)) as typeof Ort;
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = 1;
  const bytes = new Uint8Array(await (await api(m.onnx)).arrayBuffer());
  const tries: string[] = webgpu ? ['webgpu', 'wasm'] : ['wasm'];
  let lastError: unknown;
  for (const ep of tries) {
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: [ep] });
      backend = ep === 'webgpu' ? 'WebGPU' : 'WebAssembly';
      sessions.set(m.name, { session, backend });
      return;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function predictInBrowser(m: PageModel, x: Float32Array): Promise<Prediction> {
  if (!session || !ort) await loadBrowserSession(m);
  const s = session as Ort.InferenceSession;
  const input = m.inputs?.[0];
  if (!input) throw new Error(`model ${m.name} has no input`);
  const dims = input.shape.map((d) => (d < 0 ? 1 : d));
  const t0 = performance.now();
  const feeds = {
    [input.name]: new (ort as typeof Ort).Tensor('float32', normalize(x, m.mean, m.std), dims),
  };
  const out = await s.run(feeds);
  const first = out[s.outputNames[0] as string] as Ort.Tensor;
  const probabilities = toProbabilities(Array.from(first.data as Float32Array));
  return {
    probabilities,
    label: argmax(probabilities),
    source: `browser (${backend})`,
    ms: performance.now() - t0,
  };
}

async function predictOnServer(m: PageModel): Promise<Prediction> {
  const blob = await new Promise<Blob>((resolve, reject) =>
    pad.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob failed'))), 'image/png'),
  );
  const t0 = performance.now();
  const res = await api(`/v1/models/${encodeURIComponent(m.name)}/predict`, {
    method: 'POST',
    headers: { 'Content-Type': 'image/png' },
    body: blob,
  });
  const body = (await res.json()) as { label: number; probabilities: number[] };
  return {
    probabilities: body.probabilities,
    label: body.label,
    source: `server (${m.execution_provider ?? 'onnxruntime-node'})`,
    ms: performance.now() - t0,
  };
}

async function predict(): Promise<void> {
  const m = current;
  if (!m || !drawn) return;
  const seq = ++predictSeq;
  const x = modelInput();
  setStatus('Computing…', 'busy');
  try {
    const p = useServer.checked ? await predictOnServer(m) : await predictInBrowser(m, x);
    if (seq !== predictSeq) return;
    const name = m.labels?.[p.label] ?? String(p.label);
    labelEl.textContent = name;
    labelEl.dataset.label = name;
    labelEl.dataset.source = useServer.checked ? 'server' : 'browser';
    labelEl.dataset.seq = String(seq);
    bars.dataset.probabilities = JSON.stringify(p.probabilities);
    confidenceEl.textContent = `${((p.probabilities[p.label] ?? 0) * 100).toFixed(1)}%`;
    renderBars(p);
    setStatus(`${p.source}: ${p.ms.toFixed(1)} ms`, 'ready');
  } catch (e) {
    if (seq === predictSeq) setStatus((e as Error).message, 'error');
  }
}

function renderBars(p: Prediction | undefined): void {
  const n = current?.outputs?.[0]?.shape.at(-1) ?? 10;
  const count = p?.probabilities.length ?? (n > 0 ? n : 10);
  bars.replaceChildren(
    ...Array.from({ length: count }, (_, i) => {
      const prob = p?.probabilities[i] ?? 0;
      const li = document.createElement('li');
      if (p && i === p.label) li.className = 'top';
      const name = document.createElement('span');
      name.textContent = current?.labels?.[i] ?? String(i);
      const track = document.createElement('span');
      track.className = 'track';
      const fill = document.createElement('span');
      fill.className = 'fill';
      fill.style.display = 'block';
      fill.style.width = `${(prob * 100).toFixed(1)}%`;
      track.append(fill);
      const value = document.createElement('span');
      value.textContent = p ? `${(prob * 100).toFixed(1)}%` : '';
      value.style.textAlign = 'right';
      li.append(name, track, value);
      return li;
    }),
  );
}

function updateWhere(): void {
  whereEl.textContent = useServer.checked ? 'on the server' : 'in this browser';
}

async function selectModel(name: string): Promise<void> {
  current = models.find((m) => m.name === name);
  session = undefined;
  if (!current) return;
  try {
    if (!useServer.checked) await loadBrowserSession(current);
    setStatus(
      useServer.checked
        ? `Ready: ${current.name} on the server (${current.execution_provider ?? '?'})`
        : `Ready: ${current.name} in the browser (${backend})`,
      'ready',
    );
    await predict();
  } catch (e) {
    setStatus((e as Error).message, 'error');
  }
}

async function loadModels(): Promise<void> {
  try {
    const res = await api('/v1/models');
    models = ((await res.json()) as { models: PageModel[] }).models.filter((m) => m.predict);
  } catch (e) {
    setStatus((e as Error).message, 'error');
    return;
  }
  if (models.length === 0) {
    setStatus(
      'No model on this server takes a 28×28 image (yet: reload once it is ready).',
      'error',
    );
    return;
  }
  modelSelect.replaceChildren(
    ...models.map((m) => {
      const o = document.createElement('option');
      o.value = m.name;
      o.textContent = `${m.name} v${m.version}`;
      return o;
    }),
  );
  renderBars(undefined);
  await selectModel((models[0] as PageModel).name);
}

declare global {
  interface Window {
    /** For automation (the end-to-end test): predict what is on the canvas now. */
    gdDigits: { predict(): Promise<void>; clear(): void };
  }
}
window.gdDigits = {
  predict: () => {
    drawn = true;
    return predict();
  },
  clear: clearPad,
};

$<HTMLButtonElement>('clear').addEventListener('click', clearPad);
useServer.addEventListener('change', () => {
  updateWhere();
  if (current) void selectModel(current.name);
});
modelSelect.addEventListener('change', () => void selectModel(modelSelect.value));
apiKeyInput.addEventListener('change', () => void loadModels());
setupPad();
clearPad();
updateWhere();
void loadModels();
