/**
 * @module Slack outbound: posting a delivery's messages through the Web API, each tagged with its
 * part key in Slack message metadata, and finding them again when an earlier attempt is in doubt
 * (a crash or a lost answer), so only what is missing is posted. Also tells whether the bot can post
 * in a conversation at all.
 */
import { WebClient } from '@slack/web-api';
import { notDefinite, PlatformError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PostRequest, PostResult } from '../chat-platform.ts';
import { boltLogger, type SlackApiOptions } from './connection.ts';
import { slackErrorCode, toPlatformError } from './errors.ts';
import { renderSlack } from './render.ts';

const METADATA_TYPE = 'briefbot_delivery';

/** Posting and looking up what was posted. */
export interface SlackOutbound {
  post(request: PostRequest, options: { inDoubt: boolean; since: string | null }): Promise<PostResult>;
  /** Whether the bot can post in a conversation, or is not a member of it. */
  reach(channelId: string): Promise<'postable' | 'not_member'>;
}

/**
 * The Web API client that posts. It needs no App: it is usable before (and whatever happens to) the
 * inbound side. It never retries by itself: a retry that follows a lost answer could post twice, so
 * retries go through the ledger, which checks first. Rate limits come back at once with their Retry-After.
 */
export function createSlackWebClient(botToken: string, apiOptions: SlackApiOptions, logger: Logger, timeoutMs = 30_000): WebClient {
  return new WebClient(botToken, {
    ...apiOptions,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
    logger: boltLogger(logger),
  });
}

interface FoundMessage {
  ts: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}

/**
 * Messages briefbot already posted for this delivery, by part key: top-level parts in the channel's
 * history since the in-doubt attempt started, the other parts in the thread they went to.
 */
async function findParts(
  client: WebClient,
  channel: string,
  threadRef: string | null,
  key: string,
  since: Date,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const oldest = String(Math.floor(since.getTime() / 1000) - 300);
  const collect = (messages: FoundMessage[] | undefined) => {
    for (const m of messages ?? []) {
      const k = m.metadata?.event_type === METADATA_TYPE ? m.metadata.event_payload?.key : undefined;
      if (typeof k === 'string' && k.startsWith(`${key}#`)) found.set(k, m.ts);
    }
  };
  const scan = async (thread: string | null) => {
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const args = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = thread ? await client.conversations.replies({ ...args, ts: thread }) : await client.conversations.history(args);
      collect(res.messages as FoundMessage[] | undefined);
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) break;
    }
  };
  await scan(threadRef);
  const first = found.get(`${key}#0`);
  // A long top-level message continues in its own thread.
  if (!threadRef && first) await scan(first);
  return found;
}

/** Posts the parts of a delivery not already there (when `since` is set, looking first). */
async function postParts(client: WebClient, request: PostRequest, since: Date | null): Promise<PostResult> {
  const parts = renderSlack(request.content);
  const existing = since ? await findParts(client, request.channelId, request.threadRef, request.key, since) : new Map<string, string>();
  let first: string | null = existing.get(`${request.key}#0`) ?? null;
  let postedSome = false;
  for (const [i, part] of parts.entries()) {
    const partKey = `${request.key}#${i}`;
    if (existing.has(partKey)) continue;
    const thread = request.threadRef ?? (i > 0 ? first : null);
    const res = await client.chat
      .postMessage({
        channel: request.channelId,
        text: part.text,
        blocks: part.blocks,
        ...(thread ? { thread_ts: thread } : {}),
        metadata: { event_type: METADATA_TYPE, event_payload: { key: partKey } },
        unfurl_links: false,
        unfurl_media: false,
      })
      .catch((err: unknown) => {
        // Some parts are out: the retry must look before it posts, whatever this failure says.
        const mapped = toPlatformError(err);
        throw postedSome ? notDefinite(mapped) : err;
      });
    postedSome = true;
    if (i === 0) first = res.ts ?? null;
  }
  if (!first) throw new PlatformError('platform_rejected', 'Slack did not return a message ts', { retryable: true });
  return { messageRef: first, threadRef: request.threadRef ?? first };
}

/**
 * Whether the bot can post in a conversation: a public channel it can join, or any channel it is a
 * member of. A private channel or a DM it is not in is invisible to it (channel_not_found).
 */
async function reach(client: WebClient, channelId: string): Promise<'postable' | 'not_member'> {
  try {
    const info = (await client.conversations.info({ channel: channelId })) as {
      channel?: { is_member?: boolean; is_private?: boolean; is_im?: boolean; is_mpim?: boolean };
    };
    const c = info.channel ?? {};
    if (c.is_member) return 'postable';
    return c.is_private || c.is_im || c.is_mpim ? 'not_member' : 'postable';
  } catch (err) {
    const code = slackErrorCode(err);
    if (code === 'channel_not_found' || code === 'method_not_supported_for_channel_type') return 'not_member';
    // Slack cannot be asked just now: plan the brief as usual; the ledger retries.
    return 'postable';
  }
}

/** Posting through `client`. */
export function createSlackOutbound(client: WebClient): SlackOutbound {
  return {
    async post(request, { inDoubt, since }) {
      // An attempt whose outcome is unknown: look for it from when it started (or, if that is not known, two days back).
      const lookFrom = inDoubt ? new Date(since ? Date.parse(since) : Date.now() - 2 * 86_400_000) : null;
      try {
        return await postParts(client, request, lookFrom);
      } catch (err) {
        if (err instanceof PlatformError) throw err;
        // Not in a public channel yet: join it (channels:join) and try once more.
        if (slackErrorCode(err) === 'not_in_channel') {
          try {
            await client.conversations.join({ channel: request.channelId });
            return await postParts(client, request, lookFrom);
          } catch (again) {
            throw toPlatformError(again);
          }
        }
        throw toPlatformError(err);
      }
    },
    reach: (channelId) => reach(client, channelId),
  };
}
