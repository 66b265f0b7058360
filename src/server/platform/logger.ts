import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Bodies are never logged; the redaction list is a
 * second line of defence for fields that could carry a secret.
 */
export function createLogger(options: { level: string; pretty?: boolean }): Logger {
  return pino({
    level: options.level,
    base: undefined,
    redact: {
      paths: ['password', '*.password', 'secret', '*.secret', 'token', '*.token', 'apiKey', '*.apiKey', 'credential', '*.credential', 'authorization', '*.authorization', 'cookie', '*.cookie', 'connectionString', '*.connectionString', 'databaseUrl', '*.databaseUrl'],
      censor: '[redacted]',
    },
    ...(options.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
