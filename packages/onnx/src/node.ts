/**
 * @gd/onnx/node — the Node-only file writers of @gd/onnx on their own: a bundle for the
 * browser that imports this entry fails at build time instead of at run time. The main entry
 * exports the same functions in Node (and, in a browser, versions that explain what to do).
 *
 * @example
 * ```ts
 * import { randn } from '@gd/autograd';
 * import { SimpleNN } from '@gd/nn/models';
 * import { exportOnnx } from '@gd/onnx';
 * import { saveOnnx } from '@gd/onnx/node';
 *
 * saveOnnx(exportOnnx(new SimpleNN(), randn([2, 1, 28, 28])), 'out/model.onnx');
 * ```
 *
 * @packageDocumentation
 */
export { saveOnnx } from './platform.node.js';
export { writeTritonRepository } from './triton.js';
