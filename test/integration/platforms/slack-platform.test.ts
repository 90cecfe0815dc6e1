/**
 * Slack against the shared platform suite (describe-chat-platform.ts). Slack-only scenarios are in
 * test/integration/slack/.
 */

import { describeChatPlatform } from './describe-chat-platform.ts';
import { createSlackHarness } from './slack-harness.ts';

describeChatPlatform(createSlackHarness());
