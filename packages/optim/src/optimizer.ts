/**
 * The optimizer base class (PyTorch's `torch.optim.Optimizer`): parameter groups with
 * per-group options, per-parameter state, `zeroGrad`, `step(closure)` and state dicts keyed
 * by PyTorch's parameter indices.
 */
import { Tensor, enableGrad, noGrad } from '@gd/autograd';
import {
  check,
  describe,
  formatShape,
  isFloatingDType,
  isOptionsObject,
  shapesEqual,
} from '@gd/tensor';

/**
 * One value of a parameter's optimizer state: a tensor (moment estimates, buffers) or a number
 * (step counts).
 *
 * @example
 * ```ts
 * const v: StateValue | undefined = opt.state.get(w)?.step; // 3
 * ```
 */
export type StateValue = Tensor | number;

/**
 * The optimizer state of one parameter, e.g. `{ step: 3, expAvg: Tensor, expAvgSq: Tensor }`.
 *
 * @example
 * ```ts
 * const s: ParamState | undefined = adam.state.get(w);
 * const m = s?.expAvg as Tensor; // first-moment estimate, shaped like w
 * ```
 */
export type ParamState = Record<string, StateValue>;

/**
 * A parameter group as the optimizer keeps it: its parameters, its learning rate, every
 * option of the optimizer (the group's own value, else the default), and whatever keys
 * schedulers add (`initialLr`, `maxLr`, ...).
 *
 * @example
 * ```ts
 * const opt = new SGD([w, b], { lr: 0.1, momentum: 0.9 });
 * const group: ParamGroup<SGDDefaults> = opt.paramGroups[0]!;
 * group.lr = 0.05; // takes effect at the next step
 * ```
 */
export type ParamGroup<O extends object = object> = O & {
  /** The group's parameters, updated by each step. */
  params: Tensor[];
  /** The group's learning rate (schedulers change it). */
  lr: number;
  /**
   * The group's `lr` when a scheduler was first attached (set by the scheduler; schedules scale
   * it).
   */
  initialLr?: number;
  [option: string]: unknown;
};

/**
 * A parameter group as given to an optimizer: its parameters and any options that override
 * the optimizer's defaults for this group.
 *
 * @example
 * ```ts
 * const groups: ParamGroupInput<SGDDefaults>[] = [{ params: [w] }, { params: [b], lr: 0.01 }];
 * const opt = new SGD(groups, { lr: 0.1 });
 * ```
 */
export type ParamGroupInput<O extends object = object> = Partial<O> & {
  /** The group's parameters. */
  params: Iterable<Tensor> | Tensor;
  /** The group's learning rate (default: the optimizer's). */
  lr?: number;
  [option: string]: unknown;
};

/**
 * A parameter group inside a state dict: its options, with `params` as the parameters'
 * indices (numbered across all groups in order, as in PyTorch).
 *
 * @example
 * ```ts
 * const g: PackedParamGroup = opt.stateDict().paramGroups[0]!;
 * g.params; // [0, 1]
 * ```
 */
export interface PackedParamGroup {
  /** The group's parameters as indices, numbered across all groups in order. */
  params: number[];
  [option: string]: unknown;
}

/**
 * The serialisable state of an optimizer: per-parameter state keyed by parameter index, and
 * the groups' options. Tensors in it are copies, not the live state.
 *
 * @example
 * ```ts
 * const sd: OptimizerStateDict = opt.stateDict();
 * sd.state[0]?.momentumBuffer; // a Tensor
 * sd.paramGroups[0]?.lr;       // 0.1
 * ```
 */
export interface OptimizerStateDict {
  /** Per-parameter state (momentum buffers, Adam's moments, step counts) by parameter index. */
  state: Record<number, ParamState>;
  /** Each group's options, with its parameters as indices. */
  paramGroups: PackedParamGroup[];
}

/**
 * Options of {@link Optimizer.zeroGrad}.
 *
 * @example
 * ```ts
 * const options: ZeroGradOptions = { setToNone: false };
 * opt.zeroGrad(options);
 * ```
 */
export interface ZeroGradOptions {
  /** Set `.grad` to null (default) instead of filling it with zeros. */
  setToNone?: boolean;
}

/** The kind of each option of an optimizer, for {@link checkOptimizerOptions}. */
export type OptionKinds = Readonly<
  Record<
    string,
    `${'number' | 'int' | 'boolean' | 'pair' | 'numbers' | 'numeric' | 'string'}${'' | '!'}`
  >
>;

function checkOptionKind(fn: string, key: string, spec: string, v: unknown): void {
  const required = spec.endsWith('!');
  const kind = required ? spec.slice(0, -1) : spec;
  if (v === undefined) {
    if (required) throw new TypeError(`${fn}: missing option '${key}'`);
    return;
  }
  if (kind === 'number') check.number(fn, key, v);
  else if (kind === 'int') check.int(fn, key, v);
  else if (kind === 'boolean') check.bool(fn, key, v);
  else if (kind === 'string') check.string(fn, key, v);
  else if (kind === 'numbers' || kind === 'numeric') {
    if (kind === 'numeric' && typeof v === 'number') return;
    if (!Array.isArray(v) || !v.every((e) => typeof e === 'number'))
      throw new TypeError(
        `${fn}: ${key} must be ${kind === 'numeric' ? 'a number or ' : ''}an array of numbers, got ${describe(v)}`,
      );
  } else if (!Array.isArray(v) || v.length !== 2 || !v.every((e) => typeof e === 'number'))
    throw new TypeError(`${fn}: ${key} must be a pair of numbers, got ${describe(v)}`);
}

/**
 * Checks an optimizer's options object: unknown keys (with a suggestion for near misses such
 * as `weight_decay`) and the kind of each value. Returns the options.
 *
 * @example
 * ```ts
 * checkOptimizerOptions('SGD', { lr: '0.1' }, { lr: 'number' });
 * // TypeError: SGD: lr must be a number, got the string "0.1"
 * ```
 */
export function checkOptimizerOptions<T extends object>(
  fn: string,
  options: T,
  kinds: OptionKinds,
): T {
  const keys = Object.keys(kinds);
  const near = (k: string) =>
    keys.find((a) => a.toLowerCase() === k.replace(/_/g, '').toLowerCase());
  if (isOptionsObject(options)) {
    for (const k of Object.keys(options)) {
      if (!keys.includes(k) && near(k))
        throw new TypeError(`${fn}: unknown option '${k}' (did you mean '${near(k)}'?)`);
    }
  }
  check.options(fn, 'options', options, keys);
  for (const [k, kind] of Object.entries(kinds))
    checkOptionKind(fn, k, kind, (options as Record<string, unknown>)[k]);
  return options;
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/** A deep copy of a state-dict value: tensors cloned (outside the graph), arrays and plain objects copied. */
export function copyValue<T>(value: T): T {
  if (value instanceof Tensor) return Tensor.fromArray(value.value.clone()) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => copyValue(v)) as T;
  if (isOptionsObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyValue(v);
    return out as T;
  }
  return value;
}

/** A copy of a parameter group's options (every key but `params`). */
function optionsOf(group: object): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(group))
    if (key !== 'params') options[key] = copyValue(value);
  return options;
}

/**
 * Fills the options a group lacks from `defaults` (copies). `required`: a default that is
 * undefined marks an option every group must set, and its absence throws PyTorch's error;
 * otherwise the option is left out.
 */
function fillDefaults(
  options: Record<string, unknown>,
  defaults: object,
  required: boolean,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(defaults)) {
    if (options[key] !== undefined) continue;
    if (value !== undefined) options[key] = copyValue(value);
    else if (required)
      throw new Error(
        `parameter group didn't specify a value of required optimization parameter ${key}`,
      );
  }
  return options;
}

/** The kind of an option, from its default: the built-in optimizers' options are all of these. */
function optionKind(key: string, value: unknown): string {
  return Array.isArray(value) ? 'pair' : key === 'lr' ? 'number' : typeof value;
}

/**
 * A built-in optimizer's options resolved: `options` checked (see
 * {@link checkOptimizerOptions}; the kinds are those of the defaults), then each option it
 * does not set taken from `defaults`, in the defaults' order (which the groups keep).
 *
 * @internal
 */
export function resolveOptions<O extends object>(fn: string, options: Partial<O>, defaults: O): O {
  const kinds = Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [key, optionKind(key, value)]),
  ) as OptionKinds;
  checkOptimizerOptions(fn, options, kinds);
  const given = options as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [
      key,
      given[key] === undefined ? value : given[key],
    ]),
  ) as O;
}

/** The options that must not be negative (or NaN). */
type NonNegativeOption =
  'lr' | 'lrDecay' | 'eps' | 'momentum' | 'weightDecay' | 'alpha' | 'initialAccumulatorValue';

/**
 * PyTorch's name of an option, as its `Invalid ...` errors say it: the snake_case name and
 * "value" (`Invalid weight_decay value: -1`), except for the learning rate and epsilon.
 */
function pytorchName(key: NonNegativeOption): string {
  if (key === 'lr') return 'learning rate';
  if (key === 'eps') return 'epsilon value';
  return `${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} value`;
}

/**
 * Throws PyTorch's error for the first of `keys` whose option is negative (or NaN), in the order
 * PyTorch checks them. An undefined option (SGD's lr, required of each group) passes.
 *
 * @internal
 */
export function checkNonNegative<O extends object>(
  options: O,
  keys: readonly (keyof O & NonNegativeOption)[],
): void {
  for (const key of keys) {
    const value = options[key] as number | undefined;
    validate(value === undefined || value >= 0, `Invalid ${pytorchName(key)}: ${value}`);
  }
}

/**
 * Base class of all optimizers (PyTorch's `torch.optim.Optimizer`). Subclasses implement the
 * update of one parameter group; the base class handles groups, state, `zeroGrad`, the
 * closure of `step` and state dicts.
 *
 * Updates run under `noGrad` with in-place ops, so the parameter tensors keep their identity.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * import { Optimizer } from '@gd/optim';
 * import type { ParamGroup } from '@gd/optim';
 *
 * // plain gradient descent, written as an Optimizer
 * class GD extends Optimizer<{ lr: number }> {
 *   constructor(params: Iterable<Tensor>, lr: number) {
 *     super(params, { lr });
 *   }
 *   protected updateGroup(group: ParamGroup<{ lr: number }>): void {
 *     for (const p of group.params) if (p.grad) p.add_(p.grad, -group.lr);
 *   }
 * }
 * ```
 */
export abstract class Optimizer<O extends object = object> {
  /** The options every group falls back to. */
  declare readonly defaults: O;
  /** The parameter groups, in order; change `lr` (or other options) here between steps. */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (created lazily by `step`), keyed by the parameter tensor. */
  state: Map<Tensor, ParamState> = new Map();

  /**
   * @param params - the tensors to optimize, or parameter groups (objects with `params` and
   *   options overriding `defaults`).
   * @param defaults - the options of groups that do not set them; an `undefined` default marks
   *   an option that every group must set.
   */
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<O>>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(
        'params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor',
      );
    }
    const list = Array.from(params as Iterable<unknown>);
    if (list.length === 0) throw new Error('optimizer got an empty parameter list');
    const groups = (isOptionsObject(list[0]) ? list : [{ params: list }]) as ParamGroupInput<O>[];
    for (const group of groups) this.addParamGroup(group);
  }

  /**
   * Adds a parameter group (e.g. layers unfrozen during fine-tuning). Options it does not set
   * take the optimizer's defaults.
   *
   * @example
   * ```ts
   * const opt = new SGD([w], { lr: 0.1 });
   * opt.addParamGroup({ params: [b], lr: 0.01 });
   * ```
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (!isOptionsObject(group)) throw new TypeError('param group must be an object');
    const given: unknown = group.params;
    let params: unknown[];
    if (given instanceof Tensor) params = [given];
    else if (given instanceof Set) {
      throw new TypeError(
        'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.',
      );
    } else if (given !== null && typeof given === 'object' && Symbol.iterator in given) {
      params = Array.from(given as Iterable<unknown>);
    } else {
      throw new TypeError(
        `param group's params must be a Tensor or an iterable of Tensors, but got ${typeName(given)}`,
      );
    }
    for (const p of params) {
      if (!(p instanceof Tensor)) {
        throw new TypeError(
          `optimizer can only optimize Tensors, but one of the params is ${typeName(p)}`,
        );
      }
      if (!(p.isLeaf || p.retainsGrad)) throw new Error("can't optimize a non-leaf Tensor");
    }
    const tensors = params as Tensor[];
    // A group's own options must be ones the optimizer has, of the kind of its default.
    const fn = this.constructor.name;
    const accepted = Object.keys(this.defaults);
    for (const [key, value] of Object.entries(group)) {
      if (key === 'params') continue;
      if (!accepted.includes(key))
        throw new TypeError(
          `${fn}: unknown option '${key}' in a parameter group (accepted: params, ${accepted.join(', ')})`,
        );
      const kind = optionKind(key, (this.defaults as Record<string, unknown>)[key]);
      if (kind === 'number' || kind === 'boolean' || kind === 'pair')
        checkOptionKind(fn, key, kind, value);
    }
    const full = fillDefaults(optionsOf(group), this.defaults, true);
    if (new Set(tensors).size !== tensors.length) {
      console.warn(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information',
      );
    }
    const existing = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) existing.add(p);
    if (tensors.some((p) => existing.has(p))) {
      throw new Error('some parameters appear in more than one parameter group');
    }
    full.params = tensors;
    this.paramGroups.push(full as ParamGroup<O>);
  }

  /**
   * Clears the gradients of all optimized tensors: sets them to null (default), or with
   * `setToNone: false` zeroes them in place (detached from any graph).
   *
   * @example
   * ```ts
   * opt.zeroGrad();                     // p.grad === null
   * opt.zeroGrad({ setToNone: false }); // p.grad is all zeros
   * ```
   */
  zeroGrad({ setToNone = true }: ZeroGradOptions = {}): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.borrowGrad();
        if (g === null) continue;
        if (setToNone) {
          p.grad = null;
          continue;
        }
        if (g.gradFn !== null) g.detach_();
        else g.requiresGrad_(false);
        noGrad(() => g.zero_());
      }
    }
  }

  /**
   * Performs one optimization step. `closure`, when given, runs first with grad mode on: it
   * should clear the gradients, recompute the loss, call `backward()` and return the loss,
   * which `step` returns.
   *
   * @example
   * ```ts
   * opt.zeroGrad();
   * loss(w).backward();
   * opt.step();
   *
   * const l = opt.step(() => {
   *   opt.zeroGrad();
   *   const out = loss(w);
   *   out.backward();
   *   return out;
   * });
   * ```
   */
  step(): undefined;
  step<L>(closure: () => L): L;
  step<L>(closure?: () => L): L | undefined {
    let loss: L | undefined;
    if (closure !== undefined) loss = enableGrad(closure);
    noGrad(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    });
    return loss;
  }

  /** Updates the parameters of one group (called under `noGrad` by {@link Optimizer.step}). */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /** The state of `p`, created empty when missing. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * The optimizer's state as a plain object: per-parameter state keyed by the parameter's
   * index (numbered across groups in order), and each group's options with `params` as
   * indices. Tensors are copied, so the dict is a snapshot that later steps do not change.
   *
   * @example
   * ```ts
   * const saved = opt.stateDict();
   * // ... later, with a fresh optimizer over the same parameters:
   * opt2.loadStateDict(saved);
   * ```
   */
  stateDict(): OptimizerStateDict {
    const mapping = new Map<Tensor, number>();
    let start = 0;
    const paramGroups = this.paramGroups.map((group) => {
      const packed = optionsOf(group);
      group.params.forEach((p, i) => {
        if (!mapping.has(p)) mapping.set(p, start + i);
      });
      packed.params = group.params.map((p) => mapping.get(p)!);
      start += group.params.length;
      return packed as PackedParamGroup;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const index = mapping.get(p);
      if (index === undefined) continue;
      state[index] = copyValue(s);
    }
    return { state, paramGroups };
  }

  /**
   * Loads a state dict from {@link Optimizer.stateDict}: the groups must match this
   * optimizer's in number and sizes. Values are copied (tensors converted to their
   * parameter's floating dtype), so training continues exactly where the saved one was.
   *
   * @example
   * ```ts
   * const opt = new Adam(model.parameters(), { lr: 1e-3 });
   * opt.loadStateDict(checkpoint.optimizer);
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const saved = stateDict.paramGroups;
    if (!Array.isArray(saved) || stateDict.state === null || typeof stateDict.state !== 'object') {
      throw new TypeError('loaded state dict must be an object with `state` and `paramGroups`');
    }
    if (saved.length !== this.paramGroups.length) {
      throw new Error(
        `loaded state dict has a different number of parameter groups (${saved.length}, but the optimizer has ${this.paramGroups.length})`,
      );
    }
    this.paramGroups.forEach((g, i) => {
      const s = saved[i]!;
      if (!Array.isArray(s.params) || s.params.length !== g.params.length) {
        throw new Error(
          `loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group ${i}: ${Array.isArray(s.params) ? s.params.length : 'no'} params saved, ${g.params.length} in the optimizer)`,
        );
      }
    });
    const idMap = new Map<number, Tensor>();
    saved.forEach((s, i) =>
      s.params.forEach((id, j) => idMap.set(Number(id), this.paramGroups[i]!.params[j]!)),
    );

    const state = new Map<Tensor, ParamState>();
    for (const [key, value] of Object.entries(stateDict.state)) {
      const p = idMap.get(Number(key));
      if (p === undefined) {
        throw new Error(
          `loaded state dict has state for parameter ${key}, which is in none of its parameter groups`,
        );
      }
      const s: ParamState = {};
      for (const [name, v] of Object.entries(value)) {
        if (v instanceof Tensor) {
          if (name !== 'step' && !shapesEqual(v.shape, p.shape)) {
            throw new Error(
              `loaded state dict has '${name}' of shape ${formatShape(v.shape)} for parameter ${key}, whose shape is ${formatShape(p.shape)}`,
            );
          }
          const dtype = name !== 'step' && isFloatingDType(p.dtype) ? p.dtype : v.dtype;
          const converted = v.value.to(dtype);
          s[name] = Tensor.fromArray(converted === v.value ? converted.clone() : converted);
        } else {
          s[name] = v;
        }
      }
      state.set(p, s);
    }

    const groups = this.paramGroups.map((g, i) => {
      const next = fillDefaults(optionsOf(saved[i]!), this.defaults, false);
      next.params = g.params;
      return next as ParamGroup<O>;
    });
    this.state = state;
    this.paramGroups = groups;
  }
}

/**
 * Throws PyTorch's error for an invalid option: `check` false means invalid.
 *
 * @internal
 */
export function validate(check: boolean, message: string): void {
  if (!check) throw new Error(message);
}
