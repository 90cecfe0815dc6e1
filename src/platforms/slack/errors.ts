/**
 * @module Slack failures as {@link PlatformError}: whether a Web API error is worth retrying, when,
 * and whether Slack surely did not post; and the clear messages for a refused bot or app token.
 */
import { ErrorCode, type WebAPICallError } from '@slack/web-api';
import { errorMessage, PlatformError } from '../../shared/errors.ts';

/** Slack errors that mean the token or the app's install is wrong: a person must fix them. */
const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
  'ekm_access_denied',
]);
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'fatal_error',
  'internal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** The Slack error code of a refused Web API call (`not_in_channel`, `invalid_auth`…), if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  return (err as { data?: { error?: string } }).data?.error;
}

/** A Slack Web API failure as a PlatformError: is it worth retrying, when, and did Slack surely not post. */
export function toPlatformError(err: unknown): PlatformError {
  const e = err as Partial<WebAPICallError> & { code?: string };
  if (e.code === ErrorCode.RateLimitedError) {
    const retryAfter = (err as { retryAfter?: number }).retryAfter ?? 30;
    return new PlatformError('platform_rate_limited', `Slack rate limit: retry after ${retryAfter}s`, {
      retryable: true,
      definite: true,
      retryAfterMs: retryAfter * 1000,
      cause: err,
    });
  }
  if (e.code === ErrorCode.PlatformError) {
    const code = (err as { data?: { error?: string } }).data?.error ?? 'unknown';
    if (AUTH_ERRORS.has(code)) {
      return new PlatformError('platform_auth', `Slack refused the bot token or a scope is missing: ${code}`, {
        retryable: true,
        definite: true,
        cause: err,
      });
    }
    const transient = TRANSIENT_ERRORS.has(code);
    return new PlatformError(transient ? 'platform_unavailable' : 'platform_rejected', `Slack refused the call: ${code}`, {
      retryable: transient,
      definite: true,
      cause: err,
    });
  }
  if (e.code === ErrorCode.HTTPError) {
    const status = (err as { statusCode?: number }).statusCode ?? 0;
    const retryAfter = Number((err as { headers?: Record<string, string> }).headers?.['retry-after'] ?? Number.NaN);
    return new PlatformError(status === 429 ? 'platform_rate_limited' : 'platform_unavailable', `Slack answered HTTP ${status}`, {
      retryable: status >= 500 || status === 429 || status === 408,
      // A 5xx may come after the message was stored: check before posting again.
      definite: status < 500,
      ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
      cause: err,
    });
  }
  return new PlatformError('platform_unavailable', `Slack unreachable: ${errorMessage(err)}`, { retryable: true, cause: err });
}

/** `auth.test` failed at start: a refused bot token is fatal (a person must fix it); an outage is retried. */
export function botTokenError(err: unknown): PlatformError {
  const mapped = toPlatformError(err);
  if (mapped.code === 'platform_auth' || !mapped.retryable) {
    return new PlatformError('platform_auth', `Slack refused the bot token (SLACK_BOT_TOKEN): ${mapped.message}`, {
      retryable: false,
      cause: err,
    });
  }
  return mapped;
}

/** Listening or connecting failed at start: a refused app-level token is fatal, anything else mapped as usual. */
export function appStartError(err: unknown): PlatformError {
  const code = slackErrorCode(err);
  if (code && AUTH_ERRORS.has(code)) {
    return new PlatformError('platform_auth', `Slack refused the app-level token (SLACK_APP_TOKEN): ${code}`, {
      retryable: false,
      cause: err,
    });
  }
  return toPlatformError(err);
}
