import type { FieldValue } from '../event-sink';
import type { MapOutcome } from './map-outcome';
import { readArray, readKeyValues, readObject, readString, type Attributes } from './otlp-values';
import { resourceFields } from './render';
import { serviceName } from './stream-key';

/** Where an item (log record, span, metric) sits: its resource and scope. */
export interface ScopeContext {
  service: string;
  resAttrs: Attributes;
  resFields: Record<string, FieldValue>;
  scopeName: string;
}

/** What a resource gives each of its items. */
export type ResourceContext = Omit<ScopeContext, 'scopeName'>;

export function resourceContext(resAttrs: Attributes): ResourceContext {
  return { service: serviceName(resAttrs), resAttrs, resFields: resourceFields(resAttrs) };
}

export function scopeContext(resource: ResourceContext, scopeName: string): ScopeContext {
  return { ...resource, scopeName };
}

/**
 * The resource → scope → items nesting every OTLP signal shares, e.g. keys
 * `['resourceLogs', 'scopeLogs', 'logRecords']`. Calls `visit` for each item
 * with its field path (undefined items, JSON nulls, are passed as undefined).
 */
export function forEachScopeItem(
  request: Record<string, unknown>,
  [resourceKey, scopeKey, itemKey]: readonly [string, string, string],
  out: MapOutcome,
  visit: (item: Record<string, unknown> | undefined, path: string, ctx: ScopeContext) => void,
): void {
  const resources = readArray(request[resourceKey], resourceKey);
  for (let i = 0; i < resources.length; i++) {
    const rPath = `${resourceKey}[${i}]`;
    const r = readObject(resources[i], rPath);
    if (!r) continue;
    const resource = readObject(r.resource, `${rPath}.resource`);
    const resAttrs = readKeyValues(resource?.attributes, `${rPath}.resource.attributes`, out);
    const base = resourceContext(resAttrs);
    const scopes = readArray(r[scopeKey], `${rPath}.${scopeKey}`);
    for (let j = 0; j < scopes.length; j++) {
      const sPath = `${rPath}.${scopeKey}[${j}]`;
      const s = readObject(scopes[j], sPath);
      if (!s) continue;
      const scope = readObject(s.scope, `${sPath}.scope`);
      const ctx = scopeContext(base, readString(scope?.name, `${sPath}.scope.name`));
      const items = readArray(s[itemKey], `${sPath}.${itemKey}`);
      for (let k = 0; k < items.length; k++) {
        const path = `${sPath}.${itemKey}[${k}]`;
        visit(readObject(items[k], path), path, ctx);
      }
    }
  }
}
