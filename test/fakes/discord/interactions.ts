/**
 * @module The fake Discord's interactions and application commands: a callback once and only within the
 * deadline, follow-ups only after it, the original response and follow-ups as webhook messages, and command
 * registration (global or per guild) with Discord's name and description rules.
 */
import {
  type APIApplicationCommand,
  type APIMessage,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
} from 'discord.js';
import type { DiscordState } from './state.ts';
import { APP_ID, GUILD_ID, type InteractionState, type RecordedCall, type RestResult } from './types.ts';
import {
  ApiError,
  addFormError,
  formError,
  num,
  type Obj,
  obj,
  str,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
  validateMessageBody,
} from './validate.ts';

export class DiscordInteractions {
  readonly state: DiscordState;

  constructor(state: DiscordState) {
    this.state = state;
  }

  interaction(id: string, token: string): InteractionState {
    const state = this.state.interactions.get(id);
    if (!state || state.token !== token) throw unknownInteraction();
    return state;
  }

  interactionByToken(appId: string, token: string): InteractionState {
    if (appId !== APP_ID) throw unknownWebhook();
    for (const state of this.state.interactions.values()) if (state.token === token) return state;
    throw unknownWebhook();
  }

  interactionMessage(state: InteractionState, b: Obj, loading: boolean): APIMessage {
    const ephemeral = ((num(b.flags) ?? 0) & MessageFlags.Ephemeral) !== 0;
    const message = this.state.newMessage(state.channelId, loading ? {} : b, {
      webhook_id: APP_ID,
      application_id: APP_ID,
      type: state.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      interaction_metadata:
        state.type === InteractionType.MessageComponent
          ? {
              id: state.id,
              type: InteractionType.MessageComponent,
              user: state.user,
              authorizing_integration_owners: { '0': GUILD_ID },
              interacted_message_id: state.componentMessageId ?? '0',
            }
          : { id: state.id, type: InteractionType.ApplicationCommand, user: state.user, authorizing_integration_owners: { '0': GUILD_ID } },
    });
    message.flags = (message.flags ?? 0) | (ephemeral ? MessageFlags.Ephemeral : 0) | (loading ? MessageFlags.Loading : 0);
    return message;
  }

  interactionCallback(id: string, token: string, b: Obj, call: RecordedCall): RestResult {
    const state = this.interaction(id, token);
    if (state.acknowledged) throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
    const deadline = this.state.options.interactionDeadlineMs;
    if (deadline > 0 && Date.now() - state.createdAt > deadline) throw unknownInteraction();
    const data = obj(b.data);
    const isComponent = state.type === InteractionType.MessageComponent || state.type === InteractionType.ModalSubmit;
    let message: APIMessage | undefined;
    switch (b.type) {
      case InteractionResponseType.ChannelMessageWithSource:
        validateMessageBody(data, call.files.length);
        message = this.interactionMessage(state, data, false);
        this.state.storeMessage(message);
        state.originalMessageId = message.id;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        message = this.interactionMessage(state, data, true);
        this.state.storeMessage(message);
        state.originalMessageId = message.id;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage:
        if (!isComponent || !state.componentMessageId)
          throw new ApiError(400, 40043, 'This interaction type does not support this response type');
        state.originalMessageId = state.componentMessageId;
        if (b.type === InteractionResponseType.UpdateMessage)
          message = this.state.editMessage(state.channelId, state.componentMessageId, data, false);
        break;
      case InteractionResponseType.Modal:
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
      case InteractionResponseType.Pong:
      case InteractionResponseType.LaunchActivity:
        break;
      default: {
        const errors: Obj = {};
        addFormError(errors, ['type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.');
        throw formError(errors);
      }
    }
    state.acknowledged = true;
    state.responseType = num(b.type) ?? null;
    if (message && message.channel_id === state.channelId && !((message.flags ?? 0) & MessageFlags.Ephemeral)) {
      if (b.type !== InteractionResponseType.UpdateMessage) this.state.echo('MESSAGE_CREATE', { ...message, guild_id: GUILD_ID });
    }
    if (call.query.with_response !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: state.id,
          type: state.type,
          response_message_id: state.originalMessageId ?? undefined,
          response_message_loading: b.type === InteractionResponseType.DeferredChannelMessageWithSource,
          response_message_ephemeral: ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        },
        resource: { type: b.type, ...(message ? { message } : {}) },
      },
    };
  }

  followUp(appId: string, token: string, b: Obj, fileCount: number): APIMessage {
    const state = this.interactionByToken(appId, token);
    if (!state.acknowledged) throw unknownWebhook();
    validateMessageBody(b, fileCount);
    const message = this.interactionMessage(state, b, false);
    this.state.storeMessage(message);
    if (!((message.flags ?? 0) & MessageFlags.Ephemeral)) this.state.echo('MESSAGE_CREATE', { ...message, guild_id: GUILD_ID });
    return message;
  }

  webhookMessage(appId: string, token: string, mid: string): APIMessage {
    const state = this.interactionByToken(appId, token);
    const id = mid === '@original' ? state.originalMessageId : mid;
    const message = id ? this.state.findMessage(state.channelId, id) : undefined;
    if (!message) throw unknownMessage();
    return message;
  }

  commandStore(appId: string, guildId?: string): Map<string, APIApplicationCommand> {
    if (appId !== APP_ID) throw new ApiError(403, 50001, 'Missing Access');
    if (guildId === undefined) return this.state.globalCommands;
    if (guildId !== GUILD_ID) throw new ApiError(403, 50001, 'Missing Access');
    let store = this.state.guildCommands.get(guildId);
    if (!store) {
      store = new Map();
      this.state.guildCommands.set(guildId, store);
    }
    return store;
  }

  toCommand(guildId: string | null, b: Obj, index: number, errors: Obj): APIApplicationCommand {
    const name = str(b.name) ?? '';
    const type = num(b.type) ?? ApplicationCommandType.ChatInput;
    if (type === ApplicationCommandType.ChatInput && !/^[-_\p{L}\p{N}]{1,32}$/u.test(name)) {
      addFormError(errors, [index, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    const description = str(b.description) ?? '';
    if (type === ApplicationCommandType.ChatInput && (description.length < 1 || description.length > 100)) {
      addFormError(errors, [index, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    return {
      ...(b as Partial<APIApplicationCommand>),
      id: this.state.commandId(guildId ?? 'global', name),
      application_id: APP_ID,
      ...(guildId ? { guild_id: guildId } : {}),
      name,
      description,
      type,
      version: this.state.snowflake(),
      default_member_permissions: str(b.default_member_permissions) ?? null,
      nsfw: b.nsfw === true,
    } as APIApplicationCommand;
  }

  putCommands(appId: string, guildId: string | null, body: unknown): APIApplicationCommand[] {
    const store = this.commandStore(appId, guildId ?? undefined);
    if (!Array.isArray(body)) throw formError({ _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] });
    const errors: Obj = {};
    const commands = body.map((c, i) => this.toCommand(guildId, obj(c), i, errors));
    if (Object.keys(errors).length > 0) throw formError(errors);
    store.clear();
    for (const command of commands) store.set(command.name, command);
    return commands;
  }

  upsertCommand(appId: string, guildId: string | null, b: Obj): APIApplicationCommand {
    const store = this.commandStore(appId, guildId ?? undefined);
    const errors: Obj = {};
    const command = this.toCommand(guildId, b, 0, errors);
    if (Object.keys(errors).length > 0) throw formError(errors);
    store.set(command.name, command);
    return command;
  }
}
