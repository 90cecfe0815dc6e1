import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Logger, LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { createSlackRequester, type SlackRequester, slackSignature } from '../../fakes/slack-requests.ts';

const signingSecret = 'test-signing-secret';
const CHANNEL = 'C1';

let fake: FakeSlackApi;
let app: App;
let slack: SlackRequester;
let port: number;

const logged: string[] = [];
const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (...msg: unknown[]) => logged.push(`warn: ${msg.map(String).join(' ')}`),
  error: (...msg: unknown[]) => logged.push(`error: ${msg.map(String).join(' ')}`),
  setLevel: () => {},
  getLevel: () => LogLevel.WARN,
  setName: () => {},
};

/** What reached the app's listeners. */
const seen = {
  commands: [] as Array<{ command: string; text: string; channel: string; user: string }>,
  messages: [] as Array<{ channel: string; user: string | undefined; text: string | undefined; ts: string; thread_ts: string | undefined }>,
  actions: [] as Array<{ action_id: string; value: string | undefined; channel: string | undefined; message_ts: string | undefined }>,
};

function webClient(options: ConstructorParameters<typeof webApi.WebClient>[1] = {}): webApi.WebClient {
  return new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger, ...options });
}

async function rejection(p: Promise<unknown>): Promise<Error & { code?: unknown }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  fake = await startFakeSlackApi();
  app = new App({
    token: 'xoxb-test',
    receiver: new HTTPReceiver({ signingSecret, endpoints: '/slack/events', logger: quietLogger }),
    logger: quietLogger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });

  app.command('/brief', async ({ command, ack, client, respond }) => {
    await ack();
    seen.commands.push({ command: command.command, text: command.text, channel: command.channel_id, user: command.user_id });
    if (command.text === 'respond') {
      await respond({ response_type: 'ephemeral', text: 'Only you can see this' });
      return;
    }
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `Brief: ${command.text}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*Brief:* ${command.text}` } },
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'brief_more', value: 'b1', text: { type: 'plain_text', text: 'More' } }],
        },
      ],
      metadata: { event_type: 'briefbot_brief', event_payload: { brief_id: 'b1', topic: command.text } },
    });
  });

  app.message(async ({ message, client }) => {
    if (message.subtype !== undefined) return;
    seen.messages.push({ channel: message.channel, user: message.user, text: message.text, ts: message.ts, thread_ts: message.thread_ts });
    if (message.thread_ts) {
      await client.chat.postMessage({ channel: message.channel, thread_ts: message.thread_ts, text: `Re: ${message.text ?? ''}` });
    }
  });

  app.action('brief_more', async ({ ack, body, action, client, respond }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const value = action.type === 'button' ? action.value : undefined;
    seen.actions.push({ action_id: 'brief_more', value, channel: body.channel?.id, message_ts: body.message?.ts });
    if (body.channel && body.message) {
      await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: 'Brief (expanded)' });
    }
    await respond({ replace_original: false, text: `More on ${value ?? '?'}` });
  });

  const server = (await app.start(0)) as Server;
  port = (server.address() as AddressInfo).port;
  slack = createSlackRequester({ url: `http://127.0.0.1:${port}`, signingSecret, responseUrl: fake.responseUrl });
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('fakes/fake-slack-api', () => {
  describe('with a real Bolt App', () => {
    it('answers the auth.test Bolt makes at start-up, with the bot token as a Bearer header', async () => {
      // Bolt fires auth.test from the App constructor and does not await it in start(): it may still be in flight.
      const [call] = await fake.waitForCalls('auth.test');
      expect(call?.token).toBe('xoxb-test');
      expect(call?.headers.authorization).toBe('Bearer xoxb-test');
      expect(call?.response).toMatchObject({ status: 200, body: { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' } });
    });

    it('acks a signed slash command and stores the message it posts, with blocks and metadata decoded', async () => {
      const res = await slack.slashCommand({ command: '/brief', text: 'ukraine', channel_id: CHANNEL, user_id: 'U1' });
      expect(res.status).toBe(200);
      expect(res.body).toBe('');

      // The listener goes on after ack() has answered the HTTP request: wait for what it does next.
      const [call] = await fake.waitForCalls('chat.postMessage');
      expect(seen.commands).toContainEqual({ command: '/brief', text: 'ukraine', channel: CHANNEL, user: 'U1' });
      expect(call?.contentType).toBe('application/x-www-form-urlencoded');
      // On the wire, objects are JSON strings inside the form body…
      expect(new URLSearchParams(call?.rawBody).get('metadata')).toBe(
        JSON.stringify({ event_type: 'briefbot_brief', event_payload: { brief_id: 'b1', topic: 'ukraine' } }),
      );
      // …and the fake decodes them.
      expect(call?.args.metadata).toEqual({ event_type: 'briefbot_brief', event_payload: { brief_id: 'b1', topic: 'ukraine' } });

      const [stored] = fake.messages(CHANNEL);
      expect(stored).toMatchObject({
        text: 'Brief: ukraine',
        user: 'UBOT',
        bot_id: 'BBOT',
        metadata: { event_type: 'briefbot_brief', event_payload: { brief_id: 'b1', topic: 'ukraine' } },
      });
      expect(stored?.blocks).toHaveLength(2);
      expect(stored?.ts).toMatch(/^\d{10}\.\d{6}$/);
    });

    it('finds the posted message again with conversations.history, metadata only when asked for', async () => {
      const withMetadata = await app.client.conversations.history({ channel: CHANNEL, include_all_metadata: true });
      expect(withMetadata.ok).toBe(true);
      expect(withMetadata.messages?.[0]?.metadata).toEqual({
        event_type: 'briefbot_brief',
        event_payload: { brief_id: 'b1', topic: 'ukraine' },
      });
      const without = await app.client.conversations.history({ channel: CHANNEL });
      expect(without.messages?.[0]?.text).toBe('Brief: ukraine');
      expect(without.messages?.[0]?.metadata).toBeUndefined();
    });

    it('delivers a thread reply to the message listener, and the bot reply shows in conversations.replies', async () => {
      const parent = fake.messages(CHANNEL)[0]!;
      const userReply = fake.addMessage(CHANNEL, { user: 'U1', text: 'why?', thread_ts: parent.ts });
      const res = await slack.message({ channel: CHANNEL, user: 'U1', text: 'why?', ts: userReply.ts, thread_ts: parent.ts });
      expect(res.status).toBe(200);

      await fake.waitFor(() => fake.thread(CHANNEL, parent.ts).length === 3, 2000, 'the bot reply');
      expect(seen.messages).toContainEqual({ channel: CHANNEL, user: 'U1', text: 'why?', ts: userReply.ts, thread_ts: parent.ts });
      const replies = await app.client.conversations.replies({ channel: CHANNEL, ts: parent.ts, include_all_metadata: true });
      expect(replies.messages?.map((m) => [m.user, m.text])).toEqual([
        ['UBOT', 'Brief: ukraine'],
        ['U1', 'why?'],
        ['UBOT', 'Re: why?'],
      ]);
      expect(replies.messages?.[0]).toMatchObject({ reply_count: 2, thread_ts: parent.ts, metadata: { event_type: 'briefbot_brief' } });
      expect(replies.messages?.[2]?.thread_ts).toBe(parent.ts);

      // Thread replies stay out of the channel history.
      const history = await app.client.conversations.history({ channel: CHANNEL });
      expect(history.messages).toHaveLength(1);
      expect(history.messages?.[0]).toMatchObject({ reply_count: 2, latest_reply: replies.messages?.[2]?.ts });
    });

    it("ignores the bot's own messages (Bolt's ignoreSelf)", async () => {
      const res = await slack.message({ channel: CHANNEL, user: 'UBOT', text: 'my own brief' });
      expect(res.status).toBe(200);
      // A later message from someone else is a barrier: once it is seen, the bot's own has been dropped.
      await slack.message({ channel: 'C9', user: 'U3', text: 'barrier' });
      await fake.waitFor(() => seen.messages.some((m) => m.text === 'barrier'), 2000, 'the barrier message');
      expect(seen.messages.some((m) => m.user === 'UBOT')).toBe(false);
    });

    it('routes a block action, and records what the app sends to the response_url', async () => {
      const parent = fake.messages(CHANNEL)[0]!;
      const res = await slack.blockAction({
        action_id: 'brief_more',
        value: 'b1',
        channel_id: CHANNEL,
        message_ts: parent.ts,
        user_id: 'U1',
        response_url: fake.responseUrl('act-1'),
        message: { text: parent.text, blocks: parent.blocks },
      });
      expect(res.status).toBe(200);

      await fake.waitFor(() => fake.responsesTo('act-1').length === 1, 2000, 'the response_url post');
      expect(seen.actions).toContainEqual({ action_id: 'brief_more', value: 'b1', channel: CHANNEL, message_ts: parent.ts });
      expect(fake.responsesTo('act-1')[0]?.body).toEqual({ replace_original: false, text: 'More on b1' });
      expect(fake.callsTo('chat.update')).toHaveLength(1);
      expect(fake.messages(CHANNEL)[0]).toMatchObject({ ts: parent.ts, text: 'Brief (expanded)', edited: { user: 'UBOT' } });
    });

    it("sends a slash command's default response_url to the fake", async () => {
      const res = await slack.slashCommand({ command: '/brief', text: 'respond', channel_id: CHANNEL, user_id: 'U2' });
      expect(res.status).toBe(200);
      const id = decodeURIComponent(res.sent.response_url.split('/response/')[1] ?? '');
      await fake.waitFor(() => fake.responsesTo(id).length === 1);
      expect(fake.responsesTo(id)[0]?.body).toEqual({ response_type: 'ephemeral', text: 'Only you can see this' });
    });

    it('rejects a bad signature, a missing signature and a stale timestamp with 401, before any listener', async () => {
      const before = seen.commands.length;
      const input = { command: '/brief', text: 'forged', channel_id: CHANNEL, user_id: 'U9' };
      expect((await slack.slashCommand(input, { signature: 'bad' })).status).toBe(401);
      expect((await slack.slashCommand(input, { signature: 'missing' })).status).toBe(401);
      expect((await slack.slashCommand(input, { stale: true })).status).toBe(401);
      expect(
        (await slack.event({ type: 'message', channel: CHANNEL, user: 'U9', text: 'x', ts: '1.000001' }, { signature: 'bad' })).status,
      ).toBe(401);
      expect(seen.commands).toHaveLength(before);
      expect(seen.messages.some((m) => m.user === 'U9')).toBe(false);
    });

    it('answers url_verification with the challenge', async () => {
      const res = await slack.urlVerification('challenge-123');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ challenge: 'challenge-123' });
    });

    it('sends raw bodies signed, so a hand-built request works too', async () => {
      const body = JSON.stringify({ type: 'url_verification', challenge: 'raw-1', token: 't' });
      const res = await slack.raw(body, { 'Content-Type': 'application/json' });
      expect(res.json).toEqual({ challenge: 'raw-1' });
      const ts = Math.floor(Date.now() / 1000);
      expect(slackSignature(signingSecret, ts, body)).toMatch(/^v0=[0-9a-f]{64}$/);
    });
  });

  describe('failures and test controls', () => {
    beforeEach(() => fake.reset());

    it('turns a queued 429 into a WebAPIRateLimitedError carrying retryAfter (rejectRateLimitedCalls)', async () => {
      fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 7 });
      const client = webClient({ rejectRateLimitedCalls: true });
      const err = await rejection(client.chat.postMessage({ channel: CHANNEL, text: 'hi' }));
      expect(err).toBeInstanceOf(webApi.WebAPIRateLimitedError);
      expect(err.code).toBe(webApi.ErrorCode.RateLimitedError);
      expect(err instanceof webApi.WebAPIRateLimitedError && err.retryAfter).toBe(7);
      expect(fake.callsTo('chat.postMessage')[0]?.response).toMatchObject({ status: 429, body: { ok: false, error: 'ratelimited' } });
      // The queue is used up: the next call goes through.
      expect((await client.chat.postMessage({ channel: CHANNEL, text: 'hi' })).ok).toBe(true);
    });

    it('without rejectRateLimitedCalls, a 429 waits Retry-After and then retries', async () => {
      fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 0 });
      const limited: number[] = [];
      const client = webClient({ retryConfig: { retries: 1, minTimeout: 1, maxTimeout: 1 } });
      client.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => limited.push(seconds));
      const result = await client.chat.postMessage({ channel: CHANNEL, text: 'second try' });
      expect(result.ok).toBe(true);
      expect(limited).toEqual([0]);
      expect(fake.callsTo('chat.postMessage').map((c) => c.response?.status)).toEqual([429, 200]);
    });

    it("fails at once on a 500 with the App's retries: 0", async () => {
      fake.failNext('chat.postMessage', { status: 500 });
      const started = Date.now();
      const err = await rejection(app.client.chat.postMessage({ channel: CHANNEL, text: 'hi' }));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(err).toBeInstanceOf(webApi.WebAPIHTTPError);
      expect(err.code).toBe(webApi.ErrorCode.HTTPError);
      expect(err instanceof webApi.WebAPIHTTPError && err.statusCode).toBe(500);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
      expect(fake.messages(CHANNEL)).toEqual([]);
    });

    it('answers ok:false errors as platform errors, in queue order, for the given number of calls', async () => {
      fake.failNext('chat.postMessage', { error: 'not_in_channel' });
      fake.failNext('chat.postMessage', { error: 'fatal_error' }, 2);
      const client = webClient();
      const errors: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        const err = await rejection(client.chat.postMessage({ channel: CHANNEL, text: 'hi' }));
        expect(err).toBeInstanceOf(webApi.WebAPIPlatformError);
        errors.push(err instanceof webApi.WebAPIPlatformError ? err.data.error : undefined);
      }
      expect(errors).toEqual(['not_in_channel', 'fatal_error', 'fatal_error']);
      // ok:false with error 'ratelimited' in a 200 is a platform error too, not a rate-limit error.
      fake.failNext('chat.postMessage', { error: 'ratelimited' });
      const err = await rejection(client.chat.postMessage({ channel: CHANNEL, text: 'hi' }));
      expect(err.code).toBe(webApi.ErrorCode.PlatformError);
      expect((await client.chat.postMessage({ channel: CHANNEL, text: 'hi' })).ok).toBe(true);
    });

    it('answers 503 to everything while down', async () => {
      fake.down(true);
      const err = await rejection(webClient().auth.test());
      expect(err instanceof webApi.WebAPIHTTPError && err.statusCode).toBe(503);
      const res = await fetch(fake.responseUrl('x'), { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      fake.down(false);
      expect((await webClient().auth.test()).ok).toBe(true);
    });

    it('answers unknown methods with unknown_method and records them', async () => {
      const err = await rejection(webClient().apiCall('reactions.add', { channel: CHANNEL, name: 'eyes', timestamp: '1.1' }));
      expect(err instanceof webApi.WebAPIPlatformError && err.data.error).toBe('unknown_method');
      expect(fake.unknownCalls.map((c) => c.method)).toEqual(['reactions.add']);
    });

    it('pages conversations.history newest first, with cursors WebClient.paginate understands, and oldest/latest', async () => {
      const client = webClient();
      const posted: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await client.chat.postMessage({ channel: 'C2', text: `m${i}` });
        posted.push(res.ts ?? '');
      }
      expect(posted.every((ts, i) => i === 0 || ts > (posted[i - 1] ?? ''))).toBe(true);

      const first = await client.conversations.history({ channel: 'C2', limit: 2 });
      expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
      expect(first.has_more).toBe(true);
      expect(first.response_metadata?.next_cursor).toBeTruthy();

      const texts: string[] = [];
      for await (const page of client.paginate('conversations.history', { channel: 'C2', limit: 2 })) {
        for (const m of (page as webApi.ConversationsHistoryResponse).messages ?? []) texts.push(m.text ?? '');
      }
      expect(texts).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);

      const window = await client.conversations.history({ channel: 'C2', oldest: posted[1], latest: posted[3] });
      expect(window.messages?.map((m) => m.text)).toEqual(['m2']);
      const inclusive = await client.conversations.history({ channel: 'C2', oldest: posted[1], latest: posted[3], inclusive: true });
      expect(inclusive.messages?.map((m) => m.text)).toEqual(['m3', 'm2', 'm1']);
    });

    it('enforces a channel allow-list and membership when one is set', async () => {
      fake.setChannels(['C1', { id: 'C3', name: 'news', member: false }]);
      const client = webClient();
      const unknown = await rejection(client.chat.postMessage({ channel: 'C404', text: 'hi' }));
      expect(unknown instanceof webApi.WebAPIPlatformError && unknown.data.error).toBe('channel_not_found');
      const notIn = await rejection(client.chat.postMessage({ channel: 'C3', text: 'hi' }));
      expect(notIn instanceof webApi.WebAPIPlatformError && notIn.data.error).toBe('not_in_channel');
      const info = await client.conversations.info({ channel: 'C3' });
      expect(info.channel).toMatchObject({ id: 'C3', name: 'news', is_member: false });
      expect((await client.conversations.join({ channel: 'C3' })).ok).toBe(true);
      expect((await client.chat.postMessage({ channel: 'C3', text: 'hi' })).ok).toBe(true);
    });

    it('records ephemeral messages apart from the channel history', async () => {
      const res = await webClient().chat.postEphemeral({ channel: CHANNEL, user: 'U1', text: 'psst' });
      expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
      expect(fake.ephemerals).toEqual([{ channel: CHANNEL, user: 'U1', text: 'psst', message_ts: res.message_ts }]);
      expect(fake.messages(CHANNEL)).toEqual([]);
    });

    it('parses JSON bodies too, and refuses calls without a token', async () => {
      const metadata = { event_type: 'briefbot_brief', event_payload: { brief_id: 'b9' } };
      const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ channel: CHANNEL, text: 'json', metadata, reply_broadcast: false }),
      });
      expect(await res.json()).toMatchObject({ ok: true, channel: CHANNEL, message: { text: 'json', metadata } });
      expect(fake.messages(CHANNEL)[0]?.metadata).toEqual(metadata);

      const anonymous = await fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'channel=C1&text=hi',
      });
      expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
    });

    it('makes strictly increasing Slack-style timestamps from its clock', async () => {
      const fixed = await startFakeSlackApi({ now: () => 1_700_000_000_000 });
      try {
        const client = new webApi.WebClient('xoxb-test', { slackApiUrl: fixed.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
        const a = await client.chat.postMessage({ channel: CHANNEL, text: 'a' });
        const b = await client.chat.postEphemeral({ channel: CHANNEL, user: 'U1', text: 'b' });
        const c = fixed.addMessage(CHANNEL, { text: 'c' });
        expect([a.ts, b.message_ts, c.ts]).toEqual(['1700000000.000000', '1700000000.000001', '1700000000.000002']);
      } finally {
        await fixed.close();
      }
    });

    it('rejects metadata that is not {event_type, event_payload}', async () => {
      const err = await rejection(webClient().apiCall('chat.postMessage', { channel: CHANNEL, text: 'x', metadata: { type: 'nope' } }));
      expect(err instanceof webApi.WebAPIPlatformError && err.data.error).toBe('invalid_metadata_format');
    });
  });

  it('logged only the expected warnings', () => {
    // Bolt warns about each rejected signature; WebClient warns about the 429 it retried. Nothing at error level.
    expect(logged.filter((l) => !l.includes('Failed to verify authenticity') && !l.includes('A rate limit was exceeded'))).toEqual([]);
    expect(logged.filter((l) => l.includes('Failed to verify authenticity'))).toHaveLength(4);
  });
});
