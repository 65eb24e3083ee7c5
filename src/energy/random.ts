/** The Monte Carlo's randomness lives in src/shared so the server can recompute a document's energy. */
export * from '../shared/random.ts';
