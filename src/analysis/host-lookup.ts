import { hostCovers, hostsOverlap, isWildcard } from './hosts';

/**
 * Values keyed by host (exact or wildcard), found in constant time for exact hosts so that the
 * analysis of thousands of services stays linear; wildcards are few and scanned.
 */
export class HostLookup<T> {
  private readonly exact = new Map<string, Array<{ order: number; value: T }>>();
  private readonly wildcards: Array<{ order: number; host: string; value: T }> = [];

  public constructor(entries: Iterable<readonly [string, T]>) {
    let order = 0;
    for (const [host, value] of entries) {
      const h = host.toLowerCase();
      if (isWildcard(h)) {
        this.wildcards.push({ order: order++, host: h, value });
      } else {
        const list = this.exact.get(h) ?? [];
        list.push({ order: order++, value });
        this.exact.set(h, list);
      }
    }
  }

  /** The values whose host equals `host` or covers it by wildcard, in insertion order. */
  public covering(host: string): T[] {
    const h = host.toLowerCase();
    if (isWildcard(h)) return this.matching(h, (k) => hostCovers(k, h));
    return this.collect(this.exact.get(h) ?? [], this.wildcards.filter((w) => hostCovers(w.host, h)));
  }

  /** The values whose host has a name in common with `host` (either may be a wildcard), in insertion order. */
  public overlapping(host: string): T[] {
    const h = host.toLowerCase();
    if (isWildcard(h)) return this.matching(h, (k) => hostsOverlap(k, h));
    return this.collect(this.exact.get(h) ?? [], this.wildcards.filter((w) => hostCovers(w.host, h)));
  }

  private matching(_host: string, test: (key: string) => boolean): T[] {
    const exact = [...this.exact].filter(([k]) => test(k)).flatMap(([, list]) => list);
    return this.collect(exact, this.wildcards.filter((w) => test(w.host)));
  }

  private collect(exact: Array<{ order: number; value: T }>, wild: Array<{ order: number; value: T }>): T[] {
    if (wild.length === 0) return exact.map((e) => e.value);
    return [...exact, ...wild].sort((a, b) => a.order - b.order).map((e) => e.value);
  }
}
