/**
 * @module What the fake Discord refuses, as Discord does: message bodies (empty message, 2000-char content,
 * embed and component limits, duplicate custom ids), with Discord's error codes and its nested form errors;
 * plus the small JSON readers the other parts use.
 */
import { type APIEmbed, type APIUser, ComponentType, EmbedType, MessageFlags } from 'discord.js';
import type { FakeUserInput } from './types.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: number;
  readonly errors: Obj | undefined;
  constructor(status: number, code: number, message: string, errors?: Obj) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const compareIds = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

export const unknownMessage = () => new ApiError(404, 10008, 'Unknown Message');
export const unknownChannel = () => new ApiError(404, 10003, 'Unknown Channel');
export const unknownWebhook = () => new ApiError(404, 10015, 'Unknown Webhook');
export const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');
export const formError = (errors: Obj) => new ApiError(400, 50035, 'Invalid Form Body', errors);

export function addFormError(root: Obj, path: Array<string | number>, code: string, message: string): void {
  let node = root;
  for (const key of path) {
    const k = String(key);
    if (!isObj(node[k])) node[k] = {};
    node = node[k] as Obj;
  }
  if (!Array.isArray(node._errors)) node._errors = [];
  (node._errors as unknown[]).push({ code, message });
}

export function checkLength(errors: Obj, path: Array<string | number>, value: unknown, max: number): number {
  const s = str(value);
  if (s === undefined) return 0;
  if (s.length > max) addFormError(errors, path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  return s.length;
}

export function checkUrl(errors: Obj, path: Array<string | number>, value: unknown): void {
  const s = str(value);
  if (s === undefined) return;
  let ok = false;
  try {
    ok = ['http:', 'https:', 'attachment:'].includes(new URL(s).protocol);
  } catch {
    ok = false;
  }
  if (!ok) addFormError(errors, path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
}

/** Discord's limits on embeds (per field, 10 embeds, 6000 characters in all). */
export function validateEmbeds(errors: Obj, embeds: unknown[]): void {
  if (embeds.length > 10) addFormError(errors, ['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((raw, i) => {
    const e = obj(raw);
    const at = (...rest: Array<string | number>) => ['embeds', i, ...rest];
    total += checkLength(errors, at('title'), e.title, 256);
    total += checkLength(errors, at('description'), e.description, 4096);
    checkUrl(errors, at('url'), e.url);
    const color = e.color;
    if (color !== undefined && color !== null && (!Number.isInteger(color) || (color as number) < 0 || (color as number) > 0xffffff)) {
      addFormError(errors, at('color'), 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
    if (e.timestamp !== undefined && Number.isNaN(Date.parse(str(e.timestamp) ?? ''))) {
      addFormError(errors, at('timestamp'), 'DATE_TYPE_PARSE', 'Could not parse timestamp. Should be ISO8601.');
    }
    const footer = obj(e.footer);
    total += checkLength(errors, at('footer', 'text'), footer.text, 2048);
    const author = obj(e.author);
    total += checkLength(errors, at('author', 'name'), author.name, 256);
    checkUrl(errors, at('author', 'url'), author.url);
    checkUrl(errors, at('image', 'url'), obj(e.image).url);
    checkUrl(errors, at('thumbnail', 'url'), obj(e.thumbnail).url);
    const fields = arr(e.fields);
    if (fields.length > 25) addFormError(errors, at('fields'), 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((rawField, j) => {
      const f = obj(rawField);
      for (const [key, max] of [
        ['name', 256],
        ['value', 1024],
      ] as const) {
        if (!str(f[key])) addFormError(errors, at('fields', j, key), 'BASE_TYPE_REQUIRED', 'This field is required');
        else total += checkLength(errors, at('fields', j, key), f[key], max);
      }
    });
  });
  if (total > 6000) addFormError(errors, ['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

/** Classic components: at most 5 action rows of 1..5 components; buttons need a custom_id (or a url for links). */
export function validateComponents(errors: Obj, components: unknown[]): void {
  if (components.length > 5) addFormError(errors, ['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  const seen = new Set<string>();
  components.forEach((rawRow, i) => {
    const row = obj(rawRow);
    if (row.type !== ComponentType.ActionRow) {
      addFormError(errors, ['components', i, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1}.');
      return;
    }
    const children = arr(row.components);
    if (children.length < 1 || children.length > 5) {
      addFormError(errors, ['components', i, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    children.forEach((rawChild, j) => {
      const c = obj(rawChild);
      const at = (key: string) => ['components', i, 'components', j, key];
      const customId = str(c.custom_id);
      if (c.type === ComponentType.Button) {
        checkLength(errors, at('label'), c.label, 80);
        if (c.style === 5) {
          if (!str(c.url)) addFormError(errors, at('url'), 'BASE_TYPE_REQUIRED', 'This field is required');
          else checkUrl(errors, at('url'), c.url);
          return;
        }
        if (c.style === 6) return;
      }
      if (!customId) {
        addFormError(errors, at('custom_id'), 'BASE_TYPE_REQUIRED', 'This field is required');
        return;
      }
      checkLength(errors, at('custom_id'), customId, 100);
      if (seen.has(customId))
        addFormError(errors, at('custom_id'), 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      seen.add(customId);
    });
  });
}

export function hasMessageContent(b: Obj, fileCount: number): boolean {
  return (
    (str(b.content) ?? '').trim() !== '' ||
    arr(b.embeds).length > 0 ||
    arr(b.components).length > 0 ||
    arr(b.sticker_ids).length > 0 ||
    isObj(b.poll) ||
    fileCount > 0
  );
}

/** Throws Discord's 50006 / 50035 errors for a message body. */
export function validateMessageBody(b: Obj, fileCount: number, requireContent = true): void {
  if (requireContent && !hasMessageContent(b, fileCount)) throw new ApiError(400, 50006, 'Cannot send an empty message');
  const errors: Obj = {};
  checkLength(errors, ['content'], b.content, 2000);
  validateEmbeds(errors, arr(b.embeds));
  const v2 = ((num(b.flags) ?? 0) & MessageFlags.IsComponentsV2) !== 0;
  if (!v2) validateComponents(errors, arr(b.components));
  if (Object.keys(errors).length > 0) throw formError(errors);
}

export function toEmbeds(v: unknown): APIEmbed[] {
  return arr(v).map((e) => ({ ...(obj(e) as APIEmbed), type: EmbedType.Rich }));
}

export function makeUser(input: FakeUserInput | undefined, fallback: APIUser): APIUser {
  if (!input) return fallback;
  const id = input.id ?? fallback.id;
  const username = input.username ?? (id === fallback.id ? fallback.username : `user${id.slice(-4)}`);
  return {
    id,
    username,
    discriminator: '0',
    global_name: input.globalName === undefined ? username : input.globalName,
    avatar: null,
    ...(input.bot ? { bot: true } : {}),
  };
}
