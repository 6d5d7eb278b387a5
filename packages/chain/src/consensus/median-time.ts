import { MEDIAN_TIME_SPAN } from "./constants.ts";

/**
 * Bitcoin Core's GetMedianTimePast: the median of the last 11 block times ending with the block in
 * question (fewer near genesis). With an even count Core takes the upper middle after sorting.
 *
 * @param times block times oldest first, ending with the block whose median-time-past is wanted;
 *   only the last 11 are read.
 */
export function medianTimePast(times: readonly number[]): number {
  if (times.length === 0) throw new RangeError("medianTimePast: needs at least one block time");
  const window = times.slice(-MEDIAN_TIME_SPAN).sort((a, b) => a - b);
  return window[Math.floor(window.length / 2)]!;
}
