import { groupOf, Manifest } from './manifest';

/**
 * The manifests under analysis, indexed by kind, with the namespace every object ends up in.
 * Analyzers query it instead of scanning the list themselves.
 */
export class ManifestIndex {
  private readonly byKind = new Map<string, Manifest[]>();

  /**
   * @param manifests the objects to analyze
   * @param defaultNamespace the namespace of objects that name none
   */
  public constructor(public readonly manifests: readonly Manifest[], public readonly defaultNamespace = 'default') {
    for (const m of manifests) {
      if (!m || typeof m !== 'object' || !m.kind || !m.apiVersion || !m.metadata?.name) continue;
      const key = `${groupOf(m)}/${m.kind}`;
      const list = this.byKind.get(key) ?? [];
      list.push(m);
      this.byKind.set(key, list);
    }
  }

  /** The objects of one kind, e.g. `ofKind('networking.istio.io', 'VirtualService')`. */
  public ofKind(group: string, kind: string): Manifest[] {
    return [...(this.byKind.get(`${group}/${kind}`) ?? [])];
  }

  /** The namespace an object ends up in. */
  public namespaceOf(m: Manifest): string {
    return m.metadata.namespace ?? this.defaultNamespace;
  }
}
