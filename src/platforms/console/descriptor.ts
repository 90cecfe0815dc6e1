/**
 * @module The console as the registry sees it: always configured, no settings, and the platform every
 * channel falls back to when its own platform has no token (so a first run shows a brief).
 */
import type { ChatPlatform } from '../chat-platform.ts';
import { definePlatform } from '../platform-descriptor.ts';

export const consoleDescriptor = definePlatform<'console', Record<never, never>>({
  id: 'console',
  env: {},
  channelIdRequired: false,
  fallback: true,
  requiredEnv: null,
  fromEnv: () => ({}),
  async create(): Promise<ChatPlatform> {
    const { createConsolePlatform } = await import('./index.ts');
    return createConsolePlatform();
  },
});
