/**
 * What `--model` names: one `.onnx` file, one Triton model directory
 * (`<name>/config.pbtxt`, `<name>/<version>/model.onnx`), or a Triton model repository holding
 * several of them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';

/** One model to serve, resolved to a file. */
export interface ModelSource {
  name: string;
  version: string;
  file: string;
  /** From config.pbtxt: `max_batch_size` (0: the model takes no batch dim). */
  maxBatchSize?: number;
  /** From config.pbtxt: `dynamic_batching.max_queue_delay_microseconds`, in ms. */
  maxDelayMs?: number;
  /** From config.pbtxt: `dynamic_batching.preferred_batch_size`. */
  preferredBatchSizes?: number[];
}

/** A value in protobuf text format: scalars, repeated values and nested messages. */
export type PbtxtValue = string | number | boolean | PbtxtMessage | PbtxtValue[];
export interface PbtxtMessage {
  [field: string]: PbtxtValue;
}

/**
 * Parses protobuf text format (Triton's config.pbtxt) into plain objects. Repeated fields
 * become arrays; `[a, b]` lists are arrays; enums stay strings.
 *
 * @example
 * ```ts
 * parsePbtxt('name: "mnist" max_batch_size: 64 dynamic_batching { max_queue_delay_microseconds: 2000 }');
 * // { name: 'mnist', max_batch_size: 64, dynamic_batching: { max_queue_delay_microseconds: 2000 } }
 * ```
 */
export function parsePbtxt(text: string): PbtxtMessage {
  const tokens: string[] = [];
  const re = /\s+|#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{}[\]:,;<>]|[^\s{}[\]:,;<>"'#]+/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('#')) continue;
    tokens.push(t);
  }
  if (re.lastIndex < text.length)
    throw new Error(`config.pbtxt: cannot read at offset ${re.lastIndex}`);
  let i = 0;
  const scalar = (t: string): string | number | boolean => {
    if (t.startsWith('"') || t.startsWith("'"))
      return JSON.parse(`"${t.slice(1, -1).replace(/\\'/g, "'")}"`) as string;
    if (t === 'true' || t === 'false') return t === 'true';
    const n = Number(t);
    return Number.isNaN(n) ? t : n;
  };
  const message = (close: string | undefined): PbtxtMessage => {
    const msg: PbtxtMessage = {};
    while (i < tokens.length) {
      const key = tokens[i++] as string;
      if (key === close) return msg;
      if (key === ',' || key === ';') continue;
      if (tokens[i] === ':') i++;
      const t = tokens[i++];
      if (t === undefined) throw new Error(`config.pbtxt: field ${key} has no value`);
      let value: PbtxtValue;
      if (t === '{' || t === '<') value = message(t === '{' ? '}' : '>');
      else if (t === '[') {
        const list: PbtxtValue[] = [];
        while (tokens[i] !== ']') {
          const u = tokens[i++];
          if (u === undefined) throw new Error(`config.pbtxt: unclosed [ in ${key}`);
          if (u === ',') continue;
          list.push(u === '{' ? message('}') : scalar(u));
        }
        i++;
        value = list;
      } else value = scalar(t);
      const prev = msg[key];
      if (prev === undefined) msg[key] = value;
      else if (Array.isArray(prev) && !Array.isArray(value)) prev.push(value);
      else msg[key] = [prev, value] as PbtxtValue[];
    }
    if (close !== undefined) throw new Error(`config.pbtxt: missing ${close}`);
    return msg;
  };
  return message(undefined);
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function isModelDir(dir: string): boolean {
  if (existsSync(join(dir, 'config.pbtxt'))) return true;
  return versionDirs(dir).length > 0;
}

function versionDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d+$/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => Number(b) - Number(a));
}

function fromModelDir(dir: string): ModelSource {
  let config: PbtxtMessage = {};
  const configFile = join(dir, 'config.pbtxt');
  if (existsSync(configFile)) {
    try {
      config = parsePbtxt(readFileSync(configFile, 'utf8'));
    } catch (e) {
      throw new Error(`${configFile}: ${(e as Error).message}`);
    }
  }
  const name = typeof config.name === 'string' ? config.name : basename(dir);
  const platform = config.platform ?? config.backend;
  if (platform !== undefined && !/onnx/i.test(String(platform))) {
    throw new Error(
      `${configFile}: platform/backend ${JSON.stringify(platform)} is not ONNX; gd-serve runs onnxruntime_onnx models only`,
    );
  }
  const filename =
    typeof config.default_model_filename === 'string'
      ? config.default_model_filename
      : 'model.onnx';
  const version = versionDirs(dir).find((v) => existsSync(join(dir, v, filename)));
  if (version === undefined) {
    throw new Error(
      `${dir}: no version directory holds ${filename} (expected ${join(dir, '<version>', filename)}, e.g. ${join(dir, '1', filename)})`,
    );
  }
  const src: ModelSource = { name, version, file: join(dir, version, filename) };
  if (typeof config.max_batch_size === 'number') src.maxBatchSize = config.max_batch_size;
  const db = config.dynamic_batching;
  if (db && typeof db === 'object' && !Array.isArray(db)) {
    const us = db.max_queue_delay_microseconds;
    src.maxDelayMs = typeof us === 'number' ? us / 1000 : 0;
    const preferred = db.preferred_batch_size;
    const sizes = (Array.isArray(preferred) ? preferred : [preferred]).filter(
      (v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0,
    );
    if (sizes.length > 0) src.preferredBatchSizes = sizes;
  }
  return src;
}

/**
 * Resolves `--model` to the models it names, checking that each file exists.
 *
 * @example
 * ```ts
 * resolveModels('runs/mnist/model.onnx'); // [{ name: 'model', version: '1', file: '…/model.onnx' }]
 * resolveModels('model_repository');      // one entry per model directory inside
 * ```
 */
export function resolveModels(path: string, name?: string): ModelSource[] {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new Error(`--model ${path}: no such file or directory`);
  let models: ModelSource[];
  if (statSync(abs).isFile()) {
    models = [{ name: basename(abs, extname(abs)), version: '1', file: abs }];
  } else if (isModelDir(abs)) {
    models = [fromModelDir(abs)];
  } else {
    const dirs = readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isDirectory() && isModelDir(join(abs, e.name)))
      .map((e) => join(abs, e.name))
      .sort();
    if (dirs.length === 0) {
      throw new Error(
        `--model ${path}: neither an .onnx file, a model directory (config.pbtxt, <version>/model.onnx) nor a repository of model directories`,
      );
    }
    models = dirs.map(fromModelDir);
  }
  if (name !== undefined) {
    if (models.length !== 1)
      throw new Error(`--name applies to one model; ${path} holds ${models.length}`);
    (models[0] as ModelSource).name = name;
  }
  const seen = new Set<string>();
  for (const m of models) {
    if (!NAME_RE.test(m.name)) {
      throw new Error(
        `model name ${JSON.stringify(m.name)} (from ${m.file}): use letters, digits, '_', '.', '-'`,
      );
    }
    if (seen.has(m.name)) throw new Error(`two models are named ${m.name}`);
    seen.add(m.name);
  }
  return models;
}
