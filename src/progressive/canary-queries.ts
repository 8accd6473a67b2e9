import { fail, quote } from '../core/errors';
import { linkerdBackendRates } from '../observability/metrics/linkerd-caller-series';
import { MeshMetrics } from '../observability/metrics/mesh-metrics';
import { formatNumber } from '../observability/prometheus/promql';
import { MeshService } from '../service/mesh-service';
import { ServiceVersion } from '../service/service-version';

/** Options of a canary query. */
export interface CanaryQueryOptions {
  /**
   * The fewest canary requests in the window that the query judges; with fewer it returns the
   * no-traffic result.
   * @default 1
   */
  readonly minRequests?: number;
  /**
   * The result when the canary had fewer than `minRequests` requests. Unset, the query is wrapped
   * in `scalar()`, which gives NaN (Argo Rollouts: `isNaN(result) || ...` passes it); an engine
   * whose analysis cannot test for NaN passes a value its threshold accepts (e.g. 1 for the
   * success rate, 0 for the latency).
   * @default - NaN
   */
  readonly noTrafficResult?: number;
}

/**
 * The PromQL an automatic canary engine measures a canary version with, right for the mesh's
 * metrics ({@link MeshMetrics}): its success rate and a latency percentile, over its own requests
 * only. Every query returns exactly one value, so that no traffic never looks like "no data" (an
 * error in Argo Rollouts, "no values found" in Flagger): with fewer than `minRequests` requests in
 * the window it returns the no-traffic result instead. The window is a string so that an engine can
 * pass a template variable (Flagger's `{{ interval }}`) as well as a duration (`1m`).
 *
 * On Istio the canary's requests are those to its `destination_version` as the callers' proxies
 * report them (failures on the caller's side included; `unknown` versions, requests that found no
 * healthy endpoint, count against the canary), plus those from callers without a proxy as the
 * server reports them. On Linkerd they are likewise the callers' view: the route-backend counter of
 * the callers' proxies for the Service the canary is reached through (no endpoint, load shedding
 * and the callers' timeouts included), plus the inbound requests of callers without a proxy
 * (`linkerd-caller-series.ts`); the latency is the canary pods' own (inbound
 * `response_latency_ms_bucket`), since the callers' histogram is in seconds with other buckets and
 * cannot join it in one quantile (a caller's timeout is a failure in the success rate instead).
 */
export class CanaryQueries {
  /** The queries for one version of a service, with the mesh's metrics (`MeshMetrics.forScope(service)` by default). */
  public static of(service: MeshService, canaryVersion: string, metrics?: MeshMetrics): CanaryQueries {
    if (!MeshService.isMeshService(service)) fail('CanaryQueries.of', 'service', `must be a MeshService, got ${quote(service)}`, 'pass the service being canaried');
    return CanaryQueries._viaService(service, canaryVersion, service.version(canaryVersion, service, 'canaryVersion').serviceName, metrics);
  }

  /**
   * @internal The queries of a canary version that the routes reach through the Service
   * `backendService` (on Linkerd: its per-version Service, or Argo Rollouts' `<service>-canary`).
   */
  public static _viaService(service: MeshService, canaryVersion: string, backendService: string, metrics?: MeshMetrics): CanaryQueries {
    const version = service.version(canaryVersion, service, 'canaryVersion');
    const m = metrics ?? MeshMetrics.forScope(service);
    const backend = { namespace: service.namespace, serviceName: backendService, podLabels: version.podLabels };
    return new CanaryQueries(version, m, (window, options) => (m.name === 'linkerd' && !options?.buckets
      ? linkerdBackendRates(backend, window, options?.errorsOnly ?? false)
      : m._versionRates(service, service, version, window, options)));
  }

  /**
   * @internal The queries of a canary that Flagger runs: the requests to its `<service>-canary`
   * Service as the callers see them, plus on Linkerd the inbound requests of callers without a
   * proxy to the pods with the service's selector, and their latency (Flagger relabels the
   * primary's pods `<label>: <value>-primary`, so only the canary's pods keep the selector).
   * Namespace and service are Flagger's template variables, so that the MetricTemplate reads the
   * Canary it is run for.
   */
  public static _flaggerCanary(service: MeshService, canaryVersion: string, metrics?: MeshMetrics): CanaryQueries {
    const version = service.version(canaryVersion, service, 'canaryVersion');
    const m = metrics ?? MeshMetrics.forScope(service);
    const target = { namespace: '{{ namespace }}', serviceName: '{{ service }}-canary', selector: service.selector };
    return new CanaryQueries(version, m, (window, options) => (m.name === 'linkerd' && !options?.buckets
      ? linkerdBackendRates({ ...target, podLabels: target.selector }, window, options?.errorsOnly ?? false)
      : m._serviceRates(target, window, options)));
  }

  private constructor(
    /** The canary version. */
    public readonly version: ServiceVersion,
    /** The metrics read. */
    public readonly metrics: MeshMetrics,
    private readonly rates: (window: string, options?: { errorsOnly?: boolean; buckets?: boolean }) => string,
  ) {
    this.requestRates('1m'); // fails now, not at synth, when the version cannot be told apart
  }

  /** The number of the canary's requests over the window. */
  public requestCount(window: string): string {
    return `sum(${this.requestRates(window).replace(/\brate\(/g, 'increase(')})`;
  }

  /** The share of the canary's requests that succeeded over the window, from 0 to 1. */
  public successRate(window: string, options: CanaryQueryOptions = {}): string {
    const errors = `sum(${this.rates(window, { errorsOnly: true })})`;
    return this.guarded(`1 - ((${errors} or vector(0)) / sum(${this.requestRates(window)}))`, window, options);
  }

  /** The canary's latency at `quantile` (e.g. 0.99) over the window, in milliseconds. */
  public latency(quantile: number, window: string, options: CanaryQueryOptions = {}): string {
    if (typeof quantile !== 'number' || !(quantile > 0 && quantile < 1)) fail('CanaryQueries.latency', 'quantile', `must be between 0 and 1 (exclusive), got ${quote(quantile)}`, 'pass e.g. 0.99');
    const buckets = this.rates(window, { buckets: true });
    return this.guarded(`histogram_quantile(${formatNumber(quantile)}, sum by (le) (${buckets}))`, window, options);
  }

  private requestRates(window: string): string {
    return this.rates(window);
  }

  /** `value` when the canary had at least minRequests requests, else the no-traffic result. */
  private guarded(value: string, window: string, options: CanaryQueryOptions): string {
    const min = options.minRequests ?? 1;
    if (!Number.isInteger(min) || min < 1) fail('CanaryQueries', 'minRequests', `must be a whole number >= 1, got ${quote(min)}`, 'pass e.g. 10');
    const judged = `(${value}) and on() (${this.requestCount(window)} >= ${min})`;
    if (options.noTrafficResult === undefined) return `scalar(${judged})`;
    if (!Number.isFinite(options.noTrafficResult)) fail('CanaryQueries', 'noTrafficResult', `must be a finite number, got ${quote(options.noTrafficResult)}`, 'leave it unset for NaN');
    return `(${judged}) or on() vector(${formatNumber(options.noTrafficResult)})`;
  }
}
