import { App, type Logger, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { type FakeSlackSocket, startFakeSlackSocket } from '../../fakes/fake-slack-socket.ts';

const APP_TOKEN = 'xapp-1-test';
const BOT_TOKEN = 'xoxb-test';
const CHANNEL = 'C1';
/**
 * The SocketModeClient pings every clientPingTimeout/3, drops a connection whose pongs stop for clientPingTimeout,
 * and waits clientPingTimeout × (consecutive failures) before reconnecting: 500 ms keeps reconnects fast.
 */
const CLIENT_PING_TIMEOUT = 500;

let api: FakeSlackApi;
let socket: FakeSlackSocket;
let app: App | undefined;

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

let seen: {
  commands: Array<{ command: string; text: string; channel: string; user: string }>;
  messages: Array<{ channel: string; user: string | undefined; text: string | undefined; ts: string; thread_ts: string | undefined }>;
  actions: Array<{ action_id: string; value: string | undefined; channel: string | undefined; thread_ts: string | undefined }>;
};

/** A Bolt App in Socket Mode against the fakes; `retryConfig` is what its apps.connections.open calls use. */
function buildApp(options: { appToken?: string; retryConfig?: webApi.RetryOptions } = {}): App {
  const clientOptions = { slackApiUrl: api.apiUrl, retryConfig: options.retryConfig ?? { retries: 0 } };
  const receiver = new SocketModeReceiver({
    appToken: options.appToken ?? APP_TOKEN,
    logger: quietLogger,
    clientPingTimeout: CLIENT_PING_TIMEOUT,
    // A receiver built by hand does not get the App's clientOptions: its SocketModeClient takes them from here.
    installerOptions: { clientOptions },
  });
  const built = new App({
    token: BOT_TOKEN,
    appToken: options.appToken ?? APP_TOKEN,
    socketMode: true,
    receiver,
    logger: quietLogger,
    // No auth.test at construction.
    tokenVerificationEnabled: false,
    botId: 'BBOT',
    botUserId: 'UBOT',
    clientOptions,
  });

  built.command('/brief', async ({ command, ack, respond }) => {
    await ack({ text: `On it: ${command.text}` });
    seen.commands.push({ command: command.command, text: command.text, channel: command.channel_id, user: command.user_id });
    await respond({ response_type: 'ephemeral', text: `Brief: ${command.text}` });
  });
  // Never acked.
  built.command('/silent', async () => {});

  built.message(async ({ message }) => {
    if (message.subtype !== undefined) return;
    seen.messages.push({ channel: message.channel, user: message.user, text: message.text, ts: message.ts, thread_ts: message.thread_ts });
  });

  built.action('brief_more', async ({ ack, body, action, respond }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    seen.actions.push({
      action_id: 'brief_more',
      value: action.type === 'button' ? action.value : undefined,
      channel: body.channel?.id,
      thread_ts: body.container.thread_ts,
    });
    await respond({ replace_original: false, text: 'More' });
  });
  return built;
}

async function startApp(options: Parameters<typeof buildApp>[0] = {}): Promise<App> {
  app = buildApp(options);
  await app.start();
  return app;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** A /brief command, acked and answered on its response_url. */
async function briefWorks(text: string): Promise<void> {
  const ack = await socket.slashCommand({ command: '/brief', text, channel_id: CHANNEL, user_id: 'U1' });
  expect(ack.payload).toEqual({ text: `On it: ${text}` });
  await api.waitFor(() => api.responses.some((r) => r.body !== null && (r.body as { text?: string }).text === `Brief: ${text}`));
}

beforeEach(async () => {
  logged.length = 0;
  seen = { commands: [], messages: [], actions: [] };
  api = await startFakeSlackApi();
  socket = await startFakeSlackSocket(api, { appToken: APP_TOKEN });
});

afterEach(async () => {
  // Each test leaves its client connected (or never connected): stopping a SocketModeClient in the middle of a
  // reconnect leaves an unhandled rejection and a 30 s timer behind.
  if (app) {
    await app.stop();
    // app.stop() does not wait for the close handshake.
    await socket.waitForDisconnect();
  }
  app = undefined;
  await socket.close();
  await api.close();
});

describe('fakes/fake-slack-socket', () => {
  it('hands out a connection URL for the app token, says hello, and keeps the client alive with pongs', async () => {
    await startApp();
    expect(socket.connections).toBe(1);
    expect(socket.connected()).toBe(true);

    const [open] = api.callsTo('apps.connections.open');
    expect(open?.token).toBe(APP_TOKEN);
    expect(open?.response).toMatchObject({ status: 200, body: { ok: true } });
    const url = String((open?.response?.body as { url?: string } | undefined)?.url);
    expect(url.startsWith(`${socket.url}/link/?ticket=`)).toBe(true);

    // The client pings every CLIENT_PING_TIMEOUT/3 and would drop the connection without pongs.
    await api.waitFor(() => socket.pings >= 5, 2500, 'client pings');
    expect(socket.connections).toBe(1);
    expect(api.callsTo('apps.connections.open')).toHaveLength(1);

    // A ticket is good once.
    const replay = await new Promise<string>((resolve) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => {
        ws.close();
        resolve('open');
      });
      ws.addEventListener('error', () => resolve('refused'));
    });
    expect(replay).toBe('refused');
  });

  it('works with the SocketModeReceiver the App builds itself from appToken and clientOptions', async () => {
    app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketMode: true,
      logger: quietLogger,
      clientOptions: { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/brief', async ({ ack }) => {
      await ack();
    });
    await app.start();
    // With token verification on, Bolt calls auth.test with the bot token; Socket Mode uses the app token.
    expect((await api.waitForCalls('auth.test'))[0]?.token).toBe(BOT_TOKEN);
    expect(api.callsTo('apps.connections.open')[0]?.token).toBe(APP_TOKEN);
    const ack = await socket.slashCommand({ command: '/brief', channel_id: CHANNEL, user_id: 'U1' });
    expect(ack.payload).toEqual({});
  });

  it('delivers a slash command to app.command, gets its ack, and respond() lands in api.responses', async () => {
    await startApp();
    const ack = await socket.slashCommand({ command: '/brief', text: 'ukraine', channel_id: CHANNEL, user_id: 'U1' });

    const [envelope] = socket.envelopes;
    expect(envelope).toMatchObject({ type: 'slash_commands', accepts_response_payload: true });
    expect(ack.envelope_id).toBe(envelope?.envelope_id);
    expect(ack.payload).toEqual({ text: 'On it: ukraine' });
    expect(socket.received).toContainEqual({ envelope_id: envelope?.envelope_id, payload: { text: 'On it: ukraine' } });
    expect(seen.commands).toEqual([{ command: '/brief', text: 'ukraine', channel: CHANNEL, user: 'U1' }]);

    const id = decodeURIComponent(ack.sent.response_url.split('/response/')[1] ?? '');
    await api.waitFor(() => api.responsesTo(id).length === 1, 2000, 'the response_url post');
    expect(api.responsesTo(id)[0]?.body).toEqual({ response_type: 'ephemeral', text: 'Brief: ukraine' });
  });

  it('delivers a thread message to app.message (events_api, acked by Bolt)', async () => {
    await startApp();
    const parent = api.addMessage(CHANNEL, { text: 'Brief: ukraine', user: 'UBOT' });
    const ack = await socket.message({ channel: CHANNEL, user: 'U1', text: 'why?', thread_ts: parent.ts });

    expect(socket.envelopes[0]).toMatchObject({ type: 'events_api', accepts_response_payload: false, retry_attempt: 0 });
    expect(ack.envelope_id).toBe(socket.envelopes[0]?.envelope_id);
    expect(ack.sent.event).toMatchObject({ type: 'message', channel: CHANNEL, thread_ts: parent.ts });
    await api.waitFor(() => seen.messages.length === 1, 2000, 'the message listener');
    expect(seen.messages[0]).toEqual({ channel: CHANNEL, user: 'U1', text: 'why?', ts: ack.sent.event.ts, thread_ts: parent.ts });

    // Bolt's ignoreSelf still works: the bot's own message is acked but not delivered.
    await socket.message({ channel: CHANNEL, user: 'UBOT', text: 'mine' });
    await socket.message({ channel: CHANNEL, user: 'U2', text: 'barrier' });
    await api.waitFor(() => seen.messages.length === 2, 2000, 'the barrier message');
    expect(seen.messages.map((m) => m.text)).toEqual(['why?', 'barrier']);
  });

  it('delivers a block action to app.action (interactive)', async () => {
    await startApp();
    const ack = await socket.blockAction({
      action_id: 'brief_more',
      value: 'b1',
      channel_id: CHANNEL,
      message_ts: '1700000000.000100',
      thread_ts: '1700000000.000001',
      user_id: 'U1',
    });
    expect(socket.envelopes[0]?.type).toBe('interactive');
    expect(ack.envelope_id).toBe(socket.envelopes[0]?.envelope_id);
    expect(seen.actions).toEqual([{ action_id: 'brief_more', value: 'b1', channel: CHANNEL, thread_ts: '1700000000.000001' }]);
    const id = decodeURIComponent(ack.sent.response_url.split('/response/')[1] ?? '');
    await api.waitFor(() => api.responsesTo(id).length === 1, 2000, 'the response_url post');
    expect(api.responsesTo(id)[0]?.body).toEqual({ replace_original: false, text: 'More' });
  });

  it('rejects when the app never acks, and when no client is connected', async () => {
    await socket.close();
    socket = await startFakeSlackSocket(api, { appToken: APP_TOKEN, ackTimeoutMs: 200 });
    const early = await rejection(socket.slashCommand({ command: '/brief', channel_id: CHANNEL, user_id: 'U1' }));
    expect(early.message).toMatch(/no client connected/);

    await startApp();
    const err = await rejection(socket.slashCommand({ command: '/silent', channel_id: CHANNEL, user_id: 'U1' }));
    expect(err.message).toMatch(/no ack for slash_commands envelope .* within 200 ms/);
  });

  it('after drop() the client reconnects by itself through apps.connections.open, and commands work again', async () => {
    await startApp();
    await briefWorks('before');
    socket.drop();
    expect(socket.connected()).toBe(false);

    await socket.waitForConnection(2, 2500);
    expect(api.callsTo('apps.connections.open')).toHaveLength(2);
    await briefWorks('after');
    expect(seen.commands.map((c) => c.text)).toEqual(['before', 'after']);
  });

  it('refresh() (disconnect: refresh_requested) also leads to a reconnect', async () => {
    await startApp();
    socket.refresh();
    await socket.waitForConnection(2, 2500);
    expect(socket.connections).toBe(2);
    await briefWorks('refreshed');
  });

  it('a stalled connection (no pongs) is given up by the client after clientPingTimeout, and it reconnects', async () => {
    await startApp();
    socket.stall();
    await socket.waitForConnection(2, 2500);
    expect(logged.some((l) => l.includes("A pong wasn't received"))).toBe(true);
    await briefWorks('unstalled');
  });

  it('while the API is down, apps.connections.open gets 503 and the client retries until it is back', async () => {
    // The SocketModeClient treats an HTTP error from apps.connections.open as unrecoverable: only the WebClient's
    // own retries keep it going (with retries: 0 it would give up for good, with an unhandled rejection).
    await startApp({ retryConfig: { retries: 100, factor: 1, minTimeout: 20, maxTimeout: 20 } });
    api.down(true);
    socket.drop();
    await api.waitFor(() => api.callsTo('apps.connections.open').filter((c) => c.response?.status === 503).length >= 3, 2500, '503s');
    expect(socket.connections).toBe(1);
    api.down(false);
    await socket.waitForConnection(2, 2000);
    await briefWorks('back');
  });

  it('answers apps.connections.open errors: wrong token kind, wrong app token, detached socket fake, down', async () => {
    const open = (token: string) =>
      rejection(new webApi.WebClient(token, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } }).apps.connections.open());
    const platformError = (err: Error) => (err instanceof webApi.WebAPIPlatformError ? err.data.error : err.message);

    expect(platformError(await open(BOT_TOKEN))).toBe('not_allowed_token_type');
    expect(platformError(await open('xapp-1-other'))).toBe('invalid_auth');
    api.down(true);
    const down = await open(APP_TOKEN);
    expect(down instanceof webApi.WebAPIHTTPError && down.statusCode).toBe(503);
    api.down(false);
    await socket.close();
    expect(platformError(await open(APP_TOKEN))).toBe('invalid_auth');
  });

  it('app.start() rejects at once when the app token is refused (invalid_auth is not retried)', async () => {
    const wrong = buildApp({ appToken: 'xapp-1-other' });
    const err = await rejection(wrong.start());
    expect(err instanceof webApi.WebAPIPlatformError && err.data.error).toBe('invalid_auth');
    expect(api.callsTo('apps.connections.open')).toHaveLength(1);
    expect(socket.connections).toBe(0);
  });
});
