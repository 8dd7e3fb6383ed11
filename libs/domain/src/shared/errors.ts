// Domain errors carry a stable `code`; the API's exception filter maps codes to HTTP statuses.
export type DomainErrorCode = 'RULE_VIOLATED' | 'NOT_FOUND' | 'DUPLICATE_ID' | 'FORBIDDEN';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A broken domain rule or a reference in a body that does not resolve (HTTP 422). */
export class RuleViolated extends DomainError {
  constructor(message: string) {
    super('RULE_VIOLATED', message);
  }
}

/** The aggregate named in the path does not exist (HTTP 404). */
export class NotFound extends DomainError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** A client-chosen id that exists already (HTTP 409). */
export class DuplicateId extends DomainError {
  constructor(message: string) {
    super('DUPLICATE_ID', message);
  }
}

/** The actor has the role but not the right over this particular fact (HTTP 403), e.g. retracting another key's report. */
export class Forbidden extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}
