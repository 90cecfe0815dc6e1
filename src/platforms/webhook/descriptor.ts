/**
 * @module The webhook as the registry sees it: WEBHOOK_URL (the address may carry a secret, so it is read
 * only from the environment) and the `webhook:` section of the config file (`format`, `timeout`).
 */
import { z } from 'zod';
import { parseDuration } from '../../config/durations.ts';
import type { ChatPlatform } from '../chat-platform.ts';
import { definePlatform } from '../platform-descriptor.ts';
import type { WebhookSettings } from './index.ts';

const webhookEnv = {
  WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
};

const webhookSection = z
  .strictObject({
    /** `json`: the delivery's content and its text; `text`: the text alone. */
    format: z.enum(['json', 'text']).default('json'),
    /** How long to wait for the receiver's answer; after that the POST is sent again, with the same key. */
    timeout: z
      .union([z.string(), z.number()])
      .default('10s')
      .transform((v, ctx) => {
        const ms = parseDuration(v);
        if (ms === null) {
          ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(v)} (use e.g. "10s")` });
          return z.NEVER;
        }
        return ms;
      }),
  })
  .prefault({});

export const webhookDescriptor = definePlatform<
  'webhook',
  WebhookSettings,
  Record<never, never>,
  z.output<typeof webhookSection>,
  typeof webhookEnv
>({
  id: 'webhook',
  env: webhookEnv,
  section: webhookSection,
  channelIdRequired: false,
  requiredEnv: 'WEBHOOK_URL',
  fromEnv: (section, env) => (env.WEBHOOK_URL ? { url: env.WEBHOOK_URL, format: section.format, timeoutMs: section.timeout } : null),
  async create(settings, logger): Promise<ChatPlatform> {
    const { createWebhookPlatform } = await import('./index.ts');
    return createWebhookPlatform(settings, logger);
  },
});
