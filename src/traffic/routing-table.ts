import { IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';
import { validateDuration } from '../core/duration';
import { validateWeight, validateWeightTotal } from '../core/percent';
import { validateRouteResilience } from '../resilience/route-checks';
import { withRouteDefaults } from '../resilience/route-defaults';
import type { MeshService } from '../service/mesh-service';
import { ServiceVersion } from '../service/service-version';
import type { ClusterSubset } from '../service/cluster-subset';
import { Match } from './match';
import { DefaultRoute, RouteBehaviour, RouteDefaults, RouteOptions } from './route';
import { Destination, RouteActionKind, RouteTo } from './route-action';
import { validateRouteAction } from './route-values';
import { validateDnsLabel } from '../core/names';
import { failPortRequired } from './route-port';

/** A destination resolved against the service model. */
export interface ResolvedBackend {
  /** The service, for destinations in the mesh. */
  readonly service?: MeshService;
  /** The external host, for `Destination.host`. */
  readonly host?: string;
  readonly version?: ServiceVersion;
  /** The endpoints of one cluster, for `Destination.cluster`. */
  readonly clusterSubset?: ClusterSubset;
  /** The port, when given or needed. */
  readonly port?: number;
  readonly weight: number;
}

/** The mirror of a resolved route. */
export interface ResolvedMirror {
  /** Where the copies go. */
  readonly backend: ResolvedBackend;
  /** The share of requests mirrored, 0–100. */
  readonly percent: number;
}

/** A route validated and resolved against the service model; the input of every renderer. */
export interface ResolvedRoute {
  readonly name?: string;
  /** Any one of these selects the route; empty for the default (catch-all) route. */
  readonly matches: Match[];
  readonly action: RouteTo;
  readonly backends: ResolvedBackend[];
  readonly mirror?: ResolvedMirror;
  readonly behaviour: RouteBehaviour;
  /** The construct that attached the route; named in conflict errors. */
  readonly owner: IConstruct;
}

/**
 * The routing table of one service host: the matched routes in precedence order, then the default
 * route. Every renderer reads it, so each host gets exactly one VirtualService or HTTPRoute.
 */
export class RoutingTable {
  private readonly routes: ResolvedRoute[] = [];
  private defaultRoute?: ResolvedRoute;
  private defaults?: { readonly owner: IConstruct; readonly value: RouteDefaults };

  public constructor(private readonly service: MeshService) {}

  /** Adds a matched route. */
  public add(owner: IConstruct, route: RouteOptions): ResolvedRoute {
    if (!Array.isArray(route.matches) || route.matches.length === 0) {
      fail(owner, 'matches', 'must list at least one match', 'pass matches such as [Match.header("end-user").exact("jason")], or use setDefaultRoute() for all requests');
    }
    const resolved = this.resolve(owner, route, route.matches);
    resolved.matches.forEach((m, i) => {
      const j = resolved.matches.findIndex((x) => x.toString() === m.toString());
      if (j < i) fail(owner, `matches[${i}]`, `repeats matches[${j}] ("${m}") of the same route`, 'list each match once');
    });
    for (const existing of this.routes) {
      for (const m of resolved.matches) {
        if (existing.matches.some((e) => e.toString() === m.toString())) {
          fail(owner, 'matches', `repeats the match "${m}" of the route added by ${existing.owner.node.path}, which makes the later route unreachable (IST0130)`, 'merge the two routes or change one match');
        }
      }
    }
    if (resolved.name && this.routes.some((r) => r.name === resolved.name)) {
      fail(owner, 'name', `${quote(resolved.name)} is already used by another route of ${this.service.serviceName}`, 'give each route a unique name');
    }
    this.checkWithDefaults(resolved);
    this.routes.push(resolved);
    return resolved;
  }

  /** Sets the route for requests no other route selects. */
  public setDefault(owner: IConstruct, route: DefaultRoute): ResolvedRoute {
    if (this.defaultRoute) {
      fail(owner, 'default route', `of ${this.service.node.path} is already set by ${this.defaultRoute.owner.node.path} (${this.defaultRoute.action})`,
        'attach one traffic split per service: remove one of the two intents, or combine them into one split');
    }
    const resolved = this.resolve(owner, route, []);
    this.checkWithDefaults(resolved);
    this.defaultRoute = resolved;
    return resolved;
  }

  /**
   * Sets the service-wide retries and timeout for every route that sets none; once per service.
   * Every route attached so far, and every route attached later, is checked with them applied.
   */
  public setRouteDefaults(owner: IConstruct, value: RouteDefaults): void {
    if (this.defaults) {
      fail(owner, 'service', `${this.service.serviceName} already has route defaults (${this.defaults.owner.node.path})`, 'attach one set of route defaults per service');
    }
    this.defaults = { owner, value };
    for (const r of [...this.routes, ...(this.defaultRoute ? [this.defaultRoute] : [])]) this.checkWithDefaults(r);
  }

  /** The service-wide route defaults (a RequestPolicy's), if any. */
  public get routeDefaults(): RouteDefaults | undefined {
    return this.defaults?.value;
  }

  /** The construct that set the route defaults, if any. */
  public get routeDefaultsOwner(): IConstruct | undefined {
    return this.defaults?.owner;
  }

  /** A route's behaviour with the service's route defaults applied: what the renderers render. */
  public behaviourOf(route: ResolvedRoute): RouteBehaviour {
    return withRouteDefaults(route, this.defaults?.value);
  }

  private checkWithDefaults(r: ResolvedRoute): void {
    if (!this.defaults) return;
    validateRouteResilience(r.owner, this.behaviourOf(r), ` (with the defaults of ${this.defaults.owner.node.path})`);
  }

  /** True when any route or a default route is attached. */
  public get isEmpty(): boolean {
    return this.routes.length === 0 && !this.defaultRoute;
  }

  /** How many rules the table renders: the matched routes plus the default (or implicit catch-all) route. */
  public get ruleCount(): number {
    return this.routes.length + 1;
  }

  /** The routes attached so far in the order added, the default route last if one was set (no implicit catch-all). */
  public get attached(): ResolvedRoute[] {
    return [...this.routes, ...(this.defaultRoute ? [this.defaultRoute] : [])];
  }

  /** The default route, if one was set. */
  public get explicitDefault(): ResolvedRoute | undefined {
    return this.defaultRoute;
  }

  /**
   * The routes in evaluation order: matched routes by precedence (Gateway API rules: exact path,
   * longest prefix, method, most headers, most query parameters; ties keep the order added), then
   * the default route. Without an explicit default, unmatched requests go to the Service as a
   * whole, as they would without a mesh.
   */
  public ordered(): ResolvedRoute[] {
    const fallback: ResolvedRoute = this.defaultRoute ?? {
      matches: [], action: RouteTo.destination(Destination.service(this.service)), owner: this.service, behaviour: {},
      backends: [{ service: this.service, weight: 100, port: this.defaults?.value.port ?? this.defaultPort(this.defaults?.owner ?? this.service, this.service, true) }],
    };
    return [...this.orderedMatched(), fallback];
  }

  /** The matched routes by precedence (see `ordered`), without the default route. */
  public orderedMatched(): ResolvedRoute[] {
    const keyed = this.routes.map((r, i) => ({ r, i, key: bestPrecedence(r.matches) }));
    keyed.sort((a, b) => compareKeys(b.key, a.key) || a.i - b.i);
    return keyed.map((k) => k.r);
  }

  private resolve(owner: IConstruct, route: DefaultRoute, matches: Match[]): ResolvedRoute {
    if (!(route.to instanceof RouteTo)) fail(owner, 'to', `must be a RouteTo, got ${quote(route.to)}`, 'use RouteTo.version("v1"), RouteTo.split({...}) or RouteTo.service(...)');
    if (route.name !== undefined) validateDnsLabel(owner, 'name', route.name);
    if (route.timeout) validateDuration(owner, 'timeout', route.timeout);
    validateRouteAction(owner, route.to, route);
    validateRouteResilience(owner, route);
    const backends = route.to.kind === RouteActionKind.FORWARD ? this.resolveSplit(owner, route.to) : [];
    const mirror = route.mirror ? { backend: this.resolveDestination(owner, 'mirror', route.mirror.destination, 100), percent: route.mirror.percent } : undefined;
    if (mirror && backends.some((b) => sameBackend(b, mirror.backend))) {
      fail(owner, 'mirror', `sends copies to ${route.mirror!.destination}, which already receives the route's live traffic`, 'mirror to a destination the route does not forward to');
    }
    const { name, to, ...behaviour } = route as typeof route & { matches?: Match[] };
    delete (behaviour as { matches?: Match[] }).matches;
    return { name, matches: [...matches], action: to, backends, mirror, behaviour, owner };
  }

  private resolveSplit(owner: IConstruct, to: RouteTo): ResolvedBackend[] {
    const backends = to.destinations.map((d, i) => this.resolveDestination(owner, `to.destinations[${i}]`, d.to, validateWeight(owner, `weight of ${d.to}`, d.weight)));
    validateWeightTotal(owner, 'weights', to.destinations.map((d) => [String(d.to), d.weight]),
      `adjust the percentages so they add up to 100${backends.length === 2 ? `, e.g. ${backends[0].version?.name ?? 'first'}=${100 - backends[1].weight}` : ''}`);
    const seen = new Set<string>();
    for (const b of backends) {
      const key = backendKey(b);
      if (seen.has(key)) fail(owner, 'destinations', `lists ${key} twice`, 'give each destination one entry with the combined weight');
      seen.add(key);
    }
    return backends;
  }

  private resolveDestination(owner: IConstruct, prop: string, d: Destination, weight: number): ResolvedBackend {
    if (d.externalHost) return { host: d.externalHost, port: d.port, weight };
    const service = d.meshService ?? this.service;
    const version = d.versionName !== undefined ? service.version(d.versionName, owner, prop) : undefined;
    const clusterSubset = d.clusterName !== undefined ? service.clusterSubset(d.clusterName, owner, prop) : undefined;
    const port = d.port !== undefined ? service.port(d.port, owner, `${prop}.port`).port : service.ports.length > 1 ? this.defaultPort(owner, service) : undefined;
    return { service, version, clusterSubset, port, weight };
  }

  private defaultPort(owner: IConstruct, service: MeshService = this.service, catchAll = false): number | undefined {
    if (service.ports.length <= 1) return undefined;
    const fix = catchAll && isMeshService(owner)
      ? `requests no route matches need a port too: set a default route that names one, e.g. setDefaultRoute(RouteTo.version('v1', { port: ${service.ports[0].port} }))`
      : isMeshService(owner)
      ? `pass { port } to the destination, e.g. RouteTo.version('v1', { port: ${service.ports[0].port} })`
      : `set the port prop of ${owner.node.path} (a ${owner.constructor.name}), e.g. port: ${service.ports[0].port}`;
    return failPortRequired(owner, service, fix);
  }
}

/** True for the MeshService itself (a route the user attached directly), without importing it. */
function isMeshService(c: IConstruct): boolean {
  return (c as { routing?: unknown }).routing instanceof RoutingTable;
}

function bestPrecedence(matches: Match[]): number[] {
  return matches.map((m) => m.precedence()).sort(compareKeys).pop() ?? [];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function backendKey(b: ResolvedBackend): string {
  return `${b.host ?? `${b.service?.namespace}/${b.service?.serviceName}`}${b.version ? `/${b.version.name}` : ''}${b.clusterSubset ? `/${b.clusterSubset.name}` : ''}${b.port ? `:${b.port}` : ''}`;
}

function sameBackend(a: ResolvedBackend, b: ResolvedBackend): boolean {
  return backendKey(a) === backendKey(b);
}
