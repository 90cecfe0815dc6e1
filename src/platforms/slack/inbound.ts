/**
 * @module Slack inbound: what people do in Slack, as calls to the command handlers. `/brief <topic>`
 * (acknowledged at once, answered for the asker alone), a message in a brief's thread, and the
 * Sources button become {@link InboundHandlers} calls; nothing is decided here.
 */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { EventBrief } from '../../core/types.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { BriefAnswer, InboundHandlers } from '../chat-platform.ts';
import { BRIEF_FAILED, briefPlannedReply, EMPTY_TOPIC_HINT, NOTHING_MATCHED, previewNotMemberReply } from '../present/replies.ts';
import { type Block, renderEventReply, renderSlack, SOURCES_ACTION_ID } from './render.ts';
import { escapeSlackText } from './text.ts';

/** What the inbound side needs besides the handlers. */
export interface SlackInboundDeps {
  logger: Logger;
  /** Whether the bot can post in a conversation. */
  reach(channelId: string): Promise<'postable' | 'not_member'>;
}

/** The brief as blocks for one ephemeral answer: the headlines, then each event, within Slack's block limit. */
function previewBlocks(events: readonly EventBrief[]): Block[] {
  const out: Block[] = [];
  events.forEach((event, i) => {
    for (const m of renderEventReply(event, i + 1, { sourcesButton: false })) out.push(...m.blocks);
  });
  return out.filter((b) => b.type !== 'actions').slice(0, 45);
}

/** The asker's answer to `/brief`, visible to them alone. */
async function answerBrief(respond: RespondFn, topic: string, answer: BriefAnswer): Promise<void> {
  if (answer.kind === 'preview') {
    // Not ours to post in (a private channel or a DM the bot is not in): the brief, for the asker alone.
    const text = previewNotMemberReply(escapeSlackText(topic));
    await respond({
      response_type: 'ephemeral',
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, ...previewBlocks(answer.events)],
    });
    return;
  }
  if (answer.kind === 'planned') {
    await respond({
      response_type: 'ephemeral',
      text: briefPlannedReply(escapeSlackText(topic), answer.events, answer.fresh, 'this channel'),
    });
    return;
  }
  const [message] = renderSlack({ kind: 'no_match', topic: answer.kind === 'no_match' ? answer.topic : '', latest: answer.latest });
  const hint = answer.kind === 'empty_topic' ? EMPTY_TOPIC_HINT : '';
  await respond({
    response_type: 'ephemeral',
    text: `${hint}${message?.text ?? NOTHING_MATCHED}`,
    blocks: message?.blocks ?? [],
  });
}

/** `/brief <topic>`: acknowledged at once (Slack wants an answer within 3 s); the brief follows in the channel. */
async function onBrief(inbound: InboundHandlers, deps: SlackInboundDeps, command: SlashCommand, respond: RespondFn): Promise<void> {
  const topic = command.text.trim();
  try {
    const where = await deps.reach(command.channel_id);
    const answer = await inbound.brief({
      platform: 'slack',
      channelId: command.channel_id,
      userId: command.user_id,
      topic,
      deliver: where === 'postable',
    });
    await answerBrief(respond, topic, answer);
  } catch (err) {
    deps.logger.error('/brief failed', { error: errorMessage(err) });
    await respond({ response_type: 'ephemeral', text: BRIEF_FAILED }).catch(() => undefined);
  }
}

/** A person's message in a thread (never the bot's, never an edit or a join). */
async function onThreadMessage(inbound: InboundHandlers, logger: Logger, message: unknown): Promise<void> {
  const m = message as {
    subtype?: string;
    bot_id?: string;
    thread_ts?: string;
    ts?: string;
    text?: string;
    channel?: string;
    user?: string;
  };
  if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.channel || !m.text) return;
  try {
    await inbound.threadMessage({
      platform: 'slack',
      channelId: m.channel,
      threadRef: m.thread_ts,
      text: m.text,
      userId: m.user ?? '',
      requestId: m.ts ?? `${m.thread_ts}:${m.text}`,
    });
  } catch (err) {
    logger.error('slack thread message failed', { error: errorMessage(err) });
  }
}

/** The Sources button under an event: its sources, posted in the thread. */
async function onSourcesButton(inbound: InboundHandlers, logger: Logger, body: unknown, action: unknown): Promise<void> {
  const b = body as {
    user?: { id?: string };
    channel?: { id?: string };
    message?: { ts?: string; thread_ts?: string };
    container?: { channel_id?: string; message_ts?: string; thread_ts?: string };
  };
  const channelId = b.channel?.id ?? b.container?.channel_id;
  const threadRef = b.message?.thread_ts ?? b.container?.thread_ts ?? b.message?.ts ?? b.container?.message_ts;
  const a = action as { value?: string; action_ts?: string };
  if (!channelId || !threadRef) return;
  try {
    await inbound.sources({
      platform: 'slack',
      channelId,
      threadRef,
      eventId: a.value ?? null,
      number: null,
      requestId: `${b.user?.id ?? ''}:${a.action_ts ?? threadRef}`,
    });
  } catch (err) {
    logger.error('slack sources button failed', { error: errorMessage(err) });
  }
}

/** Adds briefbot's listeners to the app. */
export function registerSlackHandlers(app: App, inbound: InboundHandlers, deps: SlackInboundDeps): void {
  app.command('/brief', async ({ command, ack, respond }) => {
    await ack();
    await onBrief(inbound, deps, command, respond);
  });
  app.message(async ({ message }) => {
    await onThreadMessage(inbound, deps.logger, message);
  });
  app.action(SOURCES_ACTION_ID, async ({ ack, body, action }) => {
    await ack();
    await onSourcesButton(inbound, deps.logger, body, action);
  });
  app.error(async (err) => {
    deps.logger.error('slack handler error', { error: errorMessage(err) });
  });
}
