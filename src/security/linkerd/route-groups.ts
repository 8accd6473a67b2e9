import type { HttpMethod } from '../../traffic/match';
import { RequestPath, RequestPathKind } from '../request-path';

/** One request match of a per-route rule: a method, a path, or both (undefined: any). */
export interface RouteAtom {
  readonly method?: HttpMethod;
  readonly path?: RequestPath;
}

/** Atoms (requests) selected by one HTTPRoute and the rules whose callers it must authorize. */
export interface RouteGroup<T> {
  readonly atoms: RouteAtom[];
  readonly rules: T[];
}

function key(a: RouteAtom): string {
  return `${a.method ?? '*'} ${a.path ? `${a.path.kind}:${a.path.path}` : '*'}`;
}

function pathWithin(inner: RequestPath, outer: RequestPath): boolean {
  if (outer.kind === RequestPathKind.EXACT) return inner.kind === RequestPathKind.EXACT && inner.path === outer.path;
  return outer.path === '/' || inner.path === outer.path || inner.path.startsWith(`${outer.path}/`);
}

/** True when every request `inner` selects is also selected by `outer`. */
export function atomWithin(inner: RouteAtom, outer: RouteAtom): boolean {
  if (outer.method && inner.method !== outer.method) return false;
  if (outer.path && !(inner.path && pathWithin(inner.path, outer.path))) return false;
  return true;
}

/** The requests both atoms select, or undefined if none. */
function intersect(a: RouteAtom, b: RouteAtom): RouteAtom | undefined {
  if (a.method && b.method && a.method !== b.method) return undefined;
  let path: RequestPath | undefined;
  if (!a.path || !b.path) path = a.path ?? b.path;
  else if (pathWithin(a.path, b.path)) path = a.path;
  else if (pathWithin(b.path, a.path)) path = b.path;
  else return undefined;
  return { method: a.method ?? b.method, path };
}

/**
 * Groups the per-route rules of one Linkerd Server into HTTPRoutes that authorize correctly.
 *
 * Linkerd picks exactly one route per request, the most specific match (Gateway API precedence:
 * exact path, longest prefix, then method), and checks only that route's authorizations. So the
 * atoms are closed under intersection (GET /a ∩ any /a/b = GET /a/b): then the atom a request
 * selects lies inside every atom that matches it, and it authorizes every rule with an atom
 * containing it — exactly the callers whose rules allow the request. Atoms with the same rules
 * share one route.
 */
export function routeGroups<T>(rules: ReadonlyArray<{ readonly rule: T; readonly atoms: RouteAtom[] }>): RouteGroup<T>[] {
  const atoms = new Map<string, RouteAtom>();
  for (const r of rules) for (const a of r.atoms) atoms.set(key(a), a);
  let grew = true;
  while (grew) {
    grew = false;
    const list = [...atoms.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const x = intersect(list[i], list[j]);
        if (x && !atoms.has(key(x))) {
          atoms.set(key(x), x);
          grew = true;
        }
      }
    }
  }
  const groups = new Map<string, RouteGroup<T>>();
  for (const a of atoms.values()) {
    const allowed = rules.filter((r) => r.atoms.some((b) => atomWithin(a, b)));
    const id = allowed.map((r) => rules.indexOf(r)).join(',');
    const g = groups.get(id) ?? { atoms: [], rules: allowed.map((r) => r.rule) };
    g.atoms.push(a);
    groups.set(id, g);
  }
  return [...groups.values()];
}
