import {
  ButtonStyle,
  ChannelType,
  Client,
  type ClientEvents,
  ComponentType,
  DiscordAPIError,
  Events,
  type ForumChannel,
  GatewayIntentBits,
  type Message,
  MessageFlags,
  RESTEvents,
  type TextChannel,
  type ThreadChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  APP_ID,
  BOT_ID,
  type FakeDiscord,
  FORUM_CHANNEL_ID,
  FORUM_TAG_ID,
  GUILD_ID,
  startFakeDiscord,
  TEXT_CHANNEL_ID,
  USER_ID,
} from '../../fakes/discord/index.ts';

const TOKEN = 'fake.discord.token';
const MESSAGES = new RegExp(`^/channels/${TEXT_CHANNEL_ID}/messages$`);

/** The next `event` the client emits that passes `filter`. */
function nextEvent<K extends keyof ClientEvents>(
  client: Client,
  event: K,
  filter: (...args: ClientEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const listener = (...args: ClientEvents[K]) => {
      if (!filter(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.on(event, listener);
  });
}

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
  return error;
}

describe('fakes/fake-discord', () => {
  let fake: FakeDiscord;
  let client: Client;
  let text: TextChannel;
  let thread: ThreadChannel;

  beforeAll(async () => {
    fake = await startFakeDiscord({ heartbeatInterval: 1000, token: TOKEN });
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      rest: { api: fake.apiUrl },
    });
    const ready = nextEvent(client, Events.ClientReady);
    await client.login(TOKEN);
    await ready;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in: READY and GUILD_CREATE cache the bot user, the application, the guild and its channels', () => {
    expect(client.user?.id).toBe(BOT_ID);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(APP_ID);
    const guild = client.guilds.cache.get(GUILD_ID);
    expect(guild?.available).toBe(true);
    expect(guild?.members.me?.id).toBe(BOT_ID);
    expect(client.channels.cache.get(TEXT_CHANNEL_ID)?.type).toBe(ChannelType.GuildText);
    expect(client.channels.cache.get(FORUM_CHANNEL_ID)?.type).toBe(ChannelType.GuildForum);
    expect(fake.identifies).toBe(1);
    expect(fake.callsTo('GET', /^\/gateway\/bot$/)[0]?.headers.authorization).toBe(`Bot ${TOKEN}`);
    text = client.channels.cache.get(TEXT_CHANNEL_ID) as TextChannel;
  });

  it('channel.send stores the message, applies allowed_mentions, and the gateway echoes it', async () => {
    const echoed = nextEvent(client, Events.MessageCreate, (m) => m.author.id === BOT_ID && m.content.startsWith('Brief for'));
    const sent = await text.send({
      content: `Brief for <@${USER_ID}>`,
      embeds: [{ title: 'Kursk', description: 'What changed overnight.', fields: [{ name: 'Sources', value: '3' }] }],
      allowedMentions: { parse: [] },
    });
    const stored = fake.messages(TEXT_CHANNEL_ID);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: sent.id,
      author: { id: BOT_ID, bot: true },
      embeds: [{ title: 'Kursk', type: 'rich' }],
      mentions: [],
    });
    expect(fake.callsTo('POST', MESSAGES)[0]?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(sent.embeds[0]?.title).toBe('Kursk');
    const [message] = await echoed;
    expect(message.id).toBe(sent.id);
    expect(message.author.bot).toBe(true);

    const pinging = await text.send({ content: `cc <@${USER_ID}>` });
    expect(
      fake
        .messages(TEXT_CHANNEL_ID)
        .at(-1)
        ?.mentions.map((u) => u.id),
    ).toEqual([USER_ID]);
    const edited = await pinging.edit('cc (edited)');
    expect(edited.editedTimestamp).not.toBeNull();
    expect(fake.messages(TEXT_CHANNEL_ID).at(-1)?.content).toBe('cc (edited)');
    const history = await text.messages.fetch({ limit: 10, cache: false });
    expect([...history.keys()]).toEqual([pinging.id, sent.id]);
  });

  it('rejects what Discord rejects: empty messages, over-long content and embeds, messages to a forum', async () => {
    expect((await apiError(text.send({ content: ' ' }))).code).toBe(50006);
    const long = await apiError(text.send({ content: 'x'.repeat(2001) }));
    expect(long.code).toBe(50035);
    expect(long.rawError).toMatchObject({ errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    const embed = await apiError(text.send({ embeds: [{ description: 'y'.repeat(4097) }] }));
    expect(embed.rawError).toMatchObject({ errors: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
    const forum = await apiError(client.rest.post(`/channels/${FORUM_CHANNEL_ID}/messages`, { body: { content: 'hi' } }));
    expect(forum.code).toBe(50008);
    expect(fake.messages(TEXT_CHANNEL_ID)).toHaveLength(2);
  });

  it('message.startThread creates a thread with the message id, and thread.send posts in it', async () => {
    const starter = await text.send('Kursk: overnight brief');
    thread = await starter.startThread({ name: 'Kursk — discussion' });
    expect(thread.id).toBe(starter.id);
    expect(thread.parentId).toBe(TEXT_CHANNEL_ID);
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(client.channels.cache.get(thread.id)).toBe(thread);
    expect(fake.threads(TEXT_CHANNEL_ID).map((t) => t.id)).toEqual([thread.id]);
    expect(fake.callsTo('POST', /\/messages\/\d+\/threads$/)[0]?.body).toMatchObject({ name: 'Kursk — discussion' });

    const inThread = await thread.send({ content: 'Sources and disputes follow.' });
    expect(inThread.channelId).toBe(thread.id);
    expect(fake.messages(thread.id).map((m) => m.content)).toEqual(['Sources and disputes follow.']);
    expect((await apiError(starter.startThread({ name: 'again' }))).code).toBe(160004);
  });

  it('forum.threads.create makes a post whose starter message has the thread id', async () => {
    const forum = client.channels.cache.get(FORUM_CHANNEL_ID) as ForumChannel;
    const post = await forum.threads.create({ name: 'Kursk', message: { content: 'The brief.' }, appliedTags: [FORUM_TAG_ID] });
    expect(post.parentId).toBe(FORUM_CHANNEL_ID);
    expect(post.appliedTags).toEqual([FORUM_TAG_ID]);
    expect(fake.messages(post.id)).toMatchObject([{ id: post.id, content: 'The brief.' }]);
    expect(fake.callsTo('POST', new RegExp(`^/channels/${FORUM_CHANNEL_ID}/threads$`))[0]?.body).toMatchObject({
      name: 'Kursk',
      message: { content: 'The brief.' },
    });
    const starter = await post.fetchStarterMessage();
    expect(starter?.content).toBe('The brief.');
  });

  it('a dispatched slash command reaches interactionCreate, and reply() answers the callback once', async () => {
    const got = nextEvent(client, Events.InteractionCreate);
    const payload = fake.sendSlashCommand({ options: { topic: 'kursk' } });
    const [interaction] = await got;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    expect(interaction.commandName).toBe('brief');
    expect(interaction.options.getString('topic')).toBe('kursk');
    expect(interaction.channelId).toBe(TEXT_CHANNEL_ID);
    expect(interaction.guildId).toBe(GUILD_ID);
    expect(interaction.user.id).toBe(USER_ID);
    expect(interaction.inGuild()).toBe(true);

    await interaction.reply({ content: 'Working on **kursk**…', allowedMentions: { parse: [] } });
    const callback = fake.callsTo('POST', new RegExp(`^/interactions/${payload.id}/`))[0];
    expect(callback).toMatchObject({ status: 204, response: undefined, body: { type: 4, data: { content: 'Working on **kursk**…' } } });
    expect(fake.messages(TEXT_CHANNEL_ID).at(-1)).toMatchObject({
      content: 'Working on **kursk**…',
      interaction_metadata: { id: payload.id },
    });

    const again = await fetch(`${fake.apiUrl}/v10/interactions/${payload.id}/${payload.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'twice' } }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 40060 });
  });

  it('deferReply + editReply + followUp go to the callback and webhook endpoints', async () => {
    const got = nextEvent(client, Events.InteractionCreate);
    const payload = fake.sendSlashCommand({ options: { topic: 'avdiivka' } });
    const [interaction] = await got;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');

    const response = await interaction.deferReply({ withResponse: true });
    const loading = fake.messages(TEXT_CHANNEL_ID).at(-1)!;
    expect(response.interaction.responseMessageLoading).toBe(true);
    expect(response.resource?.message?.id).toBe(loading.id);
    expect(loading.flags! & MessageFlags.Loading).toBe(MessageFlags.Loading);
    const reply = await interaction.editReply({ embeds: [{ title: 'Avdiivka', description: 'Brief.' }] });
    expect(reply.id).toBe(loading.id);
    expect(fake.callsTo('PATCH', new RegExp(`^/webhooks/${APP_ID}/${payload.token}/messages/@original$`))).toHaveLength(1);
    expect(fake.messages(TEXT_CHANNEL_ID).at(-1)).toMatchObject({ id: loading.id, flags: 0, embeds: [{ title: 'Avdiivka' }] });

    const followUp = await interaction.followUp({ content: 'Only you can see this.', flags: MessageFlags.Ephemeral });
    expect(fake.callsTo('POST', new RegExp(`^/webhooks/${APP_ID}/${payload.token}$`))).toHaveLength(1);
    expect(fake.messages(TEXT_CHANNEL_ID).at(-1)).toMatchObject({ id: followUp.id, flags: MessageFlags.Ephemeral });
    const visible = await text.messages.fetch({ limit: 5, cache: false });
    expect(visible.has(followUp.id)).toBe(false);
    expect(visible.has(loading.id)).toBe(true);
  });

  it('a button click in a thread reaches the client, and update() edits the clicked message', async () => {
    const withButton = await thread.send({
      content: 'More?',
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, customId: 'brief:sources', label: 'Sources' }],
        },
      ],
    });
    const stored = fake.messages(thread.id).at(-1)!;
    expect(stored.components).toHaveLength(1);
    const got = nextEvent(client, Events.InteractionCreate);
    fake.clickButton({ customId: 'brief:sources', message: stored });
    const [interaction] = await got;
    if (!interaction.isButton()) throw new Error('expected a button');
    expect(interaction.customId).toBe('brief:sources');
    expect(interaction.message.id).toBe(withButton.id);
    expect(interaction.channel?.isThread()).toBe(true);
    expect(interaction.channelId).toBe(thread.id);
    await interaction.update({ content: 'Sources: 3', components: [] });
    expect(fake.callsTo('POST', /^\/interactions\//).at(-1)?.body).toMatchObject({ type: 7 });
    expect(fake.messages(thread.id).at(-1)).toMatchObject({ id: withButton.id, content: 'Sources: 3', components: [] });
  });

  it("a user's message in a thread reaches messageCreate and is kept in the thread's history", async () => {
    const got = nextEvent(client, Events.MessageCreate, (m) => !m.author.bot);
    const payload = fake.sendUserMessage({ channelId: thread.id, content: 'What about the bridges?' });
    const [message] = await got;
    expect(message.id).toBe(payload.id);
    expect(message.content).toBe('What about the bridges?');
    expect(message.author.id).toBe(USER_ID);
    expect(message.guildId).toBe(GUILD_ID);
    expect(message.channel.isThread()).toBe(true);
    const history = await thread.messages.fetch({ limit: 1, cache: false });
    expect(history.first()?.id).toBe(payload.id);
  });

  it('a thread a user starts reaches threadCreate; a bot handler answering in it is awaited with waitForCall', async () => {
    const created = nextEvent(client, Events.ThreadCreate);
    const userThread = fake.createUserThread({ parentId: TEXT_CHANNEL_ID, name: 'Question about Kursk' });
    const [channel, newlyCreated] = await created;
    expect(channel.id).toBe(userThread.id);
    expect(newlyCreated).toBe(true);
    const handler = (message: Message) => {
      if (message.author.bot || message.channelId !== userThread.id) return;
      void message.reply({ content: 'On it.', allowedMentions: { repliedUser: false } });
    };
    client.on(Events.MessageCreate, handler);
    try {
      const question = fake.sendUserMessage({ channelId: userThread.id, content: 'Is the bridge down?' });
      const call = await fake.waitForCall('POST', new RegExp(`^/channels/${userThread.id}/messages$`));
      expect(call.body).toMatchObject({ content: 'On it.', message_reference: { message_id: question.id } });
      expect(fake.messages(userThread.id).at(-1)).toMatchObject({ type: 19, referenced_message: { id: question.id }, mentions: [] });
    } finally {
      client.off(Events.MessageCreate, handler);
    }
  });

  it('a 429 on the next message POST makes discord.js wait retry_after and retry; the message is stored once', async () => {
    const rateLimited = vi.fn();
    client.rest.on(RESTEvents.RateLimited, rateLimited);
    fake.failNext('POST', MESSAGES, { status: 429, retryAfter: 1 });
    const started = performance.now();
    const sent = await text.send('after the rate limit');
    const elapsed = performance.now() - started;
    client.rest.off(RESTEvents.RateLimited, rateLimited);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(rateLimited).toHaveBeenCalled();
    const posts = fake.callsTo('POST', MESSAGES).filter((c) => (c.body as { content?: string }).content === 'after the rate limit');
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[0]?.response).toMatchObject({ retry_after: 1, global: false });
    expect(
      fake
        .messages(TEXT_CHANNEL_ID)
        .filter((m) => m.content === 'after the rate limit')
        .map((m) => m.id),
    ).toEqual([sent.id]);

    fake.failNext('POST', MESSAGES, { status: 500 });
    await text.send('after a 500');
    const retried = fake.callsTo('POST', MESSAGES).filter((c) => (c.body as { content?: string }).content === 'after a 500');
    expect(retried.map((c) => c.status)).toEqual([500, 200]);
    expect(fake.messages(TEXT_CHANNEL_ID).filter((m) => m.content === 'after a 500')).toHaveLength(1);

    fake.failNext('POST', MESSAGES, { status: 429, retryAfter: 0.3, global: true });
    await text.send('after a global limit');
    const global = fake.callsTo('POST', MESSAGES).filter((c) => (c.body as { content?: string }).content === 'after a global limit');
    expect(global.map((c) => [c.status, c.at - global[0]!.at >= 250])).toEqual([
      [429, false],
      [200, true],
    ]);
  });

  it('registers global and guild commands, and answers unknown routes with 404', async () => {
    const global = await client.application!.commands.set([
      { name: 'brief', description: 'Brief me on a topic', options: [{ name: 'topic', description: 'Topic', type: 3, required: true }] },
    ]);
    expect(global.first()?.name).toBe('brief');
    expect(fake.commands()[0]?.id).toBe(global.first()?.id);
    const guildCommands = await client.guilds.cache.get(GUILD_ID)!.commands.set([{ name: 'sources', description: 'List sources' }]);
    expect(guildCommands.first()?.guildId).toBe(GUILD_ID);
    expect(fake.callsTo('PUT', new RegExp(`^/applications/${APP_ID}/guilds/${GUILD_ID}/commands$`))).toHaveLength(1);

    const unknown = await apiError(client.rest.get('/nowhere/1'));
    expect(unknown.status).toBe(404);
    expect(fake.unknownCalls.map((c) => c.path)).toEqual(['/nowhere/1']);
  });

  it('after disconnectGateway() the client resumes and gets the events sent while it was away', async () => {
    await vi.waitFor(() => expect(fake.heartbeats).toBeGreaterThan(0), { timeout: 3000 });
    const back = fake.nextGatewayReady();
    fake.disconnectGateway();
    const got = nextEvent(client, Events.MessageCreate, (m) => m.content === 'sent while away');
    fake.sendUserMessage({ channelId: thread.id, content: 'sent while away' });
    expect(await back).toBe('resumed');
    expect(fake.resumes).toBe(1);
    await got;

    const later = nextEvent(client, Events.MessageCreate, (m) => m.content === 'after the resume');
    fake.sendUserMessage({ channelId: TEXT_CHANNEL_ID, content: 'after the resume' });
    await later;

    const again = fake.nextGatewayReady();
    fake.requestReconnect();
    expect(await again).toBe('resumed');
    expect(fake.resumes).toBe(2);
  });

  it('after a non-resumable close (1000) the client identifies again and keeps working', async () => {
    const back = fake.nextGatewayReady(10_000);
    fake.disconnectGateway(1000);
    expect(await back).toBe('ready');
    expect(fake.identifies).toBe(2);
    await vi.waitFor(() => expect(client.guilds.cache.get(GUILD_ID)?.available).toBe(true));
    const got = nextEvent(client, Events.InteractionCreate);
    fake.sendSlashCommand({ options: { topic: 'kursk' } });
    const [interaction] = await got;
    expect(interaction.isChatInputCommand()).toBe(true);
  }, 15_000);

  it('honours intents: without MessageContent, other users’ messages arrive with empty content', async () => {
    const ws = new WebSocket(fake.gatewayUrl);
    const frames: Array<{ op: number; t?: string; d: { content?: string } }> = [];
    ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 2, d: { token: TOKEN, intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages } }));
    await vi.waitFor(() => expect(frames.some((f) => f.t === 'GUILD_CREATE')).toBe(true));
    fake.sendUserMessage({ channelId: TEXT_CHANNEL_ID, content: 'secret' });
    await vi.waitFor(() => expect(frames.find((f) => f.t === 'MESSAGE_CREATE')?.d.content).toBe(''));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close(1000);
    await closed;
  });

  it('expires interactions that get no callback within the deadline (Discord: 3 s)', async () => {
    const strict = await startFakeDiscord({ interactionDeadlineMs: 50 });
    try {
      const payload = strict.sendSlashCommand();
      await new Promise((resolve) => setTimeout(resolve, 80));
      const late = await fetch(`${strict.apiUrl}/v10/interactions/${payload.id}/${payload.token}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 5 }),
      });
      expect(late.status).toBe(404);
      expect(await late.json()).toMatchObject({ code: 10062 });
    } finally {
      await strict.close();
    }
  });

  it('rejects a wrong token at login', async () => {
    const intruder = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    await expect(intruder.login('wrong.token')).rejects.toThrow(/token/i);
    await intruder.destroy();
  });
});
