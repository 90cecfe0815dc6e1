/**
 * @module Zod schemas for the kinds of value an environment variable holds (a yes/no, a port, an http(s)
 * URL), shared by the core environment schema and the platforms' own variables.
 */
import { z } from 'zod';

/** "1"/"true"/"yes"/"on" or "0"/"false"/"no"/"off"; unset is undefined. */
export const boolFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
  .optional();

/** A TCP port number (0: any free port). */
export const portFromEnv = z.coerce.number().int().min(0).max(65535).optional();

/** An http(s) URL. */
export const httpUrlFromEnv = z.url({ protocol: /^https?$/ }).optional();
