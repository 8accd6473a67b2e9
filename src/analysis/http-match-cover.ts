/**
 * Whether an earlier HTTP match catches every request a later one would: the later match can never
 * apply. Only prefix URI matches are compared (as Istio's overlap analysis does); any field that is
 * not understood here has to be equal in both matches.
 */

const UNDERSTOOD = new Set(['name', 'uri', 'method', 'authority', 'headers', 'queryParams', 'withoutHeaders', 'port']);

function canonical(v: unknown): string {
  const norm = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(norm);
    if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x as object).sort().map((k) => [k, norm((x as any)[k])]));
    return x;
  };
  return JSON.stringify(norm(v));
}

/** True if the string match `a` accepts every value the string match `b` accepts (undefined accepts all). */
function stringMatchCovers(a: any, b: any): boolean {
  if (a === undefined) return true;
  if (b === undefined) return false;
  if (typeof a.prefix === 'string') {
    if (typeof b.exact === 'string') return b.exact.startsWith(a.prefix);
    if (typeof b.prefix === 'string') return b.prefix.startsWith(a.prefix);
  }
  return canonical(a) === canonical(b);
}

/** True if every entry of the string-match map `a` accepts what `b` requires for that key. */
function mapCovers(a: Record<string, any> | undefined, b: Record<string, any> | undefined): boolean {
  return Object.entries(a ?? {}).every(([k, m]) => b?.[k] !== undefined && stringMatchCovers(m, b[k]));
}

/** The URI prefix of a match, if it is a prefix match. */
export function uriPrefixOf(match: any): string | undefined {
  const p = match?.uri?.prefix;
  return typeof p === 'string' && p !== '' ? p : undefined;
}

/** True if the prefix match `a` (earlier) catches every request of the prefix match `b` (later). */
export function httpMatchCovers(a: any, b: any): boolean {
  const pa = uriPrefixOf(a);
  const pb = uriPrefixOf(b);
  if (pa === undefined || pb === undefined || !pb.startsWith(pa)) return false;
  if (a.port !== undefined && a.port !== b.port) return false;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!UNDERSTOOD.has(key) && canonical(a[key]) !== canonical(b[key])) return false;
  }
  if (a.uri?.ignoreUriCase !== b.uri?.ignoreUriCase) return false;
  if (!stringMatchCovers(a.method, b.method) || !stringMatchCovers(a.authority, b.authority)) return false;
  if (!mapCovers(a.headers, b.headers) || !mapCovers(a.queryParams, b.queryParams)) return false;
  // a request matching b lacks every header b excludes; a must exclude no other header
  return Object.entries(a.withoutHeaders ?? {}).every(([k, m]) => b.withoutHeaders?.[k] !== undefined && canonical(m) === canonical(b.withoutHeaders[k]));
}
