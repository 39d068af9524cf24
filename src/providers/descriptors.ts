import * as z from 'zod/mini';
import type { RateRule } from '../core/rate-limit.js';
import { descriptor as cobalt } from './cobalt/descriptor.js';
import type { ProviderDescriptor } from './descriptor.js';
import { descriptor as mailtrap } from './mailtrap/descriptor.js';
import { descriptor as triton } from './triton/descriptor.js';
import { descriptor as vaultoro } from './vaultoro/descriptor.js';
import { descriptor as vectorcharts } from './vectorcharts/descriptor.js';

// The one list that names every provider. Everything else (the provider types, the config union, the
// registry's adapters, the local stack's simulators, the contract targets) derives from it. Light: no
// descriptor imports an adapter or undici, so the ingress bundle may load this file.

/** Every provider tokenops speaks to, in the order replies list them. */
export const DESCRIPTORS = [vaultoro, vectorcharts, triton, mailtrap, cobalt] as const;

/** The provider types, as users type them. */
export const PROVIDER_TYPES: readonly ProviderType[] = DESCRIPTORS.map((d) => d.type);
/** One provider type. */
export type ProviderType = (typeof DESCRIPTORS)[number]['type'];

/** The connection schemas of a tuple of descriptors, as a tuple (what `discriminatedUnion` takes). */
type Schemas<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { connection: infer S } ? S : never;
};

/** One provider connection, as written in the config file. */
export const connectionSchema = z.discriminatedUnion(
  'provider',
  DESCRIPTORS.map((d) => d.connection) as Schemas<typeof DESCRIPTORS>,
);
/** A provider connection's config. */
export type ConnectionConfig = z.infer<typeof connectionSchema>;
/** The config of one provider type's connection. */
export type ConnectionOf<P extends ProviderType> = Extract<ConnectionConfig, { provider: P }>;

const BY_TYPE: ReadonlyMap<string, ProviderDescriptor> = new Map(DESCRIPTORS.map((d) => [d.type, d]));

/** True when the text names a provider type. */
export function isProviderType(text: string): text is ProviderType {
  return BY_TYPE.has(text);
}

/** The descriptor of a provider type (throws for a type no descriptor declares: a bug, not user input). */
export function descriptorOf(type: string): ProviderDescriptor {
  const d = BY_TYPE.get(type);
  if (!d) throw new Error(`No provider descriptor for ${JSON.stringify(type.slice(0, 40))}.`);
  return d;
}

/** The human name of a provider for replies (the type itself for an unknown one, e.g. an old audit row). */
export function providerLabel(type: string): string {
  return BY_TYPE.get(type)?.label ?? type;
}

/** What one revoke costs at a provider: its documented limits and the requests a revoke makes. */
export function revokeCostOf(type: string): { rules: readonly RateRule[]; requests: readonly string[] } {
  const d = descriptorOf(type);
  return { rules: d.rateRules, requests: d.revokeRequests };
}

/** True when revoking a token of this provider deactivates it: an inactive one is then already dead. */
export function revokeDeactivates(type: string): boolean {
  return BY_TYPE.get(type)?.revokeDeactivates ?? false;
}

/** The documented rate limits per provider. */
export const PROVIDER_RATE_RULES = Object.fromEntries(DESCRIPTORS.map((d) => [d.type, d.rateRules])) as Record<
  ProviderType,
  readonly RateRule[]
>;
