/**
 * The ITDR configuration of a deployment: `[vars] ITDR_CONFIG` (JSON, any subset of core/itdr/config.ts —
 * identity aliases, detector thresholds), parsed once per env object. A bad document fails loudly with the
 * field it names, rather than silently running the defaults.
 */
import { parseItdrConfig, type ItdrConfig } from '../../core/itdr/config';
import { ConfigError } from '../env';

const cache = new WeakMap<object, ItdrConfig>();

export function readItdrConfig(env: Cloudflare.Env): ItdrConfig {
  const cached = cache.get(env);
  if (cached) return cached;
  const raw = env.ITDR_CONFIG ?? '{}';
  let config: ItdrConfig;
  try {
    config = parseItdrConfig(JSON.parse(raw === '' ? '{}' : raw) as Parameters<typeof parseItdrConfig>[0]);
  } catch (err) {
    throw new ConfigError(`invalid configuration: ITDR_CONFIG: ${err instanceof Error ? err.message : String(err)}`);
  }
  cache.set(env, config);
  return config;
}
