/**
 * What `--model` names: one `.onnx` file, one Triton model directory
 * (`<name>/config.pbtxt`, `<name>/<version>/model.onnx`), or a Triton model repository holding
 * several of them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

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

/** Which versions of a model to serve (config.pbtxt's `version_policy`; Triton's default: latest 1). */
export type VersionPolicy = { latest: number } | { all: true } | { specific: string[] };

function versionPolicy(config: PbtxtMessage, configFile: string): VersionPolicy {
  const vp = config.version_policy;
  if (vp === undefined) return { latest: 1 };
  const bad = (what: string) => new Error(`${configFile}: version_policy: ${what}`);
  if (typeof vp !== 'object' || Array.isArray(vp))
    throw bad(
      'expected { latest { num_versions: N } }, { all { } } or { specific { versions: [...] } }',
    );
  const keys = Object.keys(vp);
  if (keys.length !== 1)
    throw bad(`expected exactly one of latest, all, specific, got ${keys.join(', ') || 'none'}`);
  const latest = vp.latest;
  if (latest !== undefined) {
    const n =
      typeof latest === 'object' && !Array.isArray(latest) ? latest.num_versions : undefined;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      throw bad(`latest.num_versions: expected an integer >= 1, got ${JSON.stringify(n ?? null)}`);
    return { latest: n };
  }
  if (vp.all !== undefined) return { all: true };
  const specific = vp.specific;
  if (specific !== undefined) {
    const v =
      typeof specific === 'object' && !Array.isArray(specific) ? specific.versions : undefined;
    const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
    if (
      list.length === 0 ||
      list.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 0)
    )
      throw bad(`specific.versions: expected version numbers, got ${JSON.stringify(v ?? null)}`);
    return { specific: list.map(String) };
  }
  throw bad(`unknown policy ${keys[0]}; expected latest, all or specific`);
}

/**
 * Reads one model directory: its config.pbtxt and the versions its version policy selects
 * (each one a ModelSource with the same name and limits), newest first.
 *
 * @example
 * ```ts
 * readModelDir('model_repository/mnist'); // [{ name: 'mnist', version: '3', file: '…/3/model.onnx' }]
 * ```
 */
export function readModelDir(dir: string): ModelSource[] {
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
  const policy = versionPolicy(config, configFile);
  const available = versionDirs(dir).filter((v) => existsSync(join(dir, v, filename)));
  let versions: string[];
  if ('latest' in policy) versions = available.slice(0, policy.latest);
  else if ('all' in policy) versions = available;
  else {
    const missing = policy.specific.filter((v) => !available.includes(v));
    if (missing.length > 0) {
      throw new Error(
        `${configFile}: version_policy names version(s) ${missing.join(', ')}, but ${missing.map((v) => join(dir, v, filename)).join(', ')} do not exist`,
      );
    }
    versions = available.filter((v) => policy.specific.includes(v));
  }
  if (versions.length === 0) {
    throw new Error(
      `${dir}: no version directory holds ${filename} (expected ${join(dir, '<version>', filename)}, e.g. ${join(dir, '1', filename)})`,
    );
  }
  const limits: Omit<ModelSource, 'name' | 'version' | 'file'> = {};
  if (typeof config.max_batch_size === 'number') limits.maxBatchSize = config.max_batch_size;
  const db = config.dynamic_batching;
  if (db && typeof db === 'object' && !Array.isArray(db)) {
    const us = db.max_queue_delay_microseconds;
    limits.maxDelayMs = typeof us === 'number' ? us / 1000 : 0;
    const preferred = db.preferred_batch_size;
    const sizes = (Array.isArray(preferred) ? preferred : [preferred]).filter(
      (v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0,
    );
    if (sizes.length > 0) limits.preferredBatchSizes = sizes;
  }
  return versions.map((version) => ({
    name,
    version,
    file: join(dir, version, filename),
    ...limits,
  }));
}

/** The model directories of a repository, by name order. */
export function modelDirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && isModelDir(join(root, e.name)))
    .map((e) => join(root, e.name))
    .sort();
}

/** What `--model` names: a file, one model directory, or a repository of them. */
export function modelPathKind(path: string): 'file' | 'model-dir' | 'repository' {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new Error(`--model ${path}: no such file or directory`);
  if (statSync(abs).isFile()) return 'file';
  return isModelDir(abs) ? 'model-dir' : 'repository';
}

/**
 * Resolves `--model` to the models it names (every version its version policy selects),
 * checking that each file exists.
 *
 * @example
 * ```ts
 * resolveModels('runs/mnist/model.onnx'); // [{ name: 'model', version: '1', file: '…/model.onnx' }]
 * resolveModels('model_repository');      // the selected versions of each model directory inside
 * ```
 */
export function resolveModels(path: string, name?: string): ModelSource[] {
  const abs = resolve(path);
  const kind = modelPathKind(path);
  let models: ModelSource[];
  if (kind === 'file') {
    models = [{ name: basename(abs, extname(abs)), version: '1', file: abs }];
  } else if (kind === 'model-dir') {
    models = readModelDir(abs);
  } else {
    const dirs = modelDirs(abs);
    if (dirs.length === 0) {
      throw new Error(
        `--model ${path}: neither an .onnx file, a model directory (config.pbtxt, <version>/model.onnx) nor a repository of model directories`,
      );
    }
    models = dirs.flatMap(readModelDir);
  }
  if (name !== undefined) {
    const names = new Set(models.map((m) => m.name));
    if (names.size !== 1)
      throw new Error(`--name applies to one model; ${path} holds ${names.size}`);
    for (const m of models) m.name = name;
  }
  const dirOf = new Map<string, string>();
  for (const m of models) {
    if (!NAME_RE.test(m.name)) {
      throw new Error(
        `model name ${JSON.stringify(m.name)} (from ${m.file}): use letters, digits, '_', '.', '-'`,
      );
    }
    // Versions of one model share a directory; two directories may not share a name.
    const dir = dirname(dirname(m.file));
    if (dirOf.has(m.name) && dirOf.get(m.name) !== dir)
      throw new Error(`two models are named ${m.name}`);
    dirOf.set(m.name, dir);
  }
  return models;
}
