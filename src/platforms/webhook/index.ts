/**
 * @module The webhook adapter: each delivery becomes one HTTP POST to a configured URL, as JSON (the
 * platform-neutral content, plus the console's text of it) or as that plain text alone. Outbound only:
 * no commands come back. Every request carries the delivery key in an `Idempotency-Key` header; an
 * attempt that may have reached the receiver (a timeout, a 5xx) is sent again with the same key, so a
 * receiver that remembers keys shows each delivery once, and one that does not may show it twice after
 * a crash or a lost answer (never none).
 */
import { errorMessage, PlatformError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ChatPlatform, PostRequest, PostResult } from '../chat-platform.ts';
import { renderForConsole } from '../present/console-text.ts';

/** The webhook's settings: where to post (WEBHOOK_URL), in which form, and how long to wait for an answer. */
export interface WebhookSettings {
  url: string;
  format: 'json' | 'text';
  timeoutMs: number;
}

/** The JSON body of a delivery (format `json`). */
export interface WebhookBody {
  /** The delivery's idempotency key (also the `Idempotency-Key` header). */
  key: string;
  channel: string;
  /** The key of the brief's first message, for every later part of the same brief (null for that first one). */
  thread: string | null;
  kind: string;
  /** The delivery as text (what the console prints). */
  text: string;
  /** The platform-neutral delivery content. */
  content: PostRequest['content'];
}

/** A refused or failed POST as a PlatformError the ledger understands (retry or not, posted or maybe). */
export function toPlatformError(status: number, retryAfter: string | null): PlatformError {
  const message = `webhook answered ${status}`;
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new PlatformError('platform_rate_limited', message, {
      retryable: true,
      definite: true,
      ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
    });
  }
  if (status === 401 || status === 403) return new PlatformError('platform_auth', message, { retryable: false, definite: true });
  // A 5xx or a 408 may have been processed before the failure: the next attempt repeats the key.
  if (status >= 500 || status === 408) return new PlatformError('platform_unavailable', message, { retryable: true });
  return new PlatformError('platform_rejected', message, { retryable: false, definite: true });
}

/** No answer: refused before anything was sent (certain), or cut off or timed out (maybe received). */
function networkError(err: unknown): PlatformError {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  const refused = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new PlatformError('platform_unavailable', `webhook not reached: ${errorMessage(err)}${code ? ` (${code})` : ''}`, {
    retryable: true,
    definite: refused,
    cause: err,
  });
}

/**
 * The delivery as text: the console's rendering, and under a brief's heading the headlines of its events,
 * numbered as the parts that follow (a receiver that shows only the first message still says what is in it);
 * `@channel`, `@here` and `@everyone` broken with a zero-width joiner.
 */
export function webhookText(content: PostRequest['content']): string {
  let text = renderForConsole(content).trim();
  if (content.kind === 'parent' && content.briefing.events.length) {
    text += `\n${content.briefing.events.map((e, i) => `${String(i + 1).padStart(2)}. ${e.title}`).join('\n')}`;
  }
  // A receiver may forward the text to a chat: a headline's "@everyone" must not ping anyone there.
  return text.replace(/@(?=(?:channel|here|everyone)\b)/gi, '@\u200D');
}

function requestOf(settings: WebhookSettings, request: PostRequest): { body: string; contentType: string } {
  const text = webhookText(request.content);
  if (settings.format === 'text') return { body: text, contentType: 'text/plain; charset=utf-8' };
  const body: WebhookBody = {
    key: request.key,
    channel: request.channelId,
    thread: request.threadRef,
    kind: request.content.kind,
    text,
    content: request.content,
  };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

export function createWebhookPlatform(settings: WebhookSettings, logger: Logger): ChatPlatform {
  return {
    name: 'webhook',
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    connected: () => true,
    async post(request, options): Promise<PostResult> {
      const { body, contentType } = requestOf(settings, request);
      if (options.inDoubt) logger.debug('sending again with the same key', { key: request.key, since: options.since });
      let response: Response;
      try {
        response = await fetch(settings.url, {
          method: 'POST',
          headers: {
            'content-type': contentType,
            'user-agent': 'briefbot',
            'idempotency-key': request.key,
            'x-briefbot-channel': request.channelId,
            ...(request.threadRef ? { 'x-briefbot-thread': request.threadRef } : {}),
          },
          body,
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
        await response.arrayBuffer();
      } catch (err) {
        throw networkError(err);
      }
      if (!response.ok) throw toPlatformError(response.status, response.headers.get('retry-after'));
      // No threads on a webhook: the first message's key stands for the brief's thread.
      return { messageRef: request.key, threadRef: request.threadRef ?? request.key };
    },
  };
}
