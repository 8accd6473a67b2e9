import { Duration } from 'cdk8s';
import type { FaultInjection } from '../resilience/fault-injection';
import type { RetryPolicy } from '../resilience/retry-policy';
import { Match } from './match';
import { Mirror } from './mirror';
import { RouteTo } from './route-action';

/** Rewrites applied to a forwarded request. */
export interface RewriteOptions {
  /**
   * Replaces the matched path prefix when every match of the route is a path prefix (`/` removes
   * it: `/orders/42` → `/42`), otherwise the whole path: the Gateway API's `ReplacePrefixMatch`
   * and `ReplaceFullPath`. Istio renders it as `uriRegexRewrite`.
   * @default - unchanged
   */
  readonly path?: string;
  /** Replaces the Host/authority header. @default - unchanged */
  readonly authority?: string;
}

/** Everything a route does with the requests it selects, apart from the selection. */
export interface RouteBehaviour {
  /**
   * Overall timeout for a request, retries included.
   * @default - none (Istio's default: disabled)
   */
  readonly timeout?: Duration;
  /** @default - no mirroring */
  readonly mirror?: Mirror;
  /** @default - no rewrite */
  readonly rewrite?: RewriteOptions;
  /**
   * Retries of failed requests. Istio only, and Linkerd (as `retry.linkerd.io/*` annotations).
   * @default - the service's RequestPolicy, else the mesh's default (Istio: 2 attempts)
   */
  readonly retries?: RetryPolicy;
  /**
   * Faults injected into the selected requests (resilience tests). Istio only.
   * @default - none
   */
  readonly fault?: FaultInjection;
  /**
   * Whether the selected requests are safe to repeat. A non-idempotent route (e.g. `POST /orders`)
   * may only retry failures that happen before the request reaches the application
   * (`RetryOn.CONNECTION_FAILURES`); other retries are rejected.
   * @default true
   */
  readonly idempotent?: boolean;
}

/**
 * Service-wide defaults for the routes of a service that set none of their own (what a
 * `RequestPolicy` attaches).
 */
export interface RouteDefaults {
  /** @default - none */
  readonly retries?: RetryPolicy;
  /** @default - none */
  readonly timeout?: Duration;
  /**
   * The Service port the implicit catch-all route forwards to, for a service with several ports.
   * @default - the service's only port
   */
  readonly port?: number;
}

/** What the default route of a service does (`setDefaultRoute`), apart from where it goes. */
export interface DefaultRouteOptions extends RouteBehaviour {
  /**
   * A name for the route, shown in Istio's route statistics and access logs.
   * @default - none
   */
  readonly name?: string;
}

/** The default route of a service's routing table: where requests no other route selects go. */
export interface DefaultRoute extends DefaultRouteOptions {
  /** Where the requests go. */
  readonly to: RouteTo;
}

/** A route of a service's routing table. */
export interface RouteOptions extends RouteBehaviour {
  /**
   * A name for the route, shown in Istio's route statistics and access logs.
   * @default - none
   */
  readonly name?: string;
  /**
   * The requests this route selects: any one of the matches. Required; a route for every request
   * is the default route (`setDefaultRoute`).
   */
  readonly matches: Match[];
  /** Where the selected requests go. */
  readonly to: RouteTo;
}
