// The contract's error codes (API.md) and the HTTP status each maps to.
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  DUPLICATE_ID: 409,
  PAYLOAD_TOO_LARGE: 413,
  RULE_VIOLATED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The error body every endpoint answers with. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string | string[];
}
