import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import { Mesh, meshOf } from '../../core/mesh';
import { MeshService } from '../../service/mesh-service';
import { eq, LabelMatcher, leMatcher, re, selector, sanitizeLabelName } from '../prometheus/promql';

/** Istio's default request-duration histogram buckets, in milliseconds. */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** The Linkerd proxy's response-latency histogram buckets, in milliseconds. */
export const LINKERD_LATENCY_BUCKETS_MS: readonly number[] = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000];

interface MeshMetricsSpec {
  readonly name: string;
  readonly requests: string;
  readonly bucket: string;
  readonly count: string;
  readonly error: LabelMatcher;
  readonly versionLabel: string;
  readonly buckets: readonly number[];
  readonly serviceMatchers: (service: MeshService) => LabelMatcher[];
  readonly serviceGrouping: string[];
}

/**
 * The request metrics a mesh's proxies export, and the PromQL that reads a service's golden
 * signals from them: the same alert or SLO renders Istio's `istio_requests_total` /
 * `istio_request_duration_milliseconds_bucket` or Linkerd's `response_total` /
 * `response_latency_ms_bucket`.
 *
 * Istio series are selected with `reporter="destination"` (the server-side proxy),
 * `destination_service_name` and `destination_service_namespace`. Linkerd's inbound series carry
 * no service name: they are selected with `direction="inbound"`, `namespace` and the service's pod
 * selector, which the Linkerd scrape preset ({@link MeshScrapeTargets.linkerdProxies}) copies from
 * the pod labels as Linkerd's own Prometheus configuration does.
 */
export class MeshMetrics {
  /** Istio's standard metrics (also used for the Gateway API mesh profile, normally served by Istio). */
  public static istio(): MeshMetrics {
    return new MeshMetrics({
      name: 'istio',
      requests: 'istio_requests_total',
      bucket: 'istio_request_duration_milliseconds_bucket',
      count: 'istio_request_duration_milliseconds_count',
      error: re('response_code', '5..'),
      versionLabel: 'destination_version',
      buckets: ISTIO_DURATION_BUCKETS_MS,
      serviceMatchers: (s) => [eq('reporter', 'destination'), eq('destination_service_namespace', s.namespace), eq('destination_service_name', s.serviceName)],
      serviceGrouping: ['destination_service_namespace', 'destination_service_name'],
    });
  }

  /** The Linkerd proxy's metrics (inbound side). */
  public static linkerd(): MeshMetrics {
    return new MeshMetrics({
      name: 'linkerd',
      requests: 'response_total',
      bucket: 'response_latency_ms_bucket',
      count: 'response_latency_ms_count',
      error: eq('classification', 'failure'),
      versionLabel: 'version',
      buckets: LINKERD_LATENCY_BUCKETS_MS,
      serviceMatchers: (s) => [
        eq('direction', 'inbound'),
        eq('namespace', s.namespace),
        ...Object.entries(s.selector).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => eq(sanitizeLabelName(k), v)),
      ],
      serviceGrouping: ['namespace', 'deployment'],
    });
  }

  /**
   * The metrics for the mesh in force at `scope`: Linkerd's for `Mesh.LINKERD`, Istio's for
   * `Mesh.ISTIO` and `Mesh.GATEWAY_API`. Cilium's data plane exports neither, so `Mesh.CILIUM`
   * needs an explicit choice.
   */
  public static forScope(scope: IConstruct, prop = 'metrics'): MeshMetrics {
    const mesh = meshOf(scope);
    switch (mesh) {
      case Mesh.LINKERD: return MeshMetrics.linkerd();
      case Mesh.CILIUM:
        return fail(scope, prop, 'cannot be derived for cilium: Cilium\'s proxies export neither Istio\'s nor Linkerd\'s request metrics',
          'pass metrics: MeshMetrics.istio() if Istio runs the data plane, or MeshMetrics.linkerd() for Linkerd');
      default: return MeshMetrics.istio();
    }
  }

  private constructor(private readonly spec: MeshMetricsSpec) {}

  /** `istio` or `linkerd`. */
  public get name(): string {
    return this.spec.name;
  }

  /** The request counter, e.g. `istio_requests_total`. */
  public get requestsMetric(): string {
    return this.spec.requests;
  }

  /** The latency histogram's bucket series, e.g. `istio_request_duration_milliseconds_bucket`. */
  public get latencyBucketMetric(): string {
    return this.spec.bucket;
  }

  /** The label that tells a service's versions apart (`destination_version` on Istio). */
  public get versionLabel(): string {
    return this.spec.versionLabel;
  }

  /** The labels that identify a service in mesh-wide queries. */
  public get serviceGrouping(): string[] {
    return [...this.spec.serviceGrouping];
  }

  /** The latency histogram's bucket boundaries in ms: a latency threshold must be one of them. */
  public get latencyBucketsMs(): number[] {
    return [...this.spec.buckets];
  }

  /** The selector of all of a service's requests, e.g. `istio_requests_total{reporter="destination",...}`. */
  public requests(service: MeshService, options: { errorsOnly?: boolean } = {}): string {
    return selector(this.spec.requests, [...this.spec.serviceMatchers(service), ...(options.errorsOnly ? [this.spec.error] : [])]);
  }

  /** `sum [by (...)] (rate(<requests>[window]))`. */
  public requestRate(service: MeshService, window: string, options: { errorsOnly?: boolean; by?: string[]; offset?: string } = {}): string {
    const offset = options.offset ? ` offset ${options.offset}` : '';
    return `sum${by(options.by)}(rate(${this.requests(service, options)}[${window}]${offset}))`;
  }

  /** The share of failed requests over a window (5xx on Istio, `classification="failure"` on Linkerd). */
  public errorRatio(service: MeshService, window: string, options: { by?: string[] } = {}): string {
    const errors = this.requestRate(service, window, { errorsOnly: true, by: options.by });
    // Without a single failure there is no error series at all: count that as 0, not as no data.
    const numerator = options.by?.length ? errors : `(${errors} or vector(0))`;
    return `${numerator} / ${this.requestRate(service, window, { by: options.by })}`;
  }

  /** `histogram_quantile(q, sum by (le[, ...]) (rate(<bucket>[window])))`, in milliseconds. */
  public latencyQuantile(service: MeshService, quantile: number, window: string, options: { by?: string[] } = {}): string {
    const sel = selector(this.spec.bucket, this.spec.serviceMatchers(service));
    return `histogram_quantile(${quantile}, sum by (${['le', ...(options.by ?? [])].join(', ')}) (rate(${sel}[${window}])))`;
  }

  /** `sum(rate(<bucket>{le="<thresholdMs>"}[window]))`: the rate of requests at most `thresholdMs` long. */
  public fastRequestRate(service: MeshService, thresholdMs: number, window: string): string {
    return `sum(rate(${selector(this.spec.bucket, [...this.spec.serviceMatchers(service), leMatcher(thresholdMs)])}[${window}]))`;
  }

  /** `sum(rate(<histogram count>[window]))`: the rate of requests the latency histogram saw. */
  public measuredRequestRate(service: MeshService, window: string): string {
    return `sum(rate(${selector(this.spec.count, this.spec.serviceMatchers(service))}[${window}]))`;
  }

  /** The share of requests slower than `thresholdMs` (a bucket boundary) over a window. */
  public slowRatio(service: MeshService, thresholdMs: number, window: string): string {
    return `1 - (${this.fastRequestRate(service, thresholdMs, window)} / ${this.measuredRequestRate(service, window)})`;
  }

  /** Mesh-wide request rate per service. */
  public meshRequestRate(window: string, options: { errorsOnly?: boolean } = {}): string {
    const base = this.spec.name === 'istio' ? [eq('reporter', 'destination')] : [eq('direction', 'inbound')];
    return `sum${by(this.spec.serviceGrouping)}(rate(${selector(this.spec.requests, [...base, ...(options.errorsOnly ? [this.spec.error] : [])])}[${window}]))`;
  }

  /** Mesh-wide latency quantile per service, in milliseconds. */
  public meshLatencyQuantile(quantile: number, window: string): string {
    const base = this.spec.name === 'istio' ? [eq('reporter', 'destination')] : [eq('direction', 'inbound')];
    return `histogram_quantile(${quantile}, sum by (${['le', ...this.spec.serviceGrouping].join(', ')}) (rate(${selector(this.spec.bucket, base)}[${window}])))`;
  }
}

function by(labels?: string[]): string {
  return labels && labels.length ? ` by (${labels.join(', ')}) ` : '';
}
