/**
 * Sends requests to a Bolt HTTPReceiver the way Slack does: signed with the signing secret
 * (`x-slack-signature: v0=HMAC-SHA256(secret, "v0:<timestamp>:<raw body>")`, `x-slack-request-timestamp`),
 * slash commands and interactivity form-encoded, Events API JSON.
 *
 *   const slack = createSlackRequester({ url: `http://127.0.0.1:${port}`, signingSecret, responseUrl: fake.responseUrl });
 *   const res = await slack.slashCommand({ command: '/brief', text: 'today', channel_id: 'C1', user_id: 'U1' });
 *
 * Bolt compares the content type with `===`, so form bodies are sent as exactly `application/x-www-form-urlencoded`.
 * Every sender takes `SignOptions` to send a bad or missing signature or a stale timestamp.
 */
import { createHmac } from 'node:crypto';

export interface SlackRequesterOptions {
  /** Base URL of the Bolt app, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  signingSecret: string;
  /** Path of the HTTPReceiver endpoint. Default `/slack/events`. */
  endpoint?: string;
  /** Clock in ms for `x-slack-request-timestamp` and generated ts values. Default Date.now. */
  now?: () => number;
  /**
   * Builds the `response_url` sent with commands and actions when the caller gives none; pass
   * `fake.responseUrl` to have them recorded by the fake Slack API. Default: a dead local port, never Slack.
   */
  responseUrl?: (id: string) => string;
  team_id?: string;
  api_app_id?: string;
}

export interface SignOptions {
  /** `bad`: signed with the wrong secret; `missing`: no x-slack-signature header. Default `valid`. */
  signature?: 'valid' | 'bad' | 'missing';
  /** Send a timestamp 10 minutes old (Bolt accepts at most 5). */
  stale?: boolean;
  /** Override the request timestamp (seconds). */
  timestamp?: number;
  /** Extra headers, e.g. `x-slack-retry-num`. */
  headers?: Record<string, string>;
}

export interface SlackHttpResult<TSent = unknown> {
  status: number;
  /** Response body as text. */
  body: string;
  /** Response body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  headers: Record<string, string>;
  /** What was sent (the decoded payload). */
  sent: TSent;
}

export interface SlashCommandInput {
  command: string;
  text?: string;
  channel_id: string;
  user_id: string;
  channel_name?: string;
  user_name?: string;
  response_url?: string;
  trigger_id?: string;
}

export interface SlashCommandPayload {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

export interface SlackEventInput {
  type: string;
  [key: string]: unknown;
}

export interface EventOptions extends SignOptions {
  team_id?: string;
  event_id?: string;
  event_time?: number;
}

export interface EventEnvelope {
  token: string;
  team_id: string;
  api_app_id: string;
  event: SlackEventInput;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: Array<{ enterprise_id: null; team_id: string; user_id: string; is_bot: boolean; is_enterprise_install: boolean }>;
  is_ext_shared_channel: boolean;
  event_context: string;
}

export interface MessageEventInput {
  channel: string;
  user: string;
  text: string;
  /** Default: a fresh ts from the requester's clock. */
  ts?: string;
  thread_ts?: string;
  /** Default `im` for D… channels, else `channel`. */
  channel_type?: 'channel' | 'group' | 'im' | 'mpim';
  subtype?: string;
  bot_id?: string;
  blocks?: unknown[];
}

export interface BlockActionInput {
  action_id: string;
  value?: string;
  channel_id: string;
  message_ts: string;
  thread_ts?: string;
  user_id: string;
  block_id?: string;
  /** Element type, default `button`. */
  action_type?: string;
  response_url?: string;
  trigger_id?: string;
  /** Merged into the `message` object of the payload (e.g. its text and blocks, as stored by the fake). */
  message?: Record<string, unknown>;
}

export interface BlockActionPayload {
  type: 'block_actions';
  user: { id: string; username: string; name: string; team_id: string };
  api_app_id: string;
  token: string;
  container: { type: 'message'; message_ts: string; channel_id: string; is_ephemeral: boolean; thread_ts?: string };
  trigger_id: string;
  team: { id: string; domain: string };
  enterprise: null;
  is_enterprise_install: boolean;
  channel: { id: string; name: string };
  message: Record<string, unknown> & { type: 'message'; ts: string; thread_ts?: string };
  state: { values: Record<string, unknown> };
  response_url: string;
  actions: Array<{
    action_id: string;
    block_id: string;
    type: string;
    value?: string;
    text?: { type: 'plain_text'; text: string; emoji: boolean };
    action_ts: string;
  }>;
}

export interface SlackRequester {
  slashCommand(input: SlashCommandInput, options?: SignOptions): Promise<SlackHttpResult<SlashCommandPayload>>;
  event(event: SlackEventInput, options?: EventOptions): Promise<SlackHttpResult<EventEnvelope>>;
  /** A `message` event (fills in ts, event_ts, channel_type). */
  message(input: MessageEventInput, options?: EventOptions): Promise<SlackHttpResult<EventEnvelope>>;
  blockAction(input: BlockActionInput, options?: SignOptions): Promise<SlackHttpResult<BlockActionPayload>>;
  urlVerification(
    challenge: string,
    options?: SignOptions,
  ): Promise<SlackHttpResult<{ token: string; challenge: string; type: 'url_verification' }>>;
  /** Send any body (signed unless `options.signature` says otherwise); set the content-type in `headers`. */
  raw(body: string, headers?: Record<string, string>, options?: SignOptions): Promise<SlackHttpResult<string>>;
  /** A fresh, increasing Slack-style ts from the requester's clock. */
  nextTs(): string;
}

const FORM = 'application/x-www-form-urlencoded';
const VERIFICATION_TOKEN = 'legacy-verification-token';

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Slack's payloads for slash commands, events and block actions, as Slack fills them in. Shared by the
 * signed HTTP requester here and the Socket Mode fake, which deliver the same payloads two ways.
 */
export interface SlackPayloads {
  /** A fresh, increasing Slack-style ts. */
  nextTs(): string;
  slashCommand(input: SlashCommandInput): SlashCommandPayload;
  /** A `message` event (fills in ts, event_ts, channel_type). */
  messageEvent(input: MessageEventInput): SlackEventInput;
  envelope(event: SlackEventInput, opts?: { team_id?: string; event_id?: string; event_time?: number }): EventEnvelope;
  blockAction(input: BlockActionInput): BlockActionPayload;
}

export function createSlackPayloads(options: {
  now: () => number;
  teamId: string;
  appId: string;
  responseUrl: (id: string) => string;
}): SlackPayloads {
  const { now, teamId, appId, responseUrl } = options;
  let counter = 0;
  let lastMicros = 0;
  const nextTs = (): string => {
    const candidate = Math.floor(now()) * 1000;
    lastMicros = candidate > lastMicros ? candidate : lastMicros + 1;
    return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
  };
  const nextId = (prefix: string) => `${prefix}${String(++counter).padStart(6, '0')}`;
  const triggerId = () => `${Math.floor(now() / 1000)}.${nextId('')}.${Math.random().toString(16).slice(2, 10)}`;

  return {
    nextTs,
    slashCommand: (input) => ({
      token: VERIFICATION_TOKEN,
      team_id: teamId,
      team_domain: 'test',
      channel_id: input.channel_id,
      channel_name: input.channel_name ?? `channel-${input.channel_id.toLowerCase()}`,
      user_id: input.user_id,
      user_name: input.user_name ?? `user-${input.user_id.toLowerCase()}`,
      command: input.command,
      text: input.text ?? '',
      api_app_id: appId,
      is_enterprise_install: 'false',
      response_url: input.response_url ?? responseUrl(nextId('cmd-')),
      trigger_id: input.trigger_id ?? triggerId(),
    }),
    messageEvent: (input) => {
      const ts = input.ts ?? nextTs();
      return {
        type: 'message',
        channel: input.channel,
        user: input.user,
        text: input.text,
        ts,
        event_ts: ts,
        channel_type: input.channel_type ?? (input.channel.startsWith('D') ? 'im' : 'channel'),
        team: teamId,
        ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
        ...(input.subtype ? { subtype: input.subtype } : {}),
        ...(input.bot_id ? { bot_id: input.bot_id } : {}),
        ...(input.blocks ? { blocks: input.blocks } : {}),
      };
    },
    envelope: (event, opts = {}) => {
      const team = opts.team_id ?? teamId;
      return {
        token: VERIFICATION_TOKEN,
        team_id: team,
        api_app_id: appId,
        event: { event_ts: typeof event.ts === 'string' ? event.ts : nextTs(), ...event },
        type: 'event_callback',
        event_id: opts.event_id ?? nextId('Ev'),
        event_time: opts.event_time ?? Math.floor(now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
        event_context: nextId('EC'),
      };
    },
    blockAction: (input) => {
      const actionType = input.action_type ?? 'button';
      return {
        type: 'block_actions',
        user: {
          id: input.user_id,
          username: `user-${input.user_id.toLowerCase()}`,
          name: `user-${input.user_id.toLowerCase()}`,
          team_id: teamId,
        },
        api_app_id: appId,
        token: VERIFICATION_TOKEN,
        container: {
          type: 'message',
          message_ts: input.message_ts,
          channel_id: input.channel_id,
          is_ephemeral: false,
          ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
        },
        trigger_id: input.trigger_id ?? triggerId(),
        team: { id: teamId, domain: 'test' },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: input.channel_id, name: `channel-${input.channel_id.toLowerCase()}` },
        message: {
          user: 'UBOT',
          bot_id: 'BBOT',
          text: '',
          ...input.message,
          type: 'message',
          ts: input.message_ts,
          ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
        },
        state: { values: {} },
        response_url: input.response_url ?? responseUrl(nextId('action-')),
        actions: [
          {
            action_id: input.action_id,
            block_id: input.block_id ?? 'block-1',
            type: actionType,
            ...(input.value !== undefined ? { value: input.value } : {}),
            ...(actionType === 'button' ? { text: { type: 'plain_text' as const, text: input.action_id, emoji: true } } : {}),
            action_ts: nextTs(),
          },
        ],
      };
    },
  };
}

export function createSlackRequester(options: SlackRequesterOptions): SlackRequester {
  const now = options.now ?? Date.now;
  const target = new URL(options.endpoint ?? '/slack/events', options.url).toString();
  const payloads = createSlackPayloads({
    now,
    teamId: options.team_id ?? 'T1',
    appId: options.api_app_id ?? 'AAPP',
    responseUrl: options.responseUrl ?? ((id: string) => `http://127.0.0.1:9/response/${encodeURIComponent(id)}`),
  });

  async function post<T>(body: string, contentType: string, sent: T, sign: SignOptions = {}): Promise<SlackHttpResult<T>> {
    const timestamp = sign.timestamp ?? Math.floor(now() / 1000) - (sign.stale ? 600 : 0);
    const headers: Record<string, string> = { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp) };
    const signature = sign.signature ?? 'valid';
    if (signature !== 'missing') {
      headers['x-slack-signature'] = slackSignature(
        signature === 'bad' ? `${options.signingSecret}-wrong` : options.signingSecret,
        timestamp,
        body,
      );
    }
    Object.assign(headers, sign.headers);
    const res = await fetch(target, { method: 'POST', headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: text, json, headers: Object.fromEntries(res.headers.entries()), sent };
  }

  const postEvent = (event: SlackEventInput, opts: EventOptions = {}) => {
    const envelope = payloads.envelope(event, opts);
    return post(JSON.stringify(envelope), 'application/json', envelope, opts);
  };

  return {
    nextTs: payloads.nextTs,

    slashCommand(input, sign) {
      const payload = payloads.slashCommand(input);
      return post(new URLSearchParams(Object.entries(payload)).toString(), FORM, payload, sign);
    },

    event: postEvent,

    message: (input, opts) => postEvent(payloads.messageEvent(input), opts),

    blockAction(input, sign) {
      const payload = payloads.blockAction(input);
      return post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, payload, sign);
    },

    urlVerification(challenge, sign) {
      const payload = { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' as const };
      return post(JSON.stringify(payload), 'application/json', payload, sign);
    },

    raw(body, headers = {}, sign = {}) {
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      const { 'content-type': contentType = 'application/json', ...rest } = lower;
      return post(body, contentType, body, { ...sign, headers: { ...rest, ...sign.headers } });
    },
  };
}
