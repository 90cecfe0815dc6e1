/**
 * The webhook against the shared platform suite (describe-chat-platform.ts): its outbound scenarios. What only
 * the webhook does (idempotency keys, JSON or text bodies, its answers to 429 and 5xx) is in
 * test/integration/webhook/.
 */

import { describeChatPlatform } from './describe-chat-platform.ts';
import { createWebhookHarness } from './webhook-harness.ts';

describeChatPlatform(createWebhookHarness());
