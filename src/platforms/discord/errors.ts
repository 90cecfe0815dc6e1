/**
 * @module Discord failures as {@link PlatformError}: whether a REST error is worth retrying and
 * whether Discord surely did not post; and the clear messages for a refused token or intent at login.
 */
import { DiscordAPIError, HTTPError } from 'discord.js';
import { errorMessage, PlatformError } from '../../shared/errors.ts';

export function toPlatformError(err: unknown): PlatformError {
  if (err instanceof DiscordAPIError) {
    const status = err.status;
    if (status === 401) {
      return new PlatformError('platform_auth', `Discord refused the bot token (DISCORD_TOKEN): ${err.message}`, {
        retryable: true,
        definite: true,
        cause: err,
      });
    }
    const retryable = status >= 500 || status === 429;
    return new PlatformError(
      status === 429 ? 'platform_rate_limited' : retryable ? 'platform_unavailable' : 'platform_rejected',
      `Discord refused the call (${status} ${err.code}): ${err.message}${status === 403 ? ' (check the bot’s permissions in this channel)' : ''}`,
      // A 5xx may come after the message was stored: check before posting again.
      { retryable, definite: status < 500, cause: err },
    );
  }
  if (err instanceof HTTPError) {
    return new PlatformError('platform_unavailable', `Discord answered HTTP ${err.status}`, {
      retryable: err.status >= 500 || err.status === 429,
      definite: err.status < 500,
      cause: err,
    });
  }
  return new PlatformError('platform_unavailable', `Discord unreachable: ${errorMessage(err)}`, { retryable: true, cause: err });
}

/** Logging in to the gateway failed: a refused token or intent is fatal (a person must fix it), anything else mapped as usual. */
export function loginError(err: unknown): PlatformError {
  const code = (err as { code?: unknown }).code;
  const invalid = code === 'TokenInvalid' || /4004|Authentication failed|invalid token/i.test(errorMessage(err));
  if (invalid) return new PlatformError('platform_auth', 'Discord refused the bot token (DISCORD_TOKEN)', { retryable: false, cause: err });
  if (code === 'DisallowedIntents' || /4014|disallowed intent/i.test(errorMessage(err))) {
    return new PlatformError(
      'platform_auth',
      'Discord refused the Message Content intent: switch it on (Developer Portal → Bot → Message Content Intent) or set DISCORD_MESSAGE_CONTENT=false',
      { retryable: false, cause: err },
    );
  }
  return toPlatformError(err);
}
