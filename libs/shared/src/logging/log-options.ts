// The pino options both apps log with: one JSON object a line, level names, ISO times, and the
// fields a careless log call could fill with a secret censored. The paths are exact, no
// wildcards: a wildcard makes pino pass every value of every line through the redactor.
import { stdTimeFunctions, type LoggerOptions } from 'pino';

/** Names under which an API key, the admin key or a credential could reach a log line. */
const SECRET_FIELDS = ['authorization', 'apiKey', 'key', 'secret', 'password', 'ADMIN_API_KEY'];

export const REDACTED = '[redacted]';

export function logOptions(app: 'api' | 'worker', level: string): LoggerOptions {
  return {
    level,
    base: { app, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        ...SECRET_FIELDS,
        'headers.authorization',
        'req.headers.authorization',
        'req.headers.cookie',
        'config.ADMIN_API_KEY',
      ],
      censor: REDACTED,
    },
  };
}
