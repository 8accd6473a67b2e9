import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/telemetry.istio.io';
import { renderDuration } from '../../core/duration';
import { fail, quote } from '../../core/errors';
import { Mesh, meshOf, unsupported } from '../../core/mesh';
import { validatePercent } from '../../core/percent';
import { MeshResource, MeshResourceOptions, MeshResourceProps } from '../../core/resource';
import { MeshService } from '../../service/mesh-service';
import { validateLabelName } from '../prometheus/promql';
import { AccessLogProvider, MetricsProvider, TracingProvider } from './providers';
import { AccessLogFilter, CustomTag, IstioMetric, TagOverride, TelemetryDirection } from './telemetry-values';
import { validateLabels } from '../../core/labels';

/** Tracing settings of a {@link Telemetry}. */
export interface TracingOptions {
  /**
   * Where spans go (Istio supports one provider per tracing entry).
   * @default - the mesh's default tracing provider
   */
  readonly provider?: TracingProvider;
  /**
   * The share of requests to trace, in percent (0-100), when no upstream decision was made.
   * @default - the mesh default (1%)
   */
  readonly randomSamplingPercentage?: number;
  /** @default - none */
  readonly customTags?: Record<string, CustomTag>;
  /** @default TelemetryDirection.CLIENT_AND_SERVER */
  readonly direction?: TelemetryDirection;
  /** Stop reporting spans (context is still propagated). @default false */
  readonly disableSpanReporting?: boolean;
}

/** Access-logging settings of a {@link Telemetry}. */
export interface AccessLoggingOptions {
  /** @default - the mesh's default access-log providers */
  readonly providers?: AccessLogProvider[];
  /** @default - every request is logged */
  readonly filter?: AccessLogFilter;
  /** @default TelemetryDirection.CLIENT_AND_SERVER */
  readonly direction?: TelemetryDirection;
  /** Turn access logging off for the selected workloads. @default false */
  readonly disabled?: boolean;
}

/** A change to one metric (or all) of a metrics provider. */
export interface MetricOverride {
  /** @default IstioMetric.ALL_METRICS */
  readonly metric?: IstioMetric;
  /** @default TelemetryDirection.CLIENT_AND_SERVER */
  readonly direction?: TelemetryDirection;
  /** Stop emitting the metric. @default false */
  readonly disabled?: boolean;
  /** @default - none */
  readonly tagOverrides?: Record<string, TagOverride>;
}

/** Metrics settings of a {@link Telemetry}. */
export interface MetricsOptions {
  /** @default [MetricsProvider.PROMETHEUS] */
  readonly providers?: MetricsProvider[];
  /** @default - none */
  readonly overrides?: MetricOverride[];
  /** How often TCP metrics are reported. @default - the mesh default (15s) */
  readonly reportingInterval?: Duration;
}

/** The settings of a {@link Telemetry}, without where it applies (see {@link Telemetry.forService}). */
export interface TelemetryOptions extends MeshResourceOptions {
  /** @default - none; add with addTracing() */
  readonly tracing?: TracingOptions;
  /** @default - none; add with addAccessLogging() */
  readonly accessLogging?: AccessLoggingOptions;
  /** @default - none; add with addMetrics() */
  readonly metrics?: MetricsOptions;
}

/** Props of a {@link Telemetry}. */
export interface TelemetryProps extends MeshResourceProps, TelemetryOptions {
  /**
   * The pod labels of the workloads to configure.
   * @default - every workload of the namespace (of the mesh, in the root namespace)
   */
  readonly selector?: Record<string, string>;
}

/** Options of {@link Telemetry.meshWide}. */
export interface MeshWideTelemetryProps extends TelemetryOptions {
  /** Istio's root namespace. @default 'istio-system' */
  readonly rootNamespace?: string;
}

/**
 * An Istio `Telemetry` (telemetry.istio.io/v1): tracing, access logging and metrics settings for the
 * whole mesh (root namespace, no selector), a namespace, or the workloads a selector picks.
 *
 * @example
 * Telemetry.meshWide(chart, 'mesh-default', {
 *   tracing: { provider: TracingProvider.openTelemetry({ service: 'otel-collector.observability.svc.cluster.local' }), randomSamplingPercentage: 10 },
 *   accessLogging: { providers: [AccessLogProvider.ENVOY], filter: AccessLogFilter.ERRORS },
 * });
 */
export class Telemetry extends MeshResource {
  /** Mesh-wide defaults: named `mesh-default` in the root namespace, without a selector. */
  public static meshWide(scope: Construct, id: string, props: MeshWideTelemetryProps = {}): Telemetry {
    const { rootNamespace, ...rest } = props;
    return new Telemetry(scope, id, { ...rest, name: rest.name ?? 'mesh-default', namespace: rootNamespace ?? 'istio-system' });
  }

  /** Settings for one service's workloads: in its namespace, selecting its pods. */
  public static forService(scope: Construct, id: string, service: MeshService, props: TelemetryOptions = {}): Telemetry {
    if (!MeshService.isMeshService(service)) fail(scope, 'service', `must be a MeshService, got ${quote(service)}`, 'pass the MeshService to configure');
    return new Telemetry(scope, id, { ...props, name: props.name ?? service.serviceName, namespace: service.namespace, selector: service.selector });
  }

  public readonly apiObject: ApiObject;
  private readonly selector?: Record<string, string>;
  private readonly tracing: l1.TelemetrySpecTracing[] = [];
  private readonly accessLogging: l1.TelemetrySpecAccessLogging[] = [];
  private readonly metrics: l1.TelemetrySpecMetrics[] = [];

  public constructor(scope: Construct, id: string, props: TelemetryProps = {}) {
    super(scope, id, props);
    const mesh = meshOf(this);
    if (mesh === Mesh.LINKERD || mesh === Mesh.CILIUM) {
      unsupported(this, 'Telemetry', mesh, 'Telemetry is an Istio resource', 'create it in a chart whose mesh is Mesh.ISTIO (Linkerd configures tracing with its linkerd-jaeger extension)');
    }
    if (props.selector !== undefined) {
      if (Object.keys(props.selector).length === 0) fail(this, 'selector', 'must not be empty', 'omit it to configure the whole namespace, or pass pod labels');
      this.selector = validateLabels(this, 'selector', props.selector);
    }
    if (props.tracing) this.addTracing(props.tracing);
    if (props.accessLogging) this.addAccessLogging(props.accessLogging);
    if (props.metrics) this.addMetrics(props.metrics);
    this.apiObject = new l1.Telemetry(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.TelemetrySpec,
    });
    this.node.addValidation({
      validate: () => (this.tracing.length + this.accessLogging.length + this.metrics.length === 0
        ? [`${this.node.path}: configures nothing. Fix: pass tracing, accessLogging or metrics`] : []),
    });
  }

  /** Adds a tracing entry; one per traffic direction. */
  public addTracing(options: TracingOptions): void {
    const mode = this.direction('tracing', options.direction, this.tracing);
    if (options.provider !== undefined && !(options.provider instanceof TracingProvider)) {
      fail(this, 'tracing.provider', `must be a TracingProvider, got ${quote(options.provider)}`, 'use TracingProvider.openTelemetry(...), .zipkin(...) or .named(...)');
    }
    const pct = options.randomSamplingPercentage === undefined ? undefined : validatePercent(this, 'tracing.randomSamplingPercentage', options.randomSamplingPercentage);
    let customTags: Record<string, l1.TelemetrySpecTracingCustomTags> | undefined;
    if (options.customTags) {
      customTags = {};
      for (const [k, v] of Object.entries(options.customTags).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (!/^[A-Za-z0-9_.:-]+$/.test(k)) fail(this, 'tracing.customTags', `key ${quote(k)} is not a valid tag name`, 'use letters, digits, ".", "_", ":" and "-"');
        if (!(v instanceof CustomTag)) fail(this, `tracing.customTags.${k}`, `must be a CustomTag, got ${quote(v)}`, 'use CustomTag.literal(...), .header(...) or .environment(...)');
        customTags[k] = v._toKube() as l1.TelemetrySpecTracingCustomTags;
      }
    }
    this.tracing.push({
      match: mode ? { mode: mode as unknown as l1.TelemetrySpecTracingMatchMode } : undefined,
      providers: options.provider ? [{ name: options.provider.name }] : undefined,
      randomSamplingPercentage: pct,
      customTags,
      disableSpanReporting: options.disableSpanReporting,
    });
  }

  /** Adds an access-logging entry; one per traffic direction. */
  public addAccessLogging(options: AccessLoggingOptions): void {
    const mode = this.direction('accessLogging', options.direction, this.accessLogging);
    for (const [i, p] of (options.providers ?? []).entries()) {
      if (!(p instanceof AccessLogProvider)) fail(this, `accessLogging.providers[${i}]`, `must be an AccessLogProvider, got ${quote(p)}`, 'use AccessLogProvider.ENVOY, .openTelemetry(...) or .named(...)');
    }
    if (options.filter !== undefined && !(options.filter instanceof AccessLogFilter)) {
      fail(this, 'accessLogging.filter', `must be an AccessLogFilter, got ${quote(options.filter)}`, 'use AccessLogFilter.ERRORS or AccessLogFilter.expression(...)');
    }
    if (options.disabled && (options.filter || options.providers?.length)) {
      fail(this, 'accessLogging', 'is disabled but also sets providers or a filter', 'drop disabled, or drop the providers and filter');
    }
    this.accessLogging.push({
      match: mode ? { mode: mode as unknown as l1.TelemetrySpecAccessLoggingMatchMode } : undefined,
      providers: options.providers?.length ? options.providers.map((p) => ({ name: p.name })) : undefined,
      filter: options.filter ? { expression: options.filter.expression } : undefined,
      disabled: options.disabled,
    });
  }

  /** Adds a metrics entry. */
  public addMetrics(options: MetricsOptions): void {
    const providers = options.providers ?? [MetricsProvider.PROMETHEUS];
    for (const [i, p] of providers.entries()) {
      if (!(p instanceof MetricsProvider)) fail(this, `metrics.providers[${i}]`, `must be a MetricsProvider, got ${quote(p)}`, 'use MetricsProvider.PROMETHEUS');
    }
    const names = providers.map((p) => p.name);
    if (this.metrics.some((m) => m.providers?.some((p) => names.includes(p.name)))) {
      fail(this, 'metrics.providers', `repeat a provider of an earlier metrics entry (${names.join(', ')})`, 'configure each provider in one entry');
    }
    const overrides = (options.overrides ?? []).map((o, i) => {
      if (o.metric !== undefined && !Object.values(IstioMetric).includes(o.metric)) fail(this, `metrics.overrides[${i}].metric`, `is not an IstioMetric, got ${quote(o.metric)}`, 'use IstioMetric.REQUEST_COUNT, ...');
      let tagOverrides: Record<string, l1.TelemetrySpecMetricsOverridesTagOverrides> | undefined;
      if (o.tagOverrides) {
        tagOverrides = {};
        for (const [k, v] of Object.entries(o.tagOverrides).sort(([a], [b]) => (a < b ? -1 : 1))) {
          validateLabelName(this, `metrics.overrides[${i}].tagOverrides key`, k);
          if (!(v instanceof TagOverride)) fail(this, `metrics.overrides[${i}].tagOverrides.${k}`, `must be a TagOverride, got ${quote(v)}`, 'use TagOverride.remove() or TagOverride.upsert(...)');
          tagOverrides[k] = { operation: v.operation as l1.TelemetrySpecMetricsOverridesTagOverridesOperation, value: v.value };
        }
      }
      if (!o.disabled && !tagOverrides) fail(this, `metrics.overrides[${i}]`, 'changes nothing', 'set disabled: true or tagOverrides');
      const match = o.metric || o.direction ? {
        metric: o.metric as unknown as l1.TelemetrySpecMetricsOverridesMatchMetric | undefined,
        mode: o.direction as unknown as l1.TelemetrySpecMetricsOverridesMatchMode | undefined,
      } : undefined;
      return { match, disabled: o.disabled, tagOverrides };
    });
    this.metrics.push({
      providers: providers.map((p) => ({ name: p.name })),
      overrides: overrides.length ? overrides : undefined,
      reportingInterval: options.reportingInterval ? renderDuration(this, 'metrics.reportingInterval', options.reportingInterval) : undefined,
    });
  }

  private direction(prop: string, direction: TelemetryDirection | undefined, existing: Array<{ match?: { mode?: unknown } }>): TelemetryDirection | undefined {
    if (direction !== undefined && !Object.values(TelemetryDirection).includes(direction)) fail(this, `${prop}.direction`, `is not a TelemetryDirection, got ${quote(direction)}`, 'use TelemetryDirection.SERVER, ...');
    const key = direction ?? TelemetryDirection.CLIENT_AND_SERVER;
    const overlaps = existing.some((e) => {
      const other = (e.match?.mode as TelemetryDirection | undefined) ?? TelemetryDirection.CLIENT_AND_SERVER;
      return other === key || other === TelemetryDirection.CLIENT_AND_SERVER || key === TelemetryDirection.CLIENT_AND_SERVER;
    });
    if (overlaps) fail(this, prop, `already has an entry for ${key} traffic`, 'add one entry per direction (CLIENT and SERVER), or one for both');
    return direction;
  }

  /** @internal */
  public _toKube(): l1.TelemetrySpec {
    return {
      selector: this.selector ? { matchLabels: this.selector } : undefined,
      tracing: this.tracing.length ? this.tracing : undefined,
      accessLogging: this.accessLogging.length ? this.accessLogging : undefined,
      metrics: this.metrics.length ? this.metrics : undefined,
    };
  }
}
