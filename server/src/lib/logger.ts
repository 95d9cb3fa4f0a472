import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Anything that could hold a credential is redacted by path, as a second line of
 * defence: the code never logs request bodies, and tokens never leave the session layer in clear.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers["x-ray-authorization"]',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'token',
  '*.token',
  'headers.authorization',
  'headers["x-ray-authorization"]',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ray-console' },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    destination ?? process.stdout,
  );
}
