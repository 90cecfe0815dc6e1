/**
 * @module Pure builders of the payloads the fake Discord sends: the guild (GUILD_CREATE, GET /guilds/:id), the
 * application, guild channels from their seeds, new threads, and the common part of an interaction.
 */
import { randomBytes } from 'node:crypto';
import {
  type APIApplication,
  type APIGuildForumChannel,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APINewsChannel,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type ApplicationFlags,
  type ChannelFlags,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type Locale,
  type RoleFlags,
  type ThreadMemberFlags,
} from 'discord.js';
import {
  ALL_PERMISSIONS,
  APP_ID,
  BOT_ID,
  BOT_USERNAME,
  DISCORD_EPOCH,
  type FakeChannel,
  type FakeChannelSeed,
  FORUM_TAG_ID,
  GUILD_ID,
  USER_ID,
} from './types.ts';
import { arr, num, type Obj } from './validate.ts';

/** What the guild payload is made of. */
export interface GuildSnapshot {
  name: string;
  botUser: APIUser;
  owner: APIUser;
  channels: Array<APITextChannel | APINewsChannel | APIGuildForumChannel>;
  threads: APIThreadChannel[];
}

export function guildCreatePayload(guild: GuildSnapshot): GatewayGuildCreateDispatchData {
  const joinedAt = new Date(Number((BigInt(GUILD_ID) >> 22n) + DISCORD_EPOCH)).toISOString();
  const everyone: APIRole = {
    id: GUILD_ID,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: ALL_PERMISSIONS,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
  const member = (user: APIUser): APIGuildMember => ({
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  });
  return {
    id: GUILD_ID,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: USER_ID,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [everyone],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US' as Locale,
    nsfw_level: 0,
    hub_type: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    incidents_data: null,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [member(guild.botUser), member(guild.owner)],
    channels: guild.channels.map((c) => structuredClone(c)),
    threads: guild.threads.filter((t) => !t.thread_metadata?.archived).map((t) => structuredClone(t)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
export function applicationPayload(botUser: APIUser, owner: APIUser): APIApplication {
  return {
    id: APP_ID,
    name: BOT_USERNAME,
    icon: null,
    description: 'Fake briefbot application',
    bot_public: false,
    bot_require_code_grant: false,
    bot: botUser,
    verify_key: '0'.repeat(64),
    team: null,
    owner,
    flags: 0 as ApplicationFlags,
    flags_new: '0',
    summary: '',
  };
}
export function makeGuildChannel(seed: FakeChannelSeed, position: number): APITextChannel | APINewsChannel | APIGuildForumChannel {
  const common = {
    id: seed.id,
    guild_id: GUILD_ID,
    name: seed.name,
    position,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: seed.topic ?? null,
    last_message_id: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 1440 as const,
    default_thread_rate_limit_per_user: 0,
    last_pin_timestamp: null,
    flags: 0 as ChannelFlags,
  };
  if (seed.type === 'forum') {
    return {
      ...common,
      type: ChannelType.GuildForum,
      available_tags: [{ id: FORUM_TAG_ID, name: 'brief', moderated: false, emoji_id: null, emoji_name: null }],
      default_reaction_emoji: null,
      default_sort_order: null,
      default_forum_layout: 0,
    };
  }
  if (seed.type === 'announcement') return { ...common, type: ChannelType.GuildAnnouncement };
  return { ...common, type: ChannelType.GuildText };
}
export function newThread(
  id: string,
  parent: FakeChannel,
  name: string,
  type: ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread,
  ownerId: string,
  b: Obj,
): APIThreadChannel {
  const now = new Date().toISOString();
  const duration = num(b.auto_archive_duration);
  return {
    id,
    type,
    guild_id: GUILD_ID,
    parent_id: parent.id,
    owner_id: ownerId,
    name,
    last_message_id: null,
    rate_limit_per_user: num(b.rate_limit_per_user) ?? 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0 as ChannelFlags,
    applied_tags: arr(b.applied_tags).filter((t): t is string => typeof t === 'string'),
    thread_metadata: {
      archived: false,
      auto_archive_duration: duration === 60 || duration === 4320 || duration === 10080 ? duration : 1440,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
      ...(type === ChannelType.PrivateThread ? { invitable: b.invitable !== false } : {}),
    },
    // Only the creating user gets its thread member in the payload; the bot sees it when it created the thread.
    ...(ownerId === BOT_ID ? { member: { id, user_id: ownerId, join_timestamp: now, flags: 0 as ThreadMemberFlags } } : {}),
  };
}
export function interactionBase(id: string, user: APIUser, channel: FakeChannel, locale = 'en-US') {
  const member: APIInteractionGuildMember = {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: new Date(0).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
    permissions: ALL_PERMISSIONS,
  };
  return {
    id,
    application_id: APP_ID,
    token: `fake-interaction-token-${randomBytes(12).toString('hex')}`,
    version: 1 as const,
    guild_id: GUILD_ID,
    guild: { id: GUILD_ID, locale: 'en-US' as Locale, features: [] },
    channel: structuredClone(channel),
    channel_id: channel.id,
    member,
    app_permissions: ALL_PERMISSIONS,
    locale: locale as Locale,
    guild_locale: 'en-US' as Locale,
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0 as const,
    attachment_size_limit: 10_485_760,
  };
}
