// What every command handler supplies besides the command: the clock and who is acting.
export const ACTOR_ROLES = [
  'reader',
  'monitor',
  'verifier',
  'coordinator',
  'auditor',
  'admin',
] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export interface Actor {
  readonly keyId: string;
  readonly name: string;
  readonly role: ActorRole;
}

export interface CommandContext {
  /** The time of recording (ISO-8601 UTC); injected so tests and replays control the clock. */
  readonly now: string;
  readonly actor: Actor;
}

/**
 * The facts of an agreement that obligation and violation rules check against. Build it with
 * `agreementFacts(state)` from the folded agreement stream; `null` means the agreement does not exist.
 */
export interface AgreementFacts {
  readonly agreementId: string;
  readonly effectiveAt: string;
  readonly partyIds: readonly string[];
  readonly phaseKeys: readonly string[];
}
