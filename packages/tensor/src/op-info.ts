/**
 * @gd/tensor/op-info — the op registry's documentation, test specs and ONNX mappings: each
 * elementwise op's line of documentation, the PyTorch call (with parameter samples) its fixtures
 * are made from and the ONNX operator it is exported as, by op name. Tooling reads it (the API
 * reference, `tooling/fixtures/generate.mjs`), and so do `@gd/onnx` and tests that loop over the
 * registry; what running an op takes is `UNARY_REGISTRY` and `BINARY_REGISTRY` in `@gd/tensor`.
 *
 * @example
 * ```ts
 * import { UNARY_OP_INFO } from '@gd/tensor/op-info';
 * UNARY_OP_INFO.elu.torch; // 'torch.nn.functional.elu(x, alpha)'
 * UNARY_OP_INFO.elu.samples; // [{ alpha: 0.5 }]
 * UNARY_OP_INFO.elu.onnx?.op; // 'Elu'
 * ```
 *
 * @packageDocumentation
 */
export { BINARY_OP_INFO, UNARY_OP_INFO } from './ops/registry/op-info.js';
export type {
  BinaryOpInfo,
  FixtureSpec,
  OnnxMapping,
  UnaryOpInfo,
} from './ops/registry/op-info.js';
