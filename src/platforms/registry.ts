/**
 * @module Every chat platform briefbot can post to, one line each (after Renovate's
 * `lib/modules/platform/api.ts`). The config loader, `main.ts` and the CLI loop over this list; adding a
 * platform is a folder with a `descriptor.ts` and one line here (docs/adding-a-platform.md).
 */
import { consoleDescriptor } from './console/descriptor.ts';
import { discordDescriptor } from './discord/descriptor.ts';
import type { PlatformDescriptor } from './platform-descriptor.ts';
import { slackDescriptor } from './slack/descriptor.ts';
import { webhookDescriptor } from './webhook/descriptor.ts';

/** In the order they are validated, started and listed. */
export const PLATFORMS = [consoleDescriptor, slackDescriptor, discordDescriptor, webhookDescriptor] as const;

type Registered = (typeof PLATFORMS)[number];

/** Each platform's settings under its id (null when it is not configured): `config.slack`, `config.discord` … */
export type PlatformSettings = {
  [D in Registered as D['id']]: D extends PlatformDescriptor<string, infer Settings> ? Settings | null : never;
};

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The test overrides every platform reads from `buildPlatforms` (each its own keys, e.g. `slackPort`). */
export type PlatformOptions = UnionToIntersection<
  Registered extends PlatformDescriptor<string, unknown, infer Options> ? Partial<Options> : never
>;

/** The descriptors, as the loops over them see them. */
export const platformDescriptors: readonly PlatformDescriptor[] = PLATFORMS;

/** The ids channels may name in `platform:`. */
export const platformIds = (): string[] => platformDescriptors.map((d) => d.id);

/** The descriptor of a platform id (undefined for an id that is not registered). */
export function findPlatform(id: string): PlatformDescriptor | undefined {
  return platformDescriptors.find((d) => d.id === id);
}

/** The platform channels fall back to when their own is not configured (the console). */
export function fallbackPlatform(): PlatformDescriptor {
  const fallback = platformDescriptors.find((d) => d.fallback);
  if (!fallback) throw new Error('no fallback platform is registered');
  return fallback;
}

/** A platform's settings in a config built by loadConfig (null when it is not configured). */
export function settingsOf(config: object, id: string): unknown {
  return (config as Record<string, unknown>)[id] ?? null;
}

/**
 * The platforms to start for a config: every configured one, and the fallback only when a channel is
 * delivered through it or no other platform is configured.
 */
export function platformsToStart(config: object, channels: readonly { deliveredVia: string }[]): PlatformDescriptor[] {
  const configured = platformDescriptors.filter((d) => settingsOf(config, d.id) !== null);
  const othersConfigured = configured.some((d) => !d.fallback);
  return configured.filter((d) => !d.fallback || !othersConfigured || channels.some((c) => c.deliveredVia === d.id));
}
