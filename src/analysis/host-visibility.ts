/** The `exportTo` scope meaning every namespace. */
export const ALL_NAMESPACES = '*';

/** The Service annotation that limits which namespaces see a Service (Istio's `networking.istio.io/exportTo`). */
export const SERVICE_EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';

/**
 * The namespaces an Istio object with `exportTo` is visible in: `*` for all (also when the list is
 * empty), `.` is the object's own namespace.
 */
export function exportScopes(exportTo: readonly unknown[] | undefined, namespace: string): string[] {
  const list = (exportTo ?? []).filter((e): e is string => typeof e === 'string' && e.trim() !== '').map((e) => e.trim());
  if (list.length === 0 || list.includes(ALL_NAMESPACES)) return [ALL_NAMESPACES];
  return [...new Set(list.map((e) => (e === '.' ? namespace : e)))];
}

/** The namespaces a Service is visible in, from its `networking.istio.io/exportTo` annotation (comma-separated). */
export function serviceExportScopes(annotations: Readonly<Record<string, string>> | undefined, namespace: string): string[] {
  const value = annotations?.[SERVICE_EXPORT_TO_ANNOTATION];
  return exportScopes(typeof value === 'string' ? value.split(',') : undefined, namespace);
}

/**
 * Destinations (Services and ServiceEntry hosts) by the namespaces they are exported to, looked
 * up the way Istio's analyzers do (`GetDestinationHost`):
 *
 * 1. an exact host exported to every namespace;
 * 2. an exact host exported to the namespace of the object naming it, or, when that object has
 *    its own `exportTo`, to one of the namespaces it is exported to;
 * 3. a wildcard host (`*.example.com`, `*`) exported to every namespace or to the object's own namespace.
 *
 * TypeScript only (`@jsii ignore`: jsii has no generic classes); other languages reach it through
 * `ManifestIndex.visibleDestination`.
 *
 * @jsii ignore
 */
export class VisibleHosts<T> {
  private readonly exact = new Map<string, T>();
  private readonly wildcards: Array<{ scope: string; suffix: string; value: T }> = [];

  /** Adds a resolved host (exact or wildcard) visible in `scopes`. The first one added for a key wins. */
  public add(host: string, scopes: readonly string[], value: T): void {
    const h = host.toLowerCase();
    for (const scope of scopes) {
      if (h.startsWith('*')) {
        this.wildcards.push({ scope, suffix: h.slice(1), value });
      } else if (!this.exact.has(`${scope}/${h}`)) {
        this.exact.set(`${scope}/${h}`, value);
      }
    }
  }

  /**
   * The destination a resolved `host` named by an object of `fromNamespace` (with that object's
   * `exportTo`) reaches, if any is visible to it.
   */
  public find(host: string, fromNamespace: string, exportTo?: readonly unknown[]): T | undefined {
    const h = host.toLowerCase();
    const all = this.exact.get(`${ALL_NAMESPACES}/${h}`);
    if (all !== undefined) return all;
    const own = (exportTo ?? []).filter((e): e is string => typeof e === 'string');
    const scopes = own.length === 0 ? [fromNamespace] : own.map((e) => (e === '.' ? fromNamespace : e));
    for (const scope of scopes) {
      const v = this.exact.get(`${scope}/${h}`);
      if (v !== undefined) return v;
    }
    const bare = h.startsWith('*') ? h.slice(1) : h;
    return this.wildcards.find((w) => (w.scope === ALL_NAMESPACES || w.scope === fromNamespace) && bare.endsWith(w.suffix))?.value;
  }
}
