/**
 * The time, as an injectable: the 512(g) restore dates and the worker's restorations read it, so that a test can
 * move the clock to day 9 or day 10 instead of waiting. Everything else reads the database's now() or Date.
 */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
