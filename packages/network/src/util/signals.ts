import { setMaxListeners } from "node:events";

/**
 * A signal that aborts when the caller's signal does or when `timeoutMs` passes, and tells the two
 * apart: `timedOut()` is true only for the deadline.
 */
export function deadlineSignal(
  timeoutMs: number,
  parent?: AbortSignal,
): { signal: AbortSignal; timedOut: () => boolean } {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = parent === undefined ? timeout : AbortSignal.any([parent, timeout]);
  // Several listeners (stream reads, drains, dials) attach to one request's signal.
  setMaxListeners(Number.POSITIVE_INFINITY, signal);
  return { signal, timedOut: () => timeout.aborted && !(parent?.aborted ?? false) };
}

export function isAbortLike(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "TimeoutError";
}
