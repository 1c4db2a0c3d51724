/**
 * The version of @gd/onnx, written into exported models as `producer_version`.
 *
 * @example
 * ```ts
 * readOnnxMetadata(bytes).producer_version === GD_ONNX_VERSION; // true for models exported here
 * ```
 */
export const GD_ONNX_VERSION = '0.1.0';
