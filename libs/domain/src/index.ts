// Public API of the pure domain: events, commands, deciders and the computed status rules.
export * from './shared';
export * from './events';

export * from './agreements/agreement.events';
export * from './agreements/agreement.commands';
export * from './agreements/agreement.decider';

export * from './obligations/obligation.events';
export * from './obligations/obligation.commands';
export * from './obligations/obligation.decider';
export * from './obligations/obligation-status';

export * from './violations/violation.events';
export * from './violations/violation.commands';
export * from './violations/violation.decider';
export * from './violations/violation-verification';
