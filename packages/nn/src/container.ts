/** Containers: Sequential, ModuleList and ModuleDict (PyTorch's `nn.container`). */
import type { Tensor } from '@gd/autograd';
import { Module } from './module.js';

/**
 * Any module mapping one tensor to one tensor.
 *
 * @example
 * ```ts
 * const layers: TensorModule[] = [new Linear(4, 4), new ReLU()];
 * ```
 */
export type TensorModule = Module<[Tensor], Tensor>;

/**
 * Runs its modules one after another.
 *
 * @example
 * ```ts
 * const mlp = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * mlp.call(x);
 * ```
 */
export class Sequential extends Module {
  [index: number]: TensorModule;
  constructor(...modules: TensorModule[]) {
    super();
    modules.forEach((m, i) =>
      this.registerModule(String(i), m as unknown as Module<never[], unknown>),
    );
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): TensorModule {
    const list = this.children();
    const i = index < 0 ? index + list.length : index;
    const m = list[i];
    if (!m)
      throw new RangeError(
        `index ${index} is out of range for a Sequential of length ${list.length}`,
      );
    return m as unknown as TensorModule;
  }

  /** Appends a module. */
  append(module: TensorModule): this {
    this.registerModule(String(this.length), module as unknown as Module<never[], unknown>);
    return this;
  }

  /** Appends several modules. */
  extend(modules: Iterable<TensorModule>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /**
   * A new Sequential of the modules in [start, end) (Python's `seq[start:end]`); the modules
   * are shared, not copied.
   */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(...(this.children() as unknown as TensorModule[]).slice(start, end));
  }

  forward(x: Tensor): Tensor {
    let out = x;
    for (const m of this.children()) out = (m as unknown as TensorModule).call(out);
    return out;
  }

  /** The layers, in order. */
  [Symbol.iterator](): Iterator<TensorModule> {
    return (this.children() as unknown as TensorModule[])[Symbol.iterator]();
  }
}

/**
 * A list of modules whose parameters the parent registers (PyTorch's `nn.ModuleList`). It is
 * not callable itself: iterate over it.
 *
 * @example
 * ```ts
 * class DeepNN extends Module {
 *   layers = new ModuleList([new Linear(784, 512), new Linear(512, 10)]);
 *   forward(x: Tensor) {
 *     for (const layer of this.layers.slice(0, -1)) x = layer.call(x).relu();
 *     return this.layers.at(-1).call(x);
 *   }
 * }
 * ```
 */
export class ModuleList<M extends Module<never[], unknown> = TensorModule> extends Module<
  never[],
  never
> {
  [index: number]: M;
  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** Appends a module (PyTorch's `append`). */
  append(module: M): this {
    this.registerModule(String(this.length), module as unknown as Module<never[], unknown>);
    return this;
  }

  /** Appends several modules. */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): M {
    const list = this.children();
    const i = index < 0 ? index + list.length : index;
    const m = list[i];
    if (!m)
      throw new RangeError(
        `index ${index} is out of range for a ModuleList of length ${list.length}`,
      );
    return m as unknown as M;
  }

  /** The modules in [start, end) as an array (Python's `layers[start:end]`). */
  slice(start?: number, end?: number): M[] {
    return (this.children() as unknown as M[]).slice(start, end);
  }

  forward(): never {
    throw new TypeError('ModuleList is not callable: iterate over it and call its modules');
  }

  /** The modules, in order. */
  [Symbol.iterator](): Iterator<M> {
    return (this.children() as unknown as M[])[Symbol.iterator]();
  }
}

/**
 * A dictionary of modules registered under their keys (PyTorch's `nn.ModuleDict`), kept in
 * insertion order. It is not callable itself: get a module by key.
 *
 * @example
 * ```ts
 * const heads = new ModuleDict({ digit: new Linear(128, 10), parity: new Linear(128, 2) });
 * heads.get('digit').call(h);
 * heads.keys(); // ['digit', 'parity']
 * ```
 */
export class ModuleDict<M extends Module<never[], unknown> = TensorModule> extends Module<
  never[],
  never
> {
  // Insertion order (own-property order would put integer-like keys first).
  readonly #order: string[] = [];

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    const pairs =
      Symbol.iterator in modules ? (modules as Iterable<[string, M]>) : Object.entries(modules);
    for (const [k, m] of pairs) this.set(k, m);
  }

  /** The module under `key`. */
  get(key: string): M {
    const m = this.#order.includes(key)
      ? (this as unknown as Record<string, unknown>)[key]
      : undefined;
    if (!(m instanceof Module))
      throw new RangeError(`ModuleDict has no module ${JSON.stringify(key)}`);
    return m as M;
  }

  /** Adds or replaces the module under `key`. */
  set(key: string, module: M): this {
    this.registerModule(key, module);
    if (!this.#order.includes(key)) this.#order.push(key);
    return this;
  }

  /** Removes the module under `key` and returns it (PyTorch's `pop`). */
  delete(key: string): M {
    const m = this.get(key);
    this.#order.splice(this.#order.indexOf(key), 1);
    delete (this as unknown as Record<string, unknown>)[key];
    return m;
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this.#order.includes(key);
  }

  /** Number of modules. */
  get length(): number {
    return this.#order.length;
  }

  /** Keys in insertion order. */
  keys(): string[] {
    return [...this.#order];
  }

  /** Modules in insertion order. */
  values(): M[] {
    return this.entries().map(([, m]) => m);
  }

  /** [key, module] pairs in insertion order. */
  entries(): [string, M][] {
    return this.namedChildren() as unknown as [string, M][];
  }

  override namedChildren(): [string, Module<never[], unknown>][] {
    const self = this as unknown as Record<string, unknown>;
    return this.#order
      .map((k) => [k, self[k]] as [string, unknown])
      .filter((e): e is [string, Module<never[], unknown>] => e[1] instanceof Module);
  }

  forward(): never {
    throw new TypeError('ModuleDict is not callable: get a module by key and call it');
  }

  /** Iterates over the keys, like a Python dict. */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}
