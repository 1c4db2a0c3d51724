/**
 * JSON schemas of the request bodies (validated by Fastify's Ajv before a handler runs) and the
 * translation of Ajv's errors into messages that name the field, as `inputs[0].shape[1]: ...`.
 */
import { describeValue } from '../tensors.js';

/** The v2 infer request body (JSON, or the JSON header of the binary data extension). */
export const INFER_SCHEMA = {
  type: 'object',
  required: ['inputs'],
  properties: {
    id: { type: 'string' },
    parameters: { type: 'object' },
    inputs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'shape', 'datatype'],
        properties: {
          name: { type: 'string', minLength: 1 },
          shape: { type: 'array', items: { type: 'integer', minimum: 0 } },
          datatype: { type: 'string' },
          parameters: { type: 'object' },
          data: { type: 'array' },
        },
      },
    },
    outputs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1 }, parameters: { type: 'object' } },
      },
    },
  },
} as const;

/** The digit endpoint's JSON body: 784 pixels or a base64 PNG. */
export const PREDICT_SCHEMA = {
  type: 'object',
  properties: {
    pixels: { type: 'array' },
    image: { type: 'string', minLength: 1 },
  },
  oneOf: [{ required: ['pixels'] }, { required: ['image'] }],
} as const;

/** A v2 infer request as the schema above guarantees it. */
export interface InferBody {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: {
    name: string;
    shape: number[];
    datatype: string;
    parameters?: Record<string, unknown>;
    data?: unknown;
  }[];
  outputs?: { name: string; parameters?: Record<string, unknown> }[];
}

/** One Ajv validation error (the fields gd-serve reads). */
export interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  data?: unknown;
}

/** `/inputs/0/shape/1` -> `inputs[0].shape[1]`. */
function fieldPath(instancePath: string): string {
  let out = '';
  for (const part of instancePath.split('/').slice(1)) {
    const p = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  }
  return out;
}

/** The first validation error as `<field>: <what was expected>, got <what came>`. */
export function formatValidation(errors: AjvError[], context: string): string {
  const e = errors.find((x) => x.keyword === 'oneOf') ?? errors[0];
  if (!e) return `${context}: invalid`;
  const base = fieldPath(e.instancePath);
  const at = (f: string) => (f === '' ? context : f);
  switch (e.keyword) {
    case 'required':
      return `${at(base ? `${base}.${String(e.params.missingProperty)}` : String(e.params.missingProperty))}: is required`;
    case 'type':
      return `${at(base)}: expected ${e.params.type === 'integer' ? 'an integer' : `${String(e.params.type) === 'object' || String(e.params.type) === 'array' ? 'an' : 'a'} ${String(e.params.type)}`}, got ${describeValue(e.data)}`;
    case 'minimum':
      return `${at(base)}: expected a value >= ${String(e.params.limit)}, got ${describeValue(e.data)}`;
    case 'minItems':
      return `${at(base)}: expected at least ${String(e.params.limit)} item(s)`;
    case 'minLength':
      return `${at(base)}: must not be empty`;
    case 'oneOf':
      return `${context}: expected exactly one of "pixels" (784 values in [0, 255]) or "image" (a base64 PNG)`;
    default:
      return `${at(base)}: ${e.message ?? 'invalid'}`;
  }
}
