import { fail, quote } from '../core/errors';
import type { MeshService } from '../service/mesh-service';
import { validateRedirect } from './route-values';

/** Options for a destination. */
export interface DestinationOptions {
  /**
   * The destination port. Needed when the service has more than one port.
   * @default - the service's only port
   */
  readonly port?: number;
}

/** Options for a destination that is another service in the mesh. */
export interface ServiceDestinationOptions extends DestinationOptions {
  /**
   * A version of that service.
   * @default - any version (the Service as Kubernetes balances it)
   */
  readonly version?: string;
}

/** Where a route sends requests: a version of the route's own service, another service, or an external host. */
export class Destination {
  /** A version (Istio subset) of the service the route is attached to. */
  public static version(name: string, options: DestinationOptions = {}): Destination {
    if (typeof name !== 'string' || name.length === 0) fail('Destination.version', 'name', `must be a version name, got ${quote(name)}`, 'pass a version such as "v1"');
    return new Destination({ version: name, port: options.port });
  }

  /** The endpoints of the route's own service in one cluster (a subset added with `addClusterSubset`; Istio only). */
  public static cluster(name: string, options: DestinationOptions = {}): Destination {
    if (typeof name !== 'string' || name.length === 0) fail('Destination.cluster', 'name', `must be a cluster name, got ${quote(name)}`, 'pass a cluster of the mesh such as "west"');
    return new Destination({ cluster: name, port: options.port });
  }

  /** Another service of the mesh, optionally one of its versions. */
  public static service(service: MeshService, options: ServiceDestinationOptions = {}): Destination {
    return new Destination({ service, version: options.version, port: options.port });
  }

  /**
   * A host the library does not manage, such as an external service registered by a
   * `ServiceEntry`. Istio only: GAMMA routes need a Service to point at.
   */
  public static host(host: string, options: DestinationOptions = {}): Destination {
    if (typeof host !== 'string' || !/^[a-z0-9*]([-a-z0-9.]*[a-z0-9])?$/.test(host)) {
      fail('Destination.host', 'host', `must be a DNS host name, got ${quote(host)}`, 'pass e.g. "api.example.com"');
    }
    return new Destination({ host, port: options.port });
  }

  /** The other service, when the destination is another service of the mesh. */
  public readonly meshService?: MeshService;
  /** The version name, if any. */
  public readonly versionName?: string;
  /** The external host, for {@link Destination.host}. */
  public readonly externalHost?: string;
  /** The cluster whose endpoints it names, for {@link Destination.cluster}. */
  public readonly clusterName?: string;
  /** The port, if given. */
  public readonly port?: number;

  private constructor(d: { service?: MeshService; version?: string; host?: string; cluster?: string; port?: number }) {
    this.meshService = d.service;
    this.clusterName = d.cluster;
    this.versionName = d.version;
    this.externalHost = d.host;
    this.port = d.port;
  }

  /**
   * The other service, when the destination is another service of the mesh.
   * @deprecated use `meshService` (in other languages `service` is only the static factory)
   * @jsii ignore
   */
  public get service(): MeshService | undefined {
    return this.meshService;
  }

  /**
   * The version name, if any.
   * @deprecated use `versionName` (in other languages `version` is only the static factory)
   * @jsii ignore
   */
  public get version(): string | undefined {
    return this.versionName;
  }

  /**
   * The external host, for {@link Destination.host}.
   * @deprecated use `externalHost` (in other languages `host` is only the static factory)
   * @jsii ignore
   */
  public get host(): string | undefined {
    return this.externalHost;
  }

  /** A short description for messages and diagrams. */
  public toString(): string {
    const base = this.externalHost ?? this.meshService?.serviceName ?? '';
    return [base, this.versionName, this.clusterName && `cluster ${this.clusterName}`].filter(Boolean).join('/') || 'self';
  }
}

/** A destination with a share of the traffic, in percent. */
export interface WeightedDestination {
  readonly to: Destination;
  /** Percent of the requests, a whole number; the weights of a route must sum to 100. */
  readonly weight: number;
}

/** Options for an HTTP redirect. */
export interface RedirectOptions {
  /** @default - unchanged */
  readonly scheme?: RedirectScheme;
  /** @default - unchanged */
  readonly host?: string;
  /** Replaces the whole path. @default - unchanged */
  readonly path?: string;
  /** @default - unchanged (or the scheme's default port when the scheme changes) */
  readonly port?: number;
  /** @default 301 */
  readonly statusCode?: RedirectStatus;
}

/** Schemes a redirect can switch to. */
export enum RedirectScheme {
  HTTP = 'http',
  HTTPS = 'https',
}

/** Redirect status codes. The Gateway API's standard channel supports 301 and 302. */
export enum RedirectStatus {
  MOVED_PERMANENTLY = 301,
  FOUND = 302,
  SEE_OTHER = 303,
  TEMPORARY_REDIRECT = 307,
  PERMANENT_REDIRECT = 308,
}

/** The kinds of route action. */
export enum RouteActionKind {
  FORWARD = 'forward',
  REDIRECT = 'redirect',
  DIRECT_RESPONSE = 'direct-response',
}

/**
 * What a route does with the requests it matches: forward them (to one destination or a weighted
 * split), redirect them, or answer directly.
 *
 * @example
 * RouteTo.version('v1')
 * RouteTo.split({ v1: 90, v2: 10 })
 */
export class RouteTo {
  /** All requests to one version of the route's service. */
  public static version(name: string, options: DestinationOptions = {}): RouteTo {
    return RouteTo.weighted([{ to: Destination.version(name, options), weight: 100 }]);
  }

  /** A weighted split between versions of the route's service, in percent summing to 100. */
  public static split(weights: Record<string, number>, options: DestinationOptions = {}): RouteTo {
    if (typeof weights !== 'object' || weights === null) fail('RouteTo.split', 'weights', `must map versions to percentages, got ${quote(weights)}`, 'pass e.g. { v1: 90, v2: 10 }');
    return RouteTo.weighted(Object.entries(weights).map(([version, weight]) => ({ to: Destination.version(version, options), weight })));
  }

  /** All requests to the route's service in one cluster (a cluster subset; Istio only). */
  public static cluster(name: string, options: DestinationOptions = {}): RouteTo {
    return RouteTo.weighted([{ to: Destination.cluster(name, options), weight: 100 }]);
  }

  /** A weighted split between the route's service in several clusters, in percent summing to 100, e.g. `{ east: 90, west: 10 }` (cluster subsets; Istio only). */
  public static clusterSplit(weights: Record<string, number>, options: DestinationOptions = {}): RouteTo {
    if (typeof weights !== 'object' || weights === null) fail('RouteTo.clusterSplit', 'weights', `must map clusters to percentages, got ${quote(weights)}`, 'pass e.g. { east: 90, west: 10 }');
    return RouteTo.weighted(Object.entries(weights).map(([cluster, weight]) => ({ to: Destination.cluster(cluster, options), weight })));
  }

  /** All requests to another service (or one of its versions). */
  public static service(service: MeshService, options: ServiceDestinationOptions = {}): RouteTo {
    return RouteTo.weighted([{ to: Destination.service(service, options), weight: 100 }]);
  }

  /** All requests to one destination. */
  public static destination(to: Destination): RouteTo {
    return RouteTo.weighted([{ to, weight: 100 }]);
  }

  /** A weighted split between any destinations, in percent summing to 100. */
  public static weighted(destinations: WeightedDestination[]): RouteTo {
    if (!Array.isArray(destinations) || destinations.length === 0) fail('RouteTo.weighted', 'destinations', 'must not be empty', 'pass at least one destination');
    return new RouteTo(RouteActionKind.FORWARD, { destinations: [...destinations] });
  }

  /** An HTTP redirect. */
  public static redirect(options: RedirectOptions): RouteTo {
    return new RouteTo(RouteActionKind.REDIRECT, { redirect: { ...validateRedirect('RouteTo.redirect', 'options', options) } });
  }

  /** A fixed response, e.g. 503 for a maintenance window (Istio only). */
  public static directResponse(status: number, body?: string): RouteTo {
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      fail('RouteTo.directResponse', 'status', `must be an HTTP status from 200 to 599, got ${quote(status)}`, 'pass e.g. 503');
    }
    return new RouteTo(RouteActionKind.DIRECT_RESPONSE, { status, body });
  }

  /** The weighted destinations of a forward; empty otherwise. */
  public readonly destinations: WeightedDestination[];
  /** The redirect, for {@link RouteTo.redirect}. */
  public readonly redirectOptions?: RedirectOptions;
  /** The status of a direct response. */
  public readonly status?: number;
  /** The body of a direct response. */
  public readonly body?: string;

  private constructor(public readonly kind: RouteActionKind, d: { destinations?: WeightedDestination[]; redirect?: RedirectOptions; status?: number; body?: string }) {
    this.destinations = d.destinations ?? [];
    this.redirectOptions = d.redirect;
    this.status = d.status;
    this.body = d.body;
  }

  /**
   * The redirect, for {@link RouteTo.redirect}.
   * @deprecated use `redirectOptions` (in other languages `redirect` is only the static factory)
   * @jsii ignore
   */
  public get redirect(): RedirectOptions | undefined {
    return this.redirectOptions;
  }

  /** A short description for messages and diagrams, e.g. `v1=90, v2=10`. */
  public toString(): string {
    switch (this.kind) {
      case RouteActionKind.FORWARD: return this.destinations.map((d) => `${d.to}=${d.weight}`).join(', ');
      case RouteActionKind.REDIRECT: return `redirect ${JSON.stringify(this.redirectOptions)}`;
      default: return `respond ${this.status}`;
    }
  }
}
