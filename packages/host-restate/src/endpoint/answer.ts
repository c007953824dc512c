import { HostError } from '@sopflow/host';
import { RunError } from '@sopflow/runtime';
import type { Answer } from '../wire.js';

/** Thrown for what may pass if Restate tries the invocation again (a build that could not be
 *  fetched): the handler fails and Restate retries it, instead of answering a refusal. */
export class Transient extends Error {
  override name = 'Transient';
}

/**
 * Runs a handler body: its value, or its refusal (a HostError or RunError) as an answer. A
 * refusal is an answer so that Restate never retries it; anything else fails the attempt and
 * Restate retries it (an endpoint that lost a build fetch, a bug that a new deployment fixes).
 */
export async function answer<T>(body: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: await body() };
  } catch (error) {
    if (error instanceof HostError) return { error: { code: error.code, message: error.message } };
    if (error instanceof RunError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
}
