import { createHash } from 'crypto';
import { linkerdRetryAnnotations } from '../resilience/linkerd-annotations';
import type { RetryPolicy } from '../resilience/retry-policy';
import type { MeshService } from '../service/mesh-service';
import { RouteActionKind } from '../traffic/route-action';
import type { ResolvedRoute } from '../traffic/routing-table';
import { mayTie } from './route-ties';

/**
 * Linkerd reads retries from annotations on an HTTPRoute, which apply to every rule of that
 * route, and falls back to the Service's annotations for a route that has none (linkerd2
 * policy-controller, 2.18–2.20: a route's retry annotations replace all of the Service's; no
 * annotation turns retries off). So the rules of a service go into one HTTPRoute per distinct
 * retry policy.
 */

/**
 * The retry policy a rule retries with, as a key: its Linkerd annotations in a stable order, ''
 * for no retries. Undefined for a rule that reaches no backend (a redirect), which may go into
 * any HTTPRoute. `route` undefined stands for the implicit catch-all rule.
 */
export function retryRouteKey(service: MeshService, route: ResolvedRoute | undefined): string | undefined {
  if (route && route.action.kind !== RouteActionKind.FORWARD) return undefined;
  return annotationsKey(service, route ? service.routing.behaviourOf(route).retries : service.routing.routeDefaults?.retries);
}

/**
 * The annotations of the HTTPRoute of a key, holding `routes`. A route that only inherits the
 * RequestPolicy's retries needs none (the Service's apply); one whose own retries are rendered
 * carries them, so they hold whoever renders the Service.
 */
export function retryRouteAnnotations(key: string, routes: ResolvedRoute[]): Record<string, string> {
  const own = routes.some((r) => r.behaviour.retries && r.behaviour.retries.attempts > 0);
  return key && own ? Object.fromEntries(JSON.parse(key)) : {};
}

/** The suffix of the name of a split-off HTTPRoute: deterministic, and unique per policy. */
export function retryRouteSuffix(key: string): string {
  return key ? `retries-${createHash('sha256').update(key).digest('hex').slice(0, 8)}` : 'no-retries';
}

/**
 * What Linkerd cannot render of the service's retries, once every intent is attached: a rule
 * without retries under the Service's retries, and two rules in different HTTPRoutes that one
 * request can match equally well (Linkerd would choose between them by the routes' creation
 * timestamps, not by the order of the routing table).
 */
export function retryRouteProblems(service: MeshService): string[] {
  const s = service;
  const rules = s.routing.ordered();
  const serviceRetries = s.routing.routeDefaults?.retries;
  const where = `${s.node.path}: retries cannot be rendered for linkerd`;
  const problems: string[] = [];
  if (serviceRetries && serviceRetries.attempts > 0) {
    const none = rules.filter((r) => r.action.kind === RouteActionKind.FORWARD && !retries(s, r));
    if (none.length) {
      problems.push(`${where}: ${none.map(describe).join(', ')} ${none.length > 1 ? 'have' : 'has'} no retries, but ${s.routing.routeDefaultsOwner!.node.path} gives ${s.serviceName} retries (${serviceRetries}) as Service annotations, `
        + 'which Linkerd applies to every route without retry annotations of its own (no annotation turns them off). '
        + 'Fix: give those routes retries of their own, or drop the RequestPolicy\'s retries and set them per route; a route marked idempotent: false cannot opt out of service-wide retries on Linkerd, so give the service retries that are safe for it or none');
    }
  }
  const mainKey = retryRouteKey(s, rules[rules.length - 1]) ?? '';
  const keys = rules.map((r) => retryRouteKey(s, r) ?? mainKey);
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      if (keys[i] === keys[j]) continue;
      const tie = firstTie(rules[i], rules[j]);
      if (!tie) continue;
      problems.push(`${where}: ${describe(rules[i])} (${retries(s, rules[i]) ?? 'no retries'}) and ${describe(rules[j])} (${retries(s, rules[j]) ?? 'no retries'}) retry differently, so they go into different HTTPRoutes (Linkerd takes one retry policy per HTTPRoute), `
        + `and one request can match both equally well (${tie[0]} and ${tie[1]}: same path length and the same number of header, query and method conditions). `
        + 'Linkerd would then pick the older HTTPRoute, not the route listed first. '
        + 'Fix: give the two routes the same retries, or make one match more specific (e.g. add a header or method condition)');
    }
  }
  return problems;
}

function retries(s: MeshService, r: ResolvedRoute): RetryPolicy | undefined {
  const p = s.routing.behaviourOf(r).retries;
  return p && p.attempts > 0 ? p : undefined;
}

function annotationsKey(s: MeshService, p: RetryPolicy | undefined): string {
  if (!p || p.attempts === 0) return '';
  return JSON.stringify(Object.entries(linkerdRetryAnnotations(s, 'retries', p)).sort(([a], [b]) => a.localeCompare(b)));
}

function firstTie(a: ResolvedRoute, b: ResolvedRoute): [string, string] | undefined {
  for (const ma of a.matches.length ? a.matches : [undefined]) {
    for (const mb of b.matches.length ? b.matches : [undefined]) {
      if (mayTie(ma, mb)) return [ma?.toString() ?? 'every request', mb?.toString() ?? 'every request'];
    }
  }
  return undefined;
}

function describe(r: ResolvedRoute): string {
  return r.name ?? (r.matches.length ? r.owner.node.path : 'default route');
}
