/** How a host retries an action that failed: attempts, and the wait before each retry. */
export interface RetryPolicy {
  /** tries in all, the first included (default 5) */
  attempts: number;
  /** the wait before the first retry, in ms (default 200); doubled each time */
  baseMs: number;
  /** the longest wait (default 30 s) */
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 200, maxMs: 30_000 };

/** The wait before try `attempt` (2, 3, …): exponential, with up to 20% jitter so that many
 *  failing runs do not retry in step. */
export function backoff(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 2));
  return Math.round(base * (0.8 + 0.2 * random()));
}

/** An error as the journal says it (one line, bounded). */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message
      : typeof error === 'string'
        ? error
        : (() => {
            try {
              return JSON.stringify(error);
            } catch {
              return String(error);
            }
          })();
  return (text ?? 'failed').replace(/\s+/g, ' ').slice(0, 500) || 'failed';
}
