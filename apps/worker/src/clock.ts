// The worker's clock, injectable so tests decide what time it is.
export type Clock = () => Date;
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = () => new Date();
