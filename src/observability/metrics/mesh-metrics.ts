import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import { Mesh, meshOf } from '../../core/mesh';
import { MeshService } from '../../service/mesh-service';
import type { ServiceVersion } from '../../service/service-version';
import { eq, escapeRegex, LabelMatcher, leMatcher, re, selector, sanitizeLabelName } from '../prometheus/promql';

/** Istio's default request-duration histogram buckets, in milliseconds. */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** The Linkerd proxy's response-latency histogram buckets, in milliseconds. */
export const LINKERD_LATENCY_BUCKETS_MS: readonly number[] = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000];

/** Options of {@link MeshMetrics.requests} and {@link MeshMetrics.meshRequestRate}. */
export interface RequestSeriesOptions {
  /** Only failed requests (5xx on Istio, `classification="failure"` on Linkerd). @default false */
  readonly errorsOnly?: boolean;
}

/** Options of the aggregations of {@link MeshMetrics} that can group by labels. */
export interface GroupingOptions {
  /** The labels to keep (`sum by (...)`). @default - none: one series */
  readonly by?: string[];
}

/** Options of {@link MeshMetrics.requestRate}. */
export interface RequestRateOptions extends RequestSeriesOptions, GroupingOptions {
  /** A PromQL offset such as `1d`, to compare with the past. @default - none */
  readonly offset?: string;
}

/** What a service's series are selected by: its namespace, name and pod selector. */
type SeriesTarget = Pick<MeshService, 'namespace' | 'serviceName' | 'selector'>;

interface MeshMetricsSpec {
  readonly name: string;
  readonly requests: string;
  readonly bucket: string;
  readonly count: string;
  readonly error: LabelMatcher;
  readonly versionLabel: string;
  readonly buckets: readonly number[];
  /**
   * The series of a service's requests, as alternatives that never count a request twice (the
   * query reads `rate(a) or rate(b)`: the alternatives differ in `reporter`, so `or` keeps both).
   */
  readonly serviceSeries: (service: SeriesTarget) => LabelMatcher[][];
  /** The alternatives of one version's requests (see {@link MeshMetrics._versionRates}). */
  readonly versionSeries: (scope: IConstruct, service: MeshService, version: ServiceVersion) => LabelMatcher[][];
  /** The same alternatives without the service, for mesh-wide queries. */
  readonly meshSeries: LabelMatcher[][];
  /** A selector of every series of a service whoever reports it, for the absence alert. */
  readonly presence: (service: MeshService) => LabelMatcher[];
  readonly serviceGrouping: string[];
}

const ISTIO_USER_FACING: LabelMatcher[][] = [
  // what the callers' proxies and gateways saw, including what failed on their side: route
  // timeouts, circuit-breaker overflows and no healthy upstream (503s no server proxy reports)
  [eq('reporter', 'source')],
  // requests from callers without a proxy (plain text on a PERMISSIVE port), which only the
  // server's proxy reports; meshed callers' requests are counted once, at the source
  [eq('reporter', 'destination'), eq('source_workload', 'unknown')],
];

/**
 * The request metrics a mesh's proxies export, and the PromQL that reads a service's golden
 * signals from them: the same alert or SLO renders Istio's `istio_requests_total` /
 * `istio_request_duration_milliseconds_bucket` or Linkerd's `response_total` /
 * `response_latency_ms_bucket`.
 *
 * Istio's signals are user-facing: they are read where the request starts, from the series the
 * callers' proxies and gateways report (`reporter="source"`), which also see the failures that
 * never reach the service (client-side timeouts, circuit-breaker 503s, no healthy upstream, a
 * total outage), plus the server-side series of requests from callers without a proxy
 * (`reporter="destination", source_workload="unknown"`), so that no request is counted twice.
 * Both are selected by `destination_service_name` and `destination_service_namespace`.
 * Linkerd's inbound series carry
 * no service name: they are selected with `direction="inbound"`, `namespace` and the service's pod
 * selector, which the Linkerd scrape preset ({@link MeshScrapeTargets.linkerdProxies}) copies from
 * the pod labels as Linkerd's own Prometheus configuration does.
 */
export class MeshMetrics {
  /** Istio's default request-duration histogram buckets, in milliseconds (a copy of `ISTIO_DURATION_BUCKETS_MS`). */
  public static readonly ISTIO_DURATION_BUCKETS_MS: number[] = [...ISTIO_DURATION_BUCKETS_MS];
  /** The Linkerd proxy's response-latency histogram buckets, in milliseconds (a copy of `LINKERD_LATENCY_BUCKETS_MS`). */
  public static readonly LINKERD_LATENCY_BUCKETS_MS: number[] = [...LINKERD_LATENCY_BUCKETS_MS];

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
      serviceSeries: (s) => ISTIO_USER_FACING.map((alt) => [...alt, eq('destination_service_namespace', s.namespace), eq('destination_service_name', s.serviceName)]),
      versionSeries: istioVersionSeries,
      meshSeries: ISTIO_USER_FACING,
      presence: (s) => [eq('destination_service_namespace', s.namespace), eq('destination_service_name', s.serviceName)],
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
      serviceSeries: (s) => [linkerdInbound(s)],
      versionSeries: (_scope, s, v) => [[...linkerdInbound(s), ...sortedMatchers(v.labels)]],
      meshSeries: [[eq('direction', 'inbound')]],
      presence: linkerdInbound,
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

  /**
   * The selectors of a service's requests, one per alternative series (see the class comment),
   * e.g. `istio_requests_total{reporter="source",...}`.
   */
  public requests(service: MeshService, options: RequestSeriesOptions = {}): string[] {
    return this.spec.serviceSeries(service).map((alt) => selector(this.spec.requests, [...alt, ...(options.errorsOnly ? [this.spec.error] : [])]));
  }

  /** A selector of every request series of a service, whoever reports it: absent when the metrics are gone. */
  public presence(service: MeshService): string {
    return selector(this.spec.requests, this.spec.presence(service));
  }

  /** `sum [by (...)] (rate(<requests>[window]))`. */
  public requestRate(service: MeshService, window: string, options: RequestRateOptions = {}): string {
    const offset = options.offset ? ` offset ${options.offset}` : '';
    return `sum${by(options.by)}(${rates(this.spec.requests, this.spec.serviceSeries(service), options.errorsOnly ? [this.spec.error] : [], window, offset)})`;
  }

  /** The share of failed requests over a window (5xx on Istio, `classification="failure"` on Linkerd). */
  public errorRatio(service: MeshService, window: string, options: GroupingOptions = {}): string {
    const errors = this.requestRate(service, window, { errorsOnly: true, by: options.by });
    // Without a single failure there is no error series at all: count that as 0, not as no data.
    const numerator = options.by?.length ? errors : `(${errors} or vector(0))`;
    return `${numerator} / ${this.requestRate(service, window, { by: options.by })}`;
  }

  /** `histogram_quantile(q, sum by (le[, ...]) (rate(<bucket>[window])))`, in milliseconds. */
  public latencyQuantile(service: MeshService, quantile: number, window: string, options: GroupingOptions = {}): string {
    return `histogram_quantile(${quantile}, sum by (${['le', ...(options.by ?? [])].join(', ')}) (${rates(this.spec.bucket, this.spec.serviceSeries(service), [], window)}))`;
  }

  /** `sum(rate(<bucket>{le="<thresholdMs>"}[window]))`: the rate of requests at most `thresholdMs` long. */
  public fastRequestRate(service: MeshService, thresholdMs: number, window: string): string {
    return `sum(${rates(this.spec.bucket, this.spec.serviceSeries(service), [leMatcher(thresholdMs)], window)})`;
  }

  /** `sum(rate(<histogram count>[window]))`: the rate of requests the latency histogram saw. */
  public measuredRequestRate(service: MeshService, window: string): string {
    return `sum(${rates(this.spec.count, this.spec.serviceSeries(service), [], window)})`;
  }

  /** The share of requests slower than `thresholdMs` (a bucket boundary) over a window. */
  public slowRatio(service: MeshService, thresholdMs: number, window: string): string {
    return `1 - (${this.fastRequestRate(service, thresholdMs, window)} / ${this.measuredRequestRate(service, window)})`;
  }

  /**
   * @internal `rate(a[w]) or rate(b[w])` over the alternatives of the requests to a service given by
   * namespace, name and pod selector (which may be template variables, e.g. Flagger's
   * `{{ service }}-canary`), or of its latency histogram's buckets: the argument of a `sum`.
   */
  public _serviceRates(target: SeriesTarget, window: string, options: { errorsOnly?: boolean; buckets?: boolean } = {}): string {
    return this.seriesRates(this.spec.serviceSeries(target), window, options);
  }

  /**
   * @internal `rate(a[w]) or rate(b[w])` over the alternatives of one version's requests (or of
   * its latency histogram's buckets), the argument of a `sum`: a canary's own signals.
   */
  public _versionRates(scope: IConstruct, service: MeshService, version: ServiceVersion, window: string, options: { errorsOnly?: boolean; buckets?: boolean } = {}): string {
    return this.seriesRates(this.spec.versionSeries(scope, service, version), window, options);
  }

  private seriesRates(series: LabelMatcher[][], window: string, options: { errorsOnly?: boolean; buckets?: boolean }): string {
    return rates(options.buckets ? this.spec.bucket : this.spec.requests, series, options.errorsOnly ? [this.spec.error] : [], window);
  }

  /** Mesh-wide request rate per service. */
  public meshRequestRate(window: string, options: RequestSeriesOptions = {}): string {
    return `sum${by(this.spec.serviceGrouping)}(${rates(this.spec.requests, this.spec.meshSeries, options.errorsOnly ? [this.spec.error] : [], window)})`;
  }

  /** Mesh-wide latency quantile per service, in milliseconds. */
  public meshLatencyQuantile(quantile: number, window: string): string {
    return `histogram_quantile(${quantile}, sum by (${['le', ...this.spec.serviceGrouping].join(', ')}) (${rates(this.spec.bucket, this.spec.meshSeries, [], window)}))`;
  }
}

function linkerdInbound(s: SeriesTarget): LabelMatcher[] {
  return [eq('direction', 'inbound'), eq('namespace', s.namespace), ...sortedMatchers(s.selector)];
}

function sortedMatchers(labels: Readonly<Record<string, string>>): LabelMatcher[] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => eq(sanitizeLabelName(k), v));
}

/** The pod labels Istio reads `destination_version` from, in its order of preference. */
const ISTIO_VERSION_LABELS = ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version'];

/**
 * One version's requests on Istio, told apart by `destination_version`. At the source, requests
 * that found no healthy endpoint carry `destination_version="unknown"`: they are counted against
 * the version too, so that a version nobody can reach does not look like one without traffic.
 */
function istioVersionSeries(scope: IConstruct, s: MeshService, v: ServiceVersion): LabelMatcher[][] {
  const key = ISTIO_VERSION_LABELS.find((k) => v.podLabels[k] !== undefined);
  if (!key) {
    return fail(scope, `version ${v.name} labels`, `have none of ${ISTIO_VERSION_LABELS.join(', ')} (got ${JSON.stringify(v.labels)}), so Istio's metrics cannot tell this version's requests apart`,
      `label the version's pods with version: ${JSON.stringify(v.name)}, e.g. addVersion(${JSON.stringify(v.name)}, { labels: { version: ${JSON.stringify(v.name)} } })`);
  }
  const value = v.podLabels[key];
  const service = [eq('destination_service_namespace', s.namespace), eq('destination_service_name', s.serviceName)];
  return [
    [ISTIO_USER_FACING[0][0], ...service, re('destination_version', `${escapeRegex(value)}|unknown`)],
    [...ISTIO_USER_FACING[1], ...service, eq('destination_version', value)],
  ];
}

/** `rate(a[w]) or rate(b[w])` over the alternatives: the argument of a `sum`. */
function rates(metric: string, alternatives: LabelMatcher[][], extra: LabelMatcher[], window: string, offset = ''): string {
  return alternatives.map((alt) => `rate(${selector(metric, [...alt, ...extra])}[${window}]${offset})`).join(' or ');
}

function by(labels?: string[]): string {
  return labels && labels.length ? ` by (${labels.join(', ')}) ` : '';
}
