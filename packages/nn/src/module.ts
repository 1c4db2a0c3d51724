/**
 * Module: the base of every layer and model (PyTorch's `nn.Module`). Parameters, buffers and
 * child modules are found by assignment — any own property holding a Parameter or a Module is
 * registered, in assignment order — or registered explicitly.
 *
 * The layers `declare` the fields their constructors assign (`declare readonly weight:
 * Parameter`), their constructor arguments included (rather than parameter properties): a plain
 * class field would be emitted as a definition to undefined first, bytes a page loads for
 * nothing, since every constructor path assigns each field (in the same order).
 */
import type { Tensor } from '@gd/autograd';
import { noGrad, Tensor as TensorClass } from '@gd/autograd';
import { NDArray, formatShape, shapesEqual } from '@gd/tensor';
import { Parameter } from './parameter.js';
import { MODULE_SIGNATURES, checkRow } from './checks.js';

// registerBuffer's flag (its name and tensor keep their PyTorch-worded checks).
const PERSISTENT = { args: ['persistent?:bool'] };

// Checks a method's arguments against its row of MODULE_SIGNATURES.
function checkModuleArgs(method: string, args: readonly unknown[]): void {
  checkRow(`Module.${method}`, MODULE_SIGNATURES[method]!, args);
}

/**
 * What `loadStateDict` did not match (with `strict: false`).
 *
 * @example
 * ```ts
 * const { missingKeys, unexpectedKeys } = model.loadStateDict(partial, { strict: false });
 * ```
 */
export interface LoadStateDictResult {
  /** Names of the module's parameters and buffers the state dict lacked. */
  missingKeys: string[];
  /** Names in the state dict that the module does not have. */
  unexpectedKeys: string[];
}

const BUFFERS = Symbol('gd.buffers');

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'Object';
  return typeof v;
}

/**
 * Base class for layers and models. Subclasses assign parameters and modules as properties and
 * implement `forward`; callers use `call(...)` (PyTorch's `model(x)`).
 *
 * @example
 * ```ts
 * class SimpleNN extends Module {
 *   layer1 = new Linear(10, 5);
 *   activation = new ReLU();
 *   layer2 = new Linear(5, 1);
 *   forward(x: Tensor) { return this.layer2.call(this.activation.call(this.layer1.call(x))); }
 * }
 * const model = new SimpleNN();
 * model.parameters().length; // 4
 * ```
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Whether the module is in training mode (Dropout, BatchNorm behave differently in eval). */
  training = true;
  private readonly [BUFFERS] = new Map<string, boolean>();

  /** The computation. Run the module with `module.call(input)` (PyTorch's `module(input)`). */
  abstract forward(...input: In): Out;

  /**
   * Runs forward (PyTorch's `module(input)`). An NDArray input is taken as a constant Tensor
   * (as `Tensor.fromArray(a)`), so data read with @gd/tensor can go straight in.
   */
  call(...input: In): Out {
    for (let i = 0; i < input.length; i++) {
      if (input[i] instanceof NDArray)
        (input as unknown[])[i] = TensorClass.fromArray(input[i] as NDArray);
    }
    return this.forward(...input);
  }

  /** Extra text shown inside the parentheses of this module's summary line. */
  extraRepr(): string {
    return '';
  }

  /** The class name shown in summaries. */
  get typeName(): string {
    return this.constructor.name;
  }

  // ---- registration ---------------------------------------------------------------------------

  /** Registers (or replaces) a parameter under `name`; same as assigning the property. */
  registerParameter(name: string, param: Parameter | null): void {
    this.checkName(name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(
        `cannot assign '${describe(param)}' object to parameter '${name}' (Parameter or null required)`,
      );
    }
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** Registers a child module under `name`; same as assigning the property. */
  registerModule(name: string, module: Module<never[], unknown> | null): void {
    this.checkName(name);
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`${describe(module)} is not a Module subclass`);
    }
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  /** Alias of {@link Module.registerModule}. */
  addModule(name: string, module: Module<never[], unknown> | null): void {
    this.registerModule(name, module);
  }

  /**
   * Registers a buffer: state that is not a parameter but belongs in `stateDict` (BatchNorm's
   * running statistics). Non-persistent buffers stay out of the state dict.
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    this.checkName(name);
    checkRow('Module.registerBuffer', PERSISTENT, [persistent]);
    if (tensor !== null && !(tensor instanceof TensorClass)) {
      throw new TypeError(
        `cannot assign '${describe(tensor)}' object to buffer '${name}' (Tensor or null required)`,
      );
    }
    (this as unknown as Record<string, unknown>)[name] = tensor;
    this[BUFFERS].set(name, persistent);
  }

  private checkName(name: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new TypeError(
        `module attribute name can't be empty or contain ".", got ${JSON.stringify(name)}`,
      );
    }
    // Like PyTorch, refuse to shadow an attribute that is not a parameter, buffer or module
    // slot (a method such as `forward`, or state such as `training`).
    if (name in this) {
      const v = (this as unknown as Record<string, unknown>)[name];
      if (v !== undefined && v !== null && !(v instanceof TensorClass) && !(v instanceof Module)) {
        throw new Error(`attribute '${name}' already exists in ${this.typeName}`);
      }
    }
  }

  private ownEntries(): [string, unknown][] {
    return Object.entries(this as unknown as Record<string, unknown>);
  }

  // ---- traversal ------------------------------------------------------------------------------

  /** Direct children with their attribute names. */
  namedChildren(): [string, Module<never[], unknown>][] {
    const out: [string, Module<never[], unknown>][] = [];
    for (const [k, v] of this.ownEntries())
      if (v instanceof Module) out.push([k, v as Module<never[], unknown>]);
    return out;
  }

  /** Direct children. */
  children(): Module<never[], unknown>[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, with dotted names ('' for this one). Each appears once. */
  namedModules(
    prefix = '',
    memo = new Set<Module<never[], unknown>>(),
  ): [string, Module<never[], unknown>][] {
    checkModuleArgs('namedModules', [prefix]);
    const self = this as unknown as Module<never[], unknown>;
    if (memo.has(self)) return [];
    memo.add(self);
    const out: [string, Module<never[], unknown>][] = [[prefix, self]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name, memo));
    }
    return out;
  }

  /** This module and every descendant. */
  modules(): Module<never[], unknown>[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters with dotted names (`layers.0.weight`); shared parameters appear once. */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    checkModuleArgs('namedParameters', [prefix, recurse]);
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const modules: [string, Module<never[], unknown>][] = recurse
      ? this.namedModules(prefix)
      : [[prefix, this as unknown as Module<never[], unknown>]];
    for (const [modName, mod] of modules) {
      for (const [k, v] of mod.ownEntries()) {
        if (v instanceof Parameter && !seen.has(v)) {
          seen.add(v);
          out.push([modName ? `${modName}.${k}` : k, v]);
        }
      }
    }
    return out;
  }

  /**
   * Every parameter (shared ones once), in registration order.
   *
   * @example
   * ```ts
   * const n = model.parameters().reduce((s, p) => s + p.numel(), 0);
   * ```
   */
  parameters(recurse = true): Parameter[] {
    checkModuleArgs('parameters', [recurse]);
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  /** Buffers with dotted names. */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    checkModuleArgs('namedBuffers', [prefix, recurse]);
    const out: [string, Tensor][] = [];
    const modules: [string, Module<never[], unknown>][] = recurse
      ? this.namedModules(prefix)
      : [[prefix, this as unknown as Module<never[], unknown>]];
    for (const [modName, mod] of modules) {
      for (const name of mod[BUFFERS].keys()) {
        const v = (mod as unknown as Record<string, unknown>)[name];
        if (v instanceof TensorClass && !(v instanceof Parameter))
          out.push([modName ? `${modName}.${name}` : name, v]);
      }
    }
    return out;
  }

  /** Every buffer. */
  buffers(recurse = true): Tensor[] {
    checkModuleArgs('buffers', [recurse]);
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** The number of parameter elements (only those requiring grad with `onlyTrainable`). */
  numParameters(onlyTrainable = false): number {
    checkModuleArgs('numParameters', [onlyTrainable]);
    return this.parameters()
      .filter((p) => !onlyTrainable || p.requiresGrad)
      .reduce((n, p) => n + p.numel(), 0);
  }

  // ---- modes and gradients --------------------------------------------------------------------

  /** Sets training mode on this module and all descendants. */
  train(mode = true): this {
    checkModuleArgs('train', [mode]);
    this.training = mode;
    // Each child's own train() runs, so subclasses that override it are honoured.
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Sets evaluation mode (`train(false)`). */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter (to null, or to zeros with `setToNone: false`). */
  zeroGrad(setToNone = true): void {
    checkModuleArgs('zeroGrad', [setToNone]);
    for (const p of this.parameters()) {
      const g = p.borrowGrad();
      if (g === null) continue;
      if (setToNone) {
        p.grad = null;
        continue;
      }
      // A gradient computed with createGraph is cut from its graph first, as PyTorch does.
      if (g.gradFn) g.detach_();
      else g.requiresGrad_(false);
      noGrad(() => g.zero_());
    }
  }

  /** Calls `fn` on every descendant and then this module (for initialisation). */
  apply(fn: (module: Module<never[], unknown>) => void): this {
    checkModuleArgs('apply', [fn]);
    for (const child of this.children()) child.apply(fn);
    fn(this as unknown as Module<never[], unknown>);
    return this;
  }

  /** Sets `requiresGrad` on every parameter (freezing with false). */
  requiresGrad_(flag = true): this {
    checkModuleArgs('requiresGrad_', [flag]);
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  // ---- state dicts ----------------------------------------------------------------------------

  /**
   * Parameters and persistent buffers by dotted name, detached and sharing storage (PyTorch's
   * `state_dict()`).
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [modName, mod] of this.namedModules()) {
      for (const [k, v] of mod.ownEntries()) {
        if (v instanceof Parameter) out[modName ? `${modName}.${k}` : k] = v.detach();
      }
      for (const [name, persistent] of mod[BUFFERS]) {
        const v = (mod as unknown as Record<string, unknown>)[name];
        if (persistent && v instanceof TensorClass && !(v instanceof Parameter))
          out[modName ? `${modName}.${name}` : name] = v.detach();
      }
    }
    return out;
  }

  /**
   * Copies values from a state dict into the parameters and buffers. With `strict` (default)
   * every key must match; shapes must always match.
   *
   * @example
   * ```ts
   * model.loadStateDict(other.stateDict());
   * ```
   */
  loadStateDict(
    stateDict: Record<string, Tensor>,
    options: { strict?: boolean } = {},
  ): LoadStateDictResult {
    checkModuleArgs('loadStateDict', [stateDict, options]);
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    const errors: string[] = [];
    if (strict && missingKeys.length)
      errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
    if (strict && unexpectedKeys.length)
      errors.push(
        `Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`,
      );
    for (const [k, target] of Object.entries(own)) {
      const src = stateDict[k];
      if (!src) continue;
      if (!shapesEqual(src.shape, target.shape)) {
        errors.push(
          `size mismatch for ${k}: copying a param with shape ${formatShape(src.shape)} from checkpoint, the shape in current model is ${formatShape(target.shape)}.`,
        );
      }
    }
    if (errors.length)
      throw new Error(
        `Error(s) in loading state_dict for ${this.typeName}:\n\t${errors.join('\n\t')}`,
      );
    noGrad(() => {
      for (const [k, target] of Object.entries(own)) {
        const src = stateDict[k];
        if (src) target.copy_(src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing -------------------------------------------------------------------------------

  /**
   * PyTorch-style summary:
   * ```
   * SimpleNN(
   *   (layer1): Linear(inFeatures=10, outFeatures=5, bias=true)
   *   (activation): ReLU()
   * )
   * ```
   */
  toString(): string {
    const children = this.namedChildren();
    const extra = this.extraRepr();
    if (children.length === 0) return `${this.typeName}(${extra})`;
    const lines = children.map(
      ([name, child]) => `  (${name}): ${child.toString().split('\n').join('\n  ')}`,
    );
    if (extra) lines.unshift(`  ${extra.split('\n').join('\n  ')}`);
    return `${this.typeName}(\n${lines.join('\n')}\n)`;
  }

  /** Makes `console.log(model)` print the summary in Node. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
