/**
 * Discord against the shared platform suite (describe-chat-platform.ts). Discord-only scenarios are in
 * test/integration/discord/.
 */

import { describeChatPlatform } from './describe-chat-platform.ts';
import { createDiscordHarness } from './discord-harness.ts';

describeChatPlatform(createDiscordHarness());
