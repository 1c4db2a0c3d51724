/**
 * The MNIST case study: the page's side of training (controls, live charts, weight tiles,
 * confusion matrix, downloads), and the trained model tried on a drawing canvas in
 * onnxruntime-web, after checking that its outputs match gd's.
 */
import type * as Ort from 'onnxruntime-web';
import type { EpochRecord } from '@gd/trainer';
import { confusionTable, drawTiles, lineChart } from './charts.js';
import { MNIST_SIDE as SIDE, rgbaToInk, toMnistLayout } from '@gd/datasets/drawing';
import type { FromWorker, LayerWeights, ModelCheck, TrainConfig, ToWorker } from './protocol.js';
import { DEVICES, MNIST_MEAN, MNIST_STD, MODELS, OPTIMIZERS, SCHEDULES } from './protocol.js';

const $ = <T extends Element>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as unknown as T;
};

/** What the charts show, reset at each run. */
interface RunState {
  trace: [number, number][];
  epochs: EpochRecord[];
}

let ortModule: Promise<typeof Ort> | null = null;

/** onnxruntime-web, served by the studio under /ort/ (no CDN). */
function loadOrt(): Promise<typeof Ort> {
  ortModule ??= (async () => {
    const url = '/ort/ort.wasm.min.mjs';
    const ort = (await import(/* @vite-ignore */ url)) as typeof Ort;
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = 1; // the cores are training
    return ort;
  })();
  return ortModule;
}

function fillSelect(
  select: HTMLSelectElement,
  options: Record<string, string>,
  value: string,
): void {
  for (const [k, label] of Object.entries(options))
    select.add(new Option(label, k, false, k === value));
}

function readConfig(): TrainConfig {
  const num = (id: string): number => Number($<HTMLInputElement>(id).value);
  const int = (id: string, lo: number, hi: number): number => {
    const v = num(id);
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new Error(`${id}: expected an integer from ${lo} to ${hi}`);
    return v;
  };
  const lr = num('lr');
  if (!(lr > 0 && lr < 10)) throw new Error('learning rate: expected a number between 0 and 10');
  return {
    model: $<HTMLSelectElement>('model').value as TrainConfig['model'],
    device: $<HTMLSelectElement>('device').value as TrainConfig['device'],
    optimizer: $<HTMLSelectElement>('optimizer').value as TrainConfig['optimizer'],
    lr,
    schedule: $<HTMLSelectElement>('schedule').value as TrainConfig['schedule'],
    batchSize: int('batch-size', 1, 4096),
    trainSize: int('train-size', 100, 60000),
    testSize: int('test-size', 100, 10000),
    epochs: int('epochs', 1, 50),
    seed: 0,
    weightsEvery: 10,
  };
}

function drawWeights(w: LayerWeights): void {
  const canvas = $<HTMLCanvasElement>('tiles');
  const [out] = w.shape as [number];
  const count = Math.min(out, 32);
  const tiles: Float32Array[] = [];
  let h: number;
  let wd: number;
  if (w.kind === 'linear' && w.shape[1] === SIDE * SIDE) {
    [h, wd] = [SIDE, SIDE];
    for (let k = 0; k < count; k++) tiles.push(w.data.subarray(k * 784, (k + 1) * 784));
  } else if (w.kind === 'conv') {
    const [, cin, kh, kw] = w.shape as [number, number, number, number];
    [h, wd] = [kh, kw];
    for (let k = 0; k < count; k++)
      tiles.push(w.data.subarray(k * cin * kh * kw, k * cin * kh * kw + kh * kw));
  } else {
    return;
  }
  drawTiles(canvas, tiles, h, wd, w.kind === 'linear' ? Math.min(count, 10) : 8);
  canvas.dataset.step = String(w.step);
  const what =
    w.kind === 'linear'
      ? `first Linear layer, ${count} of ${out} units as 28×28 images`
      : `first Conv2d layer, ${count} of ${out} ${h}×${wd} kernels`;
  $<HTMLElement>('tiles-caption').textContent =
    `${what}, after step ${w.step} (red positive, blue negative)`;
}

function drawCharts(run: RunState): void {
  lineChart(
    $<SVGSVGElement>('loss-chart'),
    [
      { name: 'train loss', color: '#1565c0', points: run.trace },
      {
        name: 'test loss',
        color: '#c62828',
        points: run.epochs.filter((r) => r.valLoss !== null).map((r) => [r.epoch, r.valLoss!]),
        dots: true,
      },
    ],
    { xLabel: 'epoch', yLabel: 'loss' },
  );
  lineChart(
    $<SVGSVGElement>('acc-chart'),
    [
      {
        name: 'train accuracy',
        color: '#1565c0',
        points: run.epochs.map((r) => [r.epoch, r.trainAccuracy]),
        dots: true,
      },
      {
        name: 'test accuracy',
        color: '#c62828',
        points: run.epochs
          .filter((r) => r.valAccuracy !== null)
          .map((r) => [r.epoch, r.valAccuracy!]),
        dots: true,
      },
    ],
    { xLabel: 'epoch', yLabel: 'accuracy' },
  );
}

/** A download link for `bytes`. */
function offer(id: string, bytes: Uint8Array, name: string): void {
  const a = $<HTMLAnchorElement>(id);
  if (a.href.startsWith('blob:')) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  a.download = name;
  a.textContent = `${name} (${(bytes.length / 1024).toFixed(0)} KiB)`;
  a.hidden = false;
}

/** Numerically stable softmax of a row of logits. */
function softmax(v: readonly number[]): number[] {
  const max = Math.max(...v);
  const e = v.map((x) => Math.exp(x - max));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

/** Index of the largest value (the first on ties). */
function argmax(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** Runs the ONNX model on the check images in onnxruntime-web and compares with gd's logits. */
async function checkOnnx(
  session: Ort.InferenceSession,
  ort: typeof Ort,
  check: ModelCheck,
): Promise<void> {
  const input = new ort.Tensor('float32', check.inputs, [check.count, 1, SIDE, SIDE]);
  const out = await session.run({ [session.inputNames[0]!]: input });
  const logits = out[session.outputNames[0]!]!.data as Float32Array;
  let maxDiff = 0;
  let agree = 0;
  for (let i = 0; i < check.count; i++) {
    const a = Array.from(logits.subarray(i * 10, i * 10 + 10));
    const b = Array.from(check.logits.subarray(i * 10, i * 10 + 10));
    for (let j = 0; j < 10; j++) maxDiff = Math.max(maxDiff, Math.abs(a[j]! - b[j]!));
    if (argmax(a) === argmax(b)) agree++;
  }
  const el = $<HTMLElement>('onnx-check');
  el.dataset.maxDiff = String(maxDiff);
  el.dataset.agree = String(agree);
  el.dataset.count = String(check.count);
  el.textContent = `The exported model in onnxruntime-web, on ${check.count} test images: the same predicted digit for ${agree} of ${check.count}; largest |gd − onnxruntime| logit difference ${maxDiff.toExponential(1)}.`;
}

/** The drawing canvas: white ink on black, predicted by the session on each stroke. */
function drawingPad(
  getSession: () => { ort: typeof Ort; session: Ort.InferenceSession } | null,
): void {
  const pad = $<HTMLCanvasElement>('pad');
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  const clear = (): void => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, pad.width, pad.height);
  };
  clear();
  let drawing = false;
  const at = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [
      ((e.clientX - r.left) * pad.width) / r.width,
      ((e.clientY - r.top) * pad.height) / r.height,
    ];
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    const [x, y] = at(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const [x, y] = at(e);
    Object.assign(ctx, { strokeStyle: '#fff', lineWidth: 20, lineCap: 'round', lineJoin: 'round' });
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const predict = async (): Promise<void> => {
    const s = getSession();
    if (!s) return;
    const rgba = ctx.getImageData(0, 0, pad.width, pad.height).data;
    const x = toMnistLayout(rgbaToInk(rgba, pad.width, pad.height), pad.width, pad.height);
    const preview = $<HTMLCanvasElement>('pad-preview').getContext('2d')!;
    const img = preview.createImageData(SIDE, SIDE);
    x.forEach((v, i) => img.data.set([v * 255, v * 255, v * 255, 255], 4 * i));
    preview.putImageData(img, 0, 0);
    const input = new s.ort.Tensor(
      'float32',
      x.map((v) => (v - MNIST_MEAN) / MNIST_STD),
      [1, 1, SIDE, SIDE],
    );
    const out = await s.session.run({ [s.session.inputNames[0]!]: input });
    const probs = softmax(Array.from(out[s.session.outputNames[0]!]!.data as Float32Array));
    const label = argmax(probs);
    const el = $<HTMLElement>('pad-label');
    el.textContent = String(label);
    el.dataset.label = String(label);
    el.dataset.seq = String(Number(el.dataset.seq ?? 0) + 1);
    const bars = $<HTMLOListElement>('pad-bars');
    bars.replaceChildren(
      ...probs.map((p, d) => {
        const li = document.createElement('li');
        li.innerHTML = `<span>${d}</span><meter min="0" max="1" value="${p.toFixed(4)}"></meter><span>${(100 * p).toFixed(1)}%</span>`;
        return li;
      }),
    );
  };
  const end = (): void => {
    if (!drawing) return;
    drawing = false;
    void predict();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  pad.addEventListener('predict', () => void predict());
  $<HTMLButtonElement>('clear-pad').addEventListener('click', () => {
    clear();
    $<HTMLElement>('pad-label').textContent = '–';
    $<HTMLOListElement>('pad-bars').replaceChildren();
  });
}

/** Sets up the case study: the worker, the controls and the canvas. */
export function caseStudy(): void {
  fillSelect($<HTMLSelectElement>('model'), MODELS, 'logistic');
  fillSelect($<HTMLSelectElement>('device'), DEVICES, 'wasm');
  // WebGPU only where the browser has it (the worker checks for an adapter when asked)
  if (!('gpu' in navigator))
    $<HTMLSelectElement>('device').querySelector<HTMLOptionElement>('[value=webgpu]')!.disabled =
      true;
  fillSelect(
    $<HTMLSelectElement>('optimizer'),
    Object.fromEntries(Object.entries(OPTIMIZERS).map(([k, v]) => [k, v.label])),
    'sgd',
  );
  fillSelect(
    $<HTMLSelectElement>('schedule'),
    Object.fromEntries(SCHEDULES.map((s) => [s, s])),
    'none',
  );
  const optimizer = $<HTMLSelectElement>('optimizer');
  optimizer.addEventListener('change', () => {
    $<HTMLInputElement>('lr').value = String(
      OPTIMIZERS[optimizer.value as keyof typeof OPTIMIZERS].lr,
    );
  });
  const status = $<HTMLElement>('train-status');
  const start = $<HTMLButtonElement>('start');
  const stop = $<HTMLButtonElement>('stop');
  const setStatus = (text: string, state: string): void => {
    status.textContent = text;
    status.dataset.state = state;
  };
  let run: RunState = { trace: [], epochs: [] };
  let trained: { ort: typeof Ort; session: Ort.InferenceSession } | null = null;
  drawingPad(() => trained);
  drawCharts(run);

  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const send = (m: ToWorker): void => worker.postMessage(m);
  worker.addEventListener('error', (e) =>
    setStatus(`The training worker failed: ${e.message}`, 'error'),
  );
  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    switch (m.type) {
      case 'status':
        if (m.backend)
          $<HTMLElement>('backend').textContent =
            m.backend === 'webgpu'
              ? 'WebGPU'
              : `${m.backend === 'wasm' ? 'WebAssembly' : m.backend}, ${m.threads} thread(s)${crossOriginIsolated ? ', cross-origin isolated' : ''}`;
        setStatus(
          m.text,
          status.dataset.state === 'training'
            ? 'training'
            : m.text.startsWith('Ready')
              ? 'idle'
              : 'training',
        );
        break;
      case 'batch': {
        const { epoch, batch, batches, loss, accuracy, lr } = m.info;
        const acc = accuracy === null ? '…' : `${(accuracy * 100).toFixed(1)}%`;
        $<HTMLElement>('progress').textContent =
          `epoch ${epoch}, batch ${batch}/${batches}, loss ${loss?.toFixed(4) ?? '…'}, accuracy ${acc}, lr ${lr.toPrecision(3)}`;
        break;
      }
      case 'trace':
        run.trace.push([m.x, m.loss]);
        drawCharts(run);
        break;
      case 'epoch':
        run.epochs.push(m.record);
        drawCharts(run);
        break;
      case 'weights':
        drawWeights(m.weights);
        break;
      case 'done':
        void finished(m);
        break;
      case 'error':
        setStatus(`Error: ${m.message}`, 'error');
        start.disabled = false;
        stop.disabled = true;
        break;
    }
  });

  async function finished(m: Extract<FromWorker, { type: 'done' }>): Promise<void> {
    const ev = m.evaluation;
    confusionTable($<HTMLTableElement>('confusion'), ev.confusion);
    const final = $<HTMLElement>('final');
    final.dataset.accuracy = String(ev.accuracy);
    final.textContent = `${m.stopped ? 'Stopped' : 'Finished'} after ${m.step} steps (${m.seconds.toFixed(1)} s): test accuracy ${(100 * ev.accuracy).toFixed(2)}% (${ev.correct} of ${ev.total}), loss ${ev.loss.toFixed(4)}; ${m.parameters.toLocaleString('en')} parameters.`;
    offer('download-weights', m.safetensors, 'model.safetensors');
    offer('download-onnx', m.onnx, 'model.onnx');
    try {
      const ort = await loadOrt();
      const session = await ort.InferenceSession.create(m.onnx, { executionProviders: ['wasm'] });
      await checkOnnx(session, ort, m.check);
      trained = { ort, session };
      $<HTMLElement>('try').hidden = false;
      setStatus(
        m.stopped ? 'Stopped: the model so far is ready below.' : 'Done: the model is ready below.',
        'done',
      );
    } catch (e) {
      setStatus(
        `The exported model did not load in onnxruntime-web: ${(e as Error).message}`,
        'error',
      );
    }
    start.disabled = false;
    stop.disabled = true;
  }

  start.addEventListener('click', () => {
    let config: TrainConfig;
    try {
      config = readConfig();
    } catch (e) {
      setStatus((e as Error).message, 'error');
      return;
    }
    run = { trace: [], epochs: [] };
    drawCharts(run);
    $<HTMLTableElement>('confusion').replaceChildren();
    $<HTMLElement>('final').textContent = '';
    $<HTMLElement>('onnx-check').textContent = '';
    start.disabled = true;
    stop.disabled = false;
    setStatus('Starting…', 'training');
    send({ type: 'train', config });
  });
  stop.addEventListener('click', () => {
    stop.disabled = true;
    send({ type: 'stop' });
  });
}
