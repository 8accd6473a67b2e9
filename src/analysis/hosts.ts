/**
 * Host names as Istio reads them. A short name (`reviews`) is relative to the namespace of the
 * object naming it (`reviews.<ns>.svc.<domain>`); a name with a dot is taken as written (as
 * Istio's `ResolveShortnameToFQDN` does, so `reviews.ns` is *not* the Service `reviews`);
 * `*` and `*.suffix` are wildcards.
 */
export function resolveHost(host: string, namespace: string, clusterDomain = 'cluster.local'): string {
  const h = host.toLowerCase();
  if (h === '*' || h.includes('.') || h.includes(':') || h === '') return h;
  return `${h}.${namespace}.svc.${clusterDomain}`;
}

/** The host of the Service `name` in `namespace`. */
export function serviceHost(name: string, namespace: string, clusterDomain = 'cluster.local'): string {
  return `${name}.${namespace}.svc.${clusterDomain}`.toLowerCase();
}

/** True for `*` and `*.suffix`. */
export function isWildcard(host: string): boolean {
  return host.startsWith('*');
}

/**
 * True if the wildcard or exact host `pattern` covers `host`: equal names, `*` covers all, and
 * `*.example.com` covers `a.example.com` and `a.b.example.com` (not `example.com`).
 */
export function hostCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h || p === '*') return true;
  if (!p.startsWith('*')) return false;
  const suffix = p.slice(1); // '.example.com'
  if (h.startsWith('*')) return h.slice(1).endsWith(suffix);
  return h.endsWith(suffix) && h.length > suffix.length;
}

/** True if two hosts, either possibly a wildcard, name at least one host in common (Istio's `Matches`). */
export function hostsOverlap(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/**
 * True for a host inside the cluster (`*.svc.<domain>`): a Service of the cluster, never an
 * external name.
 */
export function isClusterHost(fqdn: string, clusterDomain = 'cluster.local'): boolean {
  return fqdn.endsWith(`.svc.${clusterDomain}`);
}

/**
 * Host names as Istio reads them, for every language: the class form of `resolveHost`,
 * `serviceHost`, `isWildcard`, `hostCovers`, `hostsOverlap` and `isClusterHost`.
 */
export class Hosts {
  /** A host as written in an object of `namespace`, resolved as Istio does (short names are relative to the namespace). */
  public static resolve(host: string, namespace: string, clusterDomain: string = 'cluster.local'): string {
    return resolveHost(host, namespace, clusterDomain);
  }

  /** The host of the Service `name` in `namespace`. */
  public static serviceHost(name: string, namespace: string, clusterDomain: string = 'cluster.local'): string {
    return serviceHost(name, namespace, clusterDomain);
  }

  /** True for `*` and `*.suffix`. */
  public static isWildcard(host: string): boolean {
    return isWildcard(host);
  }

  /** True if the wildcard or exact host `pattern` covers `host`. */
  public static covers(pattern: string, host: string): boolean {
    return hostCovers(pattern, host);
  }

  /** True if two hosts, either possibly a wildcard, name at least one host in common. */
  public static overlap(a: string, b: string): boolean {
    return hostsOverlap(a, b);
  }

  /** True for a host inside the cluster (`*.svc.<domain>`). */
  public static isClusterHost(fqdn: string, clusterDomain: string = 'cluster.local'): boolean {
    return isClusterHost(fqdn, clusterDomain);
  }

  private constructor() {}
}
