/**
 * Checkpoints: the model's weights in `checkpoint.safetensors` (through @gd/nn's atomic `save`)
 * and the rest of the training state in `checkpoint.json` (optimizer and scheduler state dicts,
 * the random generator's state, the position in the run, the metrics so far), written the same
 * way: temporary file, fsync, rename.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Tensor, fromTypedArray } from '@gd/autograd';
import type { Module } from '@gd/nn';
import { SafetensorsError, loadFile, save } from '@gd/nn/safetensors';
import type { DType } from '@gd/tensor';
import type { EpochRecord, TrainerState } from '@gd/trainer';
import type { ModelName, TrainConfig } from './config.js';
import { UsageError, validateConfig } from './config.js';
import { createModel } from './models.js';

/**
 * Writes bytes or text to `path` atomically: a temporary file in the same directory, flushed to
 * disk with fsync, then renamed over `path` (a crash leaves the old file or the new one).
 *
 * @example
 * ```ts
 * writeFileAtomic('outputs/train/a/checkpoint.json', JSON.stringify(state));
 * ```
 */
export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const dir = dirname(resolve(path));
  mkdirSync(dir, { recursive: true });
  const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // directories cannot be fsynced everywhere; the rename is atomic regardless
  }
}

const TENSOR_TAG = '__tensor__';

interface EncodedTensor {
  [TENSOR_TAG]: { dtype: DType; shape: number[]; data: string };
}

/**
 * Converts a value with Tensors inside (an optimizer state dict) to plain JSON data: each tensor
 * becomes `{ "__tensor__": { dtype, shape, data: base64 of its little-endian bytes } }`, so it
 * round-trips bit for bit. Non-finite numbers are kept as strings.
 *
 * @example
 * ```ts
 * const json = JSON.stringify(encodeState(optimizer.stateDict()));
 * ```
 */
export function encodeState(value: unknown): unknown {
  if (value instanceof Tensor) {
    const src = value.value.data;
    const copy = new (src.constructor as new (a: ArrayLike<number>) => typeof src)(
      src as ArrayLike<number>,
    );
    const bytes = Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength);
    const encoded: EncodedTensor = {
      [TENSOR_TAG]: { dtype: value.dtype, shape: [...value.shape], data: bytes.toString('base64') },
    };
    return encoded;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { __number__: String(value) };
  if (Array.isArray(value)) return value.map(encodeState);
  if (value instanceof Uint8Array) return { __bytes__: Buffer.from(value).toString('base64') };
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeState(v);
    return out;
  }
  return value;
}

const ARRAYS: Partial<Record<DType, new (buf: ArrayBuffer) => ArrayLike<number>>> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
};

/**
 * The inverse of {@link encodeState}.
 *
 * @example
 * ```ts
 * const state = decodeState(JSON.parse(readFileSync('checkpoint.json', 'utf8')));
 * ```
 */
export function decodeState(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeState);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (TENSOR_TAG in obj) {
      const { dtype, shape, data } = obj[TENSOR_TAG] as EncodedTensor[typeof TENSOR_TAG];
      const bytes = Buffer.from(data, 'base64');
      if (dtype === 'bool') {
        return fromTypedArray(Uint8Array.from(bytes), shape).to('bool');
      }
      const Ctor = ARRAYS[dtype];
      if (!Ctor) throw new Error(`unsupported tensor dtype ${String(dtype)}`);
      const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return fromTypedArray(new Ctor(buf as ArrayBuffer) as never, shape);
    }
    if ('__number__' in obj && Object.keys(obj).length === 1) return Number(obj.__number__);
    if ('__bytes__' in obj && Object.keys(obj).length === 1)
      return new Uint8Array(Buffer.from(String(obj.__bytes__), 'base64'));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = decodeState(v);
    return out;
  }
  return value;
}

export type { EpochRecord };

/** Everything besides the weights that `--resume` needs: the trainer's state and the run's. */
export interface TrainingState extends TrainerState {
  format: 'gd-train-checkpoint';
  version: 1;
  config: TrainConfig;
  /** Batches per epoch and training images, to check the data did not change. */
  batchesPerEpoch: number;
  trainImages: number;
}

/** The file names inside a run directory. */
export const FILES = {
  config: 'config.json',
  checkpoint: 'checkpoint.safetensors',
  state: 'checkpoint.json',
  model: 'model.safetensors',
  onnx: 'model.onnx',
  metricsJsonl: 'metrics.jsonl',
  metricsCsv: 'metrics.csv',
  summary: 'summary.json',
  lossPng: 'loss.png',
  accuracyPng: 'accuracy.png',
  weightsPng: 'weights.png',
  confusionPng: 'confusion-matrix.png',
  misclassifiedPng: 'misclassified.png',
} as const;

/** Metadata keys stored in the safetensors files. */
const META_MODEL = 'gd_train.model';
const META_HIDDEN = 'gd_train.hidden';
const META_EPOCH = 'gd_train.epoch';
const META_CONFIG = 'gd_train.config';

/**
 * The safetensors metadata describing a model (deterministic: no paths, no times).
 *
 * @example
 * ```ts
 * save(model, 'model.safetensors', weightsMetadata(config, 5));
 * ```
 */
export function weightsMetadata(config: TrainConfig, epoch: number): Record<string, string> {
  return {
    format: 'pt',
    [META_MODEL]: config.model,
    [META_HIDDEN]: String(config.hidden),
    [META_EPOCH]: String(epoch),
    [META_CONFIG]: JSON.stringify(config),
  };
}

/**
 * Saves the checkpoint of a run directory: the state first, then the weights, both atomically.
 * Each names the epoch, and {@link loadCheckpoint} refuses a pair that disagrees.
 *
 * @example
 * ```ts
 * saveCheckpoint('outputs/train/simple', model, state); // checkpoint.json, then checkpoint.safetensors
 * ```
 */
export function saveCheckpoint(dir: string, model: Module, state: TrainingState): void {
  writeFileAtomic(join(dir, FILES.state), `${JSON.stringify(encodeState(state))}\n`);
  save(model, join(dir, FILES.checkpoint), weightsMetadata(state.config, state.epoch));
}

/** A model restored from a safetensors file written by gd-train, with its metadata. */
export interface LoadedWeights {
  model: Module;
  modelName: ModelName;
  hidden: number;
  epoch: number | null;
  config: TrainConfig | null;
  metadata: Record<string, string>;
}

/**
 * Builds the model a gd-train safetensors file (checkpoint or final weights) describes and loads
 * the weights into it. `fallbackModel` is used when the file has no gd-train metadata. Errors
 * name the file.
 *
 * @example
 * ```ts
 * const { model } = loadWeights('outputs/train/simple/model.safetensors');
 * ```
 */
export function loadWeights(
  path: string,
  fallbackModel?: ModelName,
  fallbackHidden = 128,
): LoadedWeights {
  let contents: ReturnType<typeof loadFile>;
  try {
    contents = loadFile(path);
  } catch (err) {
    const why = err instanceof SafetensorsError ? err.message : String(err);
    throw new UsageError(`cannot read checkpoint ${path}: ${why}`);
  }
  const metadata = contents.metadata ?? {};
  const name = (metadata[META_MODEL] as ModelName | undefined) ?? fallbackModel;
  if (name === undefined) {
    throw new UsageError(
      `${path} has no gd-train metadata naming its model; pass --model (logistic, simple, deep, resnet, cnn)`,
    );
  }
  const hidden =
    metadata[META_HIDDEN] !== undefined ? Number(metadata[META_HIDDEN]) : fallbackHidden;
  let config: TrainConfig | null = null;
  if (metadata[META_CONFIG] !== undefined) {
    try {
      config = validateConfig(JSON.parse(metadata[META_CONFIG]), path);
    } catch (err) {
      throw new UsageError(`cannot read checkpoint ${path}: ${(err as Error).message}`);
    }
  }
  let model: Module;
  try {
    model = createModel(name, hidden);
  } catch {
    throw new UsageError(`${path}: unknown model '${name}' in its metadata`);
  }
  try {
    model.loadStateDict(contents.tensors);
  } catch (err) {
    throw new UsageError(
      `${path} does not hold the weights of model '${name}': ${(err as Error).message}`,
    );
  }
  const epoch = metadata[META_EPOCH] !== undefined ? Number(metadata[META_EPOCH]) : null;
  return { model, modelName: name, hidden, epoch, config, metadata };
}

/**
 * Reads the training state of a run directory and checks it against the weights' epoch. Errors
 * name the file.
 *
 * @example
 * ```ts
 * const state = loadTrainingState('outputs/train/simple', loadWeights('outputs/train/simple/checkpoint.safetensors').epoch);
 * ```
 */
export function loadTrainingState(dir: string, weightsEpoch: number | null): TrainingState {
  const path = join(dir, FILES.state);
  let raw: unknown;
  try {
    raw = decodeState(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new UsageError(`cannot read checkpoint state ${path}: ${(err as Error).message}`);
  }
  const s = raw as Partial<TrainingState> | null;
  if (!s || s.format !== 'gd-train-checkpoint' || s.version !== 1) {
    throw new UsageError(`${path} is not a gd-train checkpoint state (format/version missing)`);
  }
  const config = validateConfig(s.config, path);
  for (const k of ['epoch', 'step', 'batchesPerEpoch', 'trainImages'] as const) {
    if (!Number.isSafeInteger(s[k]) || (s[k] as number) < 0)
      throw new UsageError(`${path}: invalid "${k}"`);
  }
  if (!(s.rng instanceof Uint8Array)) throw new UsageError(`${path}: invalid "rng"`);
  if (!Array.isArray(s.history) || !Array.isArray(s.lossTrace))
    throw new UsageError(`${path}: invalid "history"`);
  if (weightsEpoch !== s.epoch) {
    throw new UsageError(
      `${path} is from epoch ${s.epoch} but ${join(dir, FILES.checkpoint)} from epoch ${String(weightsEpoch)}; the run was interrupted while saving, so the two do not belong together`,
    );
  }
  return { ...(s as TrainingState), config };
}
