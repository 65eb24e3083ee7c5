/**
 * How long one timed batch lasts at least: measurement policy shared by the plan (built on the
 * page) and the engine (which times in the worker), so both read the same numbers.
 */

/**
 * A batch this long keeps the error of Chrome's timestamp quantization (0.1 ms without
 * developer flags) at or under 1 % (0.1 ms / 10 ms).
 */
export const MIN_BATCH_MS = 10;

/**
 * Without timestamps a sample is submit → onSubmittedWorkDone, which includes a fixed latency.
 * The median latency of an empty submission is subtracted; what it misses (its jitter) is spread
 * over a batch this long, so it stays small for short and long workloads alike.
 */
export const MIN_WALL_BATCH_MS = 50;
