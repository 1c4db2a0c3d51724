/**
 * The one error type every front end (HTTP, gRPC) maps to its own status: an HTTP status code,
 * a metrics kind, and a message that names the field at fault.
 */

/** An error answered as `{ error }` with a status and a metrics kind. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}
