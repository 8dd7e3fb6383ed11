// The contract's error codes (API.md) and the HTTP status each maps to. RATE_LIMITED is ours:
// API.md names no code for 429 (an API key over RATE_LIMIT_PER_MINUTE).
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
  RATE_LIMITED: 429,
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

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The `error` field of the error body: the status's standard reason phrase. */
export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? 'Error';
}
