/**
 * @module The fake Discord's REST side under `/api/v10`: records every call, answers injected failures (429 with
 * Discord's rate-limit headers, or any status), checks the bot token, and routes the rest to the state and the
 * interactions, turning their ApiErrors into Discord's error bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscordInteractions } from './interactions.ts';
import { applicationPayload } from './payloads.ts';
import type { DiscordState } from './state.ts';
import { BOT_ID, type Failure, type FakeFailure, type RecordedCall, type RecordedFile, type RestResult, type Route } from './types.ts';
import { ApiError, obj, unknownMessage } from './validate.ts';

async function parseBody(contentType: string | undefined, raw: Buffer): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown = null;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, size: value.size, contentType: value.type });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function writeResult(res: ServerResponse, result: RestResult): void {
  if (res.destroyed) return;
  if (result.body === undefined) {
    // No body and no content-type: discord.js parses any application/json answer, and an empty one throws.
    res.writeHead(result.status, result.headers ?? {});
    res.end();
    return;
  }
  res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
  res.end(JSON.stringify(result.body));
}

export class DiscordRest {
  readonly calls: RecordedCall[] = [];
  readonly unknownCalls: RecordedCall[] = [];
  readonly failures: Failure[] = [];
  readonly routes: Route[];
  readonly state: DiscordState;
  readonly interactions: DiscordInteractions;
  readonly #gatewayUrl: () => string;

  constructor(state: DiscordState, interactions: DiscordInteractions, gatewayUrl: () => string) {
    this.state = state;
    this.interactions = interactions;
    this.#gatewayUrl = gatewayUrl;
    this.routes = this.buildRoutes();
  }

  /** Forget calls and failures. */
  reset(): void {
    this.calls.length = 0;
    this.unknownCalls.length = 0;
    this.failures.length = 0;
  }

  /** The next matching request(s) get this answer instead of being handled (and change nothing). */
  failNext(method: string, path: RegExp, failure: FakeFailure): void {
    this.failures.push({ ...failure, method: method.toUpperCase(), path, remaining: failure.times ?? 1 });
  }

  onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void this.handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        writeResult(res, { status: 500, body: { message: `fake-discord: ${String(error)}`, code: 0 } });
      });
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const prefix = '/api/v10';
    // discord.js percent-encodes segments (`%40original`, reaction emoji): route and record them decoded.
    const pathname = url.pathname.split('/').map(safeDecode).join('/');
    const versioned = pathname.startsWith(`${prefix}/`);
    const call: RecordedCall = {
      method,
      path: versioned ? pathname.slice(prefix.length) : pathname,
      url: req.url ?? '/',
      query: Object.fromEntries(url.searchParams),
      body: null,
      headers: req.headers,
      files: [],
      status: 0,
      response: undefined,
      at: Date.now(),
    };
    let result: RestResult;
    try {
      const parsed = await parseBody(req.headers['content-type'], raw);
      call.body = parsed.body;
      call.files = parsed.files;
      result = this.failure(call) ?? (versioned ? this.route(call) : this.unknown(call));
    } catch (error) {
      result =
        error instanceof SyntaxError
          ? { status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 } }
          : { status: 500, body: { message: `fake-discord: ${String(error)}`, code: 0 } };
    }
    call.status = result.status;
    call.response = result.body;
    this.calls.push(call);
    writeResult(res, result);
    this.state.notify();
  }

  failure(call: RecordedCall): RestResult | undefined {
    const failure = this.failures.find((f) => f.remaining > 0 && f.method === call.method && f.path.test(call.path));
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining === 0) this.failures.splice(this.failures.indexOf(failure), 1);
    if (failure.status !== 429) {
      return { status: failure.status, body: { message: failure.message ?? `${failure.status}: fake failure`, code: failure.code ?? 0 } };
    }
    const retryAfter = failure.retryAfter ?? 1;
    const headers: Record<string, string> = {
      'retry-after': String(retryAfter),
      'x-ratelimit-scope': failure.global ? 'global' : 'user',
    };
    if (failure.global) headers['x-ratelimit-global'] = 'true';
    else {
      headers['x-ratelimit-limit'] = '5';
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset'] = String(Date.now() / 1000 + retryAfter);
      headers['x-ratelimit-reset-after'] = String(retryAfter);
      headers['x-ratelimit-bucket'] = 'fake-bucket';
    }
    return {
      status: 429,
      headers,
      body: {
        message: failure.message ?? 'You are being rate limited.',
        retry_after: retryAfter,
        global: failure.global ?? false,
        code: failure.code ?? 0,
      },
    };
  }

  unknown(call: RecordedCall): RestResult {
    this.unknownCalls.push(call);
    return { status: 404, body: { message: 'Unknown', code: 0 } };
  }

  route(call: RecordedCall): RestResult {
    for (const route of this.routes) {
      if (route.method !== call.method) continue;
      const match = route.pattern.exec(call.path);
      if (!match) continue;
      if (route.auth && this.state.options.token !== undefined && call.headers.authorization !== `Bot ${this.state.options.token}`) {
        return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      }
      try {
        return route.handle(call, match.slice(1));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return {
          status: error.status,
          body: { message: error.message, code: error.code, ...(error.errors ? { errors: error.errors } : {}) },
        };
      }
    }
    return this.unknown(call);
  }

  buildRoutes(): Route[] {
    const ok = (body: unknown, status = 200): RestResult => ({ status, body });
    const noContent: RestResult = { status: 204 };
    const r = (method: string, path: string, handle: Route['handle'], auth = true): Route => ({
      method,
      pattern: new RegExp(`^${path.replaceAll(':id', '(\\d+)').replaceAll(':token', '([^/]+)')}$`),
      auth,
      handle,
    });
    return [
      r('GET', '/gateway', () => ok({ url: this.#gatewayUrl() }), false),
      r('GET', '/gateway/bot', () =>
        ok({
          url: this.#gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        }),
      ),
      r('GET', '/users/@me', () => ok(this.state.botUser)),
      r('GET', '/users/:id', (_c, [id]) => ok(this.state.users.get(id!) ?? this.throw(new ApiError(404, 10013, 'Unknown User')))),
      r('GET', '/applications/@me', () => ok(applicationPayload(this.state.botUser, this.state.defaultUser))),
      r('GET', '/oauth2/applications/@me', () => ok(applicationPayload(this.state.botUser, this.state.defaultUser))),
      r('GET', '/guilds/:id', (_c, [id]) => {
        this.state.requireGuild(id!);
        const { channels: _c2, threads: _t, members: _m, voice_states: _v, presences: _p, ...guild } = this.state.guild();
        return ok(guild);
      }),
      r('GET', '/guilds/:id/channels', (_c, [id]) => {
        this.state.requireGuild(id!);
        return ok(this.state.guildChannels.map((c) => structuredClone(c)));
      }),
      r('GET', '/guilds/:id/threads/active', (_c, [id]) => {
        this.state.requireGuild(id!);
        return ok({ threads: this.state.threads().filter((t) => !t.thread_metadata?.archived), members: [] });
      }),
      r('GET', '/guilds/:id/members/:id', (_c, [id, userId]) => {
        this.state.requireGuild(id!);
        const member = this.state.guild().members.find((m) => m.user.id === userId);
        return member ? ok(member) : this.throw(new ApiError(404, 10007, 'Unknown Member'));
      }),
      r('GET', '/channels/:id', (_c, [id]) => ok(this.state.requireChannel(id!))),
      r('PATCH', '/channels/:id', (c, [id]) => ok(this.state.patchChannel(id!, obj(c.body)))),
      r('GET', '/channels/:id/messages', (c, [id]) => ok(this.state.listMessages(id!, c.query))),
      r('POST', '/channels/:id/messages', (c, [id]) => ok(this.state.createBotMessage(id!, obj(c.body), c.files.length))),
      r('GET', '/channels/:id/messages/:id', (_c, [id, mid]) => ok(this.state.findMessage(id!, mid!) ?? this.throw(unknownMessage()))),
      r('PATCH', '/channels/:id/messages/:id', (c, [id, mid]) => ok(this.state.editMessage(id!, mid!, obj(c.body), true))),
      r('DELETE', '/channels/:id/messages/:id', (_c, [id, mid]) => {
        this.state.deleteMessage(id!, mid!);
        return noContent;
      }),
      r('POST', '/channels/:id/messages/:id/threads', (c, [id, mid]) =>
        ok(this.state.startThreadFromMessage(id!, mid!, obj(c.body), BOT_ID), 201),
      ),
      r('POST', '/channels/:id/threads', (c, [id]) => ok(this.state.createThread(id!, obj(c.body), BOT_ID, c.files.length), 201)),
      r('POST', '/channels/:id/typing', (_c, [id]) => {
        this.state.requireChannel(id!);
        return noContent;
      }),
      r('PUT', '/channels/:id/messages/:id/reactions/:token/@me', (_c, [id, mid]) => {
        if (!this.state.findMessage(id!, mid!)) throw unknownMessage();
        return noContent;
      }),
      r('DELETE', '/channels/:id/messages/:id/reactions/:token/@me', () => noContent),
      r(
        'POST',
        '/interactions/:id/:token/callback',
        (c, [id, token]) => this.interactions.interactionCallback(id!, token!, obj(c.body), c),
        false,
      ),
      r(
        'POST',
        '/webhooks/:id/:token',
        (c, [appId, token]) => ok(this.interactions.followUp(appId!, token!, obj(c.body), c.files.length)),
        false,
      ),
      r(
        'GET',
        '/webhooks/:id/:token/messages/(@original|\\d+)',
        (_c, [appId, token, mid]) => ok(this.interactions.webhookMessage(appId!, token!, mid!)),
        false,
      ),
      r(
        'PATCH',
        '/webhooks/:id/:token/messages/(@original|\\d+)',
        (c, [appId, token, mid]) => {
          const message = this.interactions.webhookMessage(appId!, token!, mid!);
          return ok(this.state.editMessage(message.channel_id, message.id, obj(c.body), false));
        },
        false,
      ),
      r(
        'DELETE',
        '/webhooks/:id/:token/messages/(@original|\\d+)',
        (_c, [appId, token, mid]) => {
          const message = this.interactions.webhookMessage(appId!, token!, mid!);
          this.state.deleteMessage(message.channel_id, message.id);
          return noContent;
        },
        false,
      ),
      r('GET', '/applications/:id/commands', (_c, [appId]) => ok([...this.interactions.commandStore(appId!).values()])),
      r('PUT', '/applications/:id/commands', (c, [appId]) => ok(this.interactions.putCommands(appId!, null, c.body))),
      r('POST', '/applications/:id/commands', (c, [appId]) => ok(this.interactions.upsertCommand(appId!, null, obj(c.body)), 201)),
      r('GET', '/applications/:id/guilds/:id/commands', (_c, [appId, gid]) =>
        ok([...this.interactions.commandStore(appId!, gid!).values()]),
      ),
      r('PUT', '/applications/:id/guilds/:id/commands', (c, [appId, gid]) => ok(this.interactions.putCommands(appId!, gid!, c.body))),
      r('POST', '/applications/:id/guilds/:id/commands', (c, [appId, gid]) =>
        ok(this.interactions.upsertCommand(appId!, gid!, obj(c.body)), 201),
      ),
    ];
  }

  throw(error: ApiError): never {
    throw error;
  }
}
