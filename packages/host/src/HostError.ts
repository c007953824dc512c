import { RunError, type RunErrorCode } from '@sopflow/runtime';

/** Stable codes of what a host refuses, besides the run's own (`RunErrorCode`). */
export type HostErrorCode =
  | RunErrorCode
  | 'not-found' // no run with that id
  | 'unknown-sop' // no SOP with that id is served
  | 'exists' // start with an id that is taken
  | 'stale' // the move expected another revision
  | 'bad-request' // a call with malformed arguments
  | 'unauthorized' // no or a bad credential (HTTP)
  | 'forbidden' // the credential may not do this (HTTP)
  | 'too-large' // a request body over the limit (HTTP)
  | 'rate-limited' // too many requests (HTTP)
  | 'unavailable'; // the host is closed, or its engine cannot be reached

/** What a host throws: a code to act on, a sentence for people. */
export class HostError extends Error {
  override name = 'HostError';
  constructor(
    readonly code: HostErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** A RunError as a HostError with the same code; anything else as it is. */
  static from(error: unknown): unknown {
    return error instanceof RunError ? new HostError(error.code, error.message, { cause: error }) : error;
  }
}

/** The HTTP status of each code: 404 not found, 409 stale or taken, 422 a move the run refuses. */
export function httpStatus(code: HostErrorCode): number {
  switch (code) {
    case 'not-found':
    case 'unknown-sop':
      return 404;
    case 'stale':
    case 'exists':
      return 409;
    case 'bad-request':
    case 'invalid-move':
    case 'invalid-input':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
    case 'role-required':
      return 403;
    case 'too-large':
      return 413;
    case 'rate-limited':
      return 429;
    case 'unavailable':
      return 503;
    default:
      return 422;
  }
}
