/**
 * @module Coded errors. Every failure the bot reports carries a stable snake_case `code`, so logs,
 * feed health and tests can tell "their outage" (a feed's 500, a platform's 429) from "our bug".
 */

export type ErrorCode =
  | 'config_invalid'
  | 'config_unreadable'
  | 'bad_arguments'
  | 'store_unusable'
  | 'fetch_timeout'
  | 'fetch_too_large'
  | 'fetch_too_many_redirects'
  | 'fetch_blocked_address'
  | 'fetch_http_status'
  | 'fetch_network'
  | 'fetch_bad_url'
  | 'fetch_decode'
  | 'feed_empty'
  | 'feed_not_a_feed'
  | 'feed_malformed'
  | 'platform_rate_limited'
  | 'platform_unavailable'
  | 'platform_rejected'
  | 'platform_auth'
  | 'llm_failed'
  | 'store_busy';

export class BriefbotError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Something wrong with config or env; `issues` lists every problem with its key path. */
export class ConfigError extends BriefbotError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], code: ErrorCode = 'config_invalid') {
    super(code, issues.length ? `${message}\n${issues.map((i) => `  - ${i}`).join('\n')}` : message);
    this.issues = issues;
  }
}

/** Failure fetching a URL. `retryAfterMs` is set when the server said when to come back. */
export class FetchError extends BriefbotError {
  readonly url: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(code: ErrorCode, message: string, details: { url: string; status?: number; retryAfterMs?: number; cause?: unknown }) {
    super(code, message, { cause: details.cause });
    this.url = details.url;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** A feed body that could not be turned into items at all. */
export class FeedParseError extends BriefbotError {}

/**
 * A chat platform refused or failed a call; `retryAfterMs` when it asked us to wait. `definite` when the
 * platform answered that it did not do it (a 4xx, a 429, `ok: false`): nothing was posted. Otherwise (a
 * timeout, a dropped connection, a 5xx) the message may have gone out, and the next attempt checks first.
 */
export class PlatformError extends BriefbotError {
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly definite: boolean;
  constructor(
    code: ErrorCode,
    message: string,
    details: { retryAfterMs?: number; retryable: boolean; definite?: boolean; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.retryAfterMs = details.retryAfterMs;
    this.retryable = details.retryable;
    this.definite = details.definite ?? false;
  }
}

/** The same failure, but part of the attempt may have gone out (an earlier part was posted). */
export function notDefinite(err: PlatformError): PlatformError {
  if (!err.definite) return err;
  return new PlatformError(err.code, err.message, {
    retryable: err.retryable,
    definite: false,
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    cause: err.cause,
  });
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorCode(err: unknown): string {
  if (err instanceof BriefbotError) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}
