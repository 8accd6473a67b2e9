import { fail, quote } from '../../core/errors';
import { validateDnsLabel, validateHostname } from '../../core/names';
import { validatePositiveInt } from '../../core/percent';

/**
 * An entry of Istio's `meshConfig.extensionProviders`: its name and the provider's settings.
 *
 * TypeScript only (`@jsii ignore`: a struct would drop the settings, which jsii cannot type);
 * other languages get the entries as JSON from `IstiodValues.extensionProviders([...])`.
 * @jsii ignore
 */
export interface ExtensionProviderConfig {
  /** The provider name Telemetry resources refer to. */
  readonly name: string;
  readonly [setting: string]: unknown;
}

interface ProviderDefinition {
  readonly name: string;
  /** The meshConfig entry, or undefined for providers Istio defines itself or the user defined elsewhere. */
  readonly config?: ExtensionProviderConfig;
}

function endpoint(where: string, service: string, port: number): { service: string; port: number } {
  return { service: validateHostname(where, 'service', service), port: validatePositiveInt(where, 'port', port, { max: 65535 }) };
}

/** Options of a provider that sends to a collector. */
export interface CollectorProviderOptions {
  /** The collector's host, e.g. `otel-collector.observability.svc.cluster.local`. */
  readonly service: string;
  /** @default - the protocol's usual port (OTLP gRPC 4317, Zipkin 9411) */
  readonly port?: number;
  /** The provider name Telemetry resources refer to. @default - per provider, see the factory */
  readonly name?: string;
}

/**
 * Where the proxies send trace spans: an Istio extension provider.
 *
 * Extension providers live in Istio's MeshConfig, which is not a Kubernetes resource: a Telemetry
 * only names them. {@link istiodHelmValues} renders the `meshConfig.extensionProviders` values for
 * the istiod Helm chart from the providers you use.
 */
export class TracingProvider {
  /** Spans over OTLP/gRPC to an OpenTelemetry collector (name `otel-tracing`, port 4317). */
  public static openTelemetry(options: CollectorProviderOptions): TracingProvider {
    const where = 'TracingProvider.openTelemetry';
    const name = validateDnsLabel(where, 'name', options.name ?? 'otel-tracing');
    return new TracingProvider({ name, config: { name, opentelemetry: endpoint(where, options.service, options.port ?? 4317) } });
  }

  /** Spans to a Zipkin-compatible endpoint, e.g. Jaeger's (name `zipkin`, port 9411). */
  public static zipkin(options: CollectorProviderOptions): TracingProvider {
    const where = 'TracingProvider.zipkin';
    const name = validateDnsLabel(where, 'name', options.name ?? 'zipkin');
    return new TracingProvider({ name, config: { name, zipkin: endpoint(where, options.service, options.port ?? 9411) } });
  }

  /** A provider already defined in the mesh config (not rendered into the Helm values). */
  public static named(name: string): TracingProvider {
    return new TracingProvider({ name: validateDnsLabel('TracingProvider.named', 'name', name) });
  }

  private constructor(private readonly def: ProviderDefinition) {}

  /** The provider name. */
  public get name(): string {
    return this.def.name;
  }

  /**
   * The `meshConfig.extensionProviders` entry, if this provider defines one.
   * TypeScript only (`@jsii ignore`: jsii cannot type open JSON with a required `name`); other
   * languages get the entries as JSON from `IstiodValues.extensionProviders([...])`.
   * @jsii ignore
   */
  public get extensionProvider(): ExtensionProviderConfig | undefined {
    return this.def.config ? structuredClone(this.def.config) : undefined;
  }
}

/** Where the proxies write access logs. */
export class AccessLogProvider {
  /** Istio's built-in `envoy` provider: text logs on the proxy's stdout. */
  public static readonly ENVOY = new AccessLogProvider({ name: 'envoy' });

  /** Logs over OTLP/gRPC to an OpenTelemetry collector (name `otel-als`, port 4317). */
  public static openTelemetry(options: CollectorProviderOptions): AccessLogProvider {
    const where = 'AccessLogProvider.openTelemetry';
    const name = validateDnsLabel(where, 'name', options.name ?? 'otel-als');
    return new AccessLogProvider({ name, config: { name, envoyOtelAls: endpoint(where, options.service, options.port ?? 4317) } });
  }

  /** A provider already defined in the mesh config. */
  public static named(name: string): AccessLogProvider {
    return new AccessLogProvider({ name: validateDnsLabel('AccessLogProvider.named', 'name', name) });
  }

  private constructor(private readonly def: ProviderDefinition) {}

  public get name(): string {
    return this.def.name;
  }

  /**
   * The `meshConfig.extensionProviders` entry, if this provider defines one (TypeScript only, see
   * {@link TracingProvider.extensionProvider}).
   * @jsii ignore
   */
  public get extensionProvider(): ExtensionProviderConfig | undefined {
    return this.def.config ? structuredClone(this.def.config) : undefined;
  }
}

/** Where the proxies' metrics go. */
export class MetricsProvider {
  /** Istio's built-in `prometheus` provider (the standard `istio_*` metrics). */
  public static readonly PROMETHEUS = new MetricsProvider('prometheus');

  /** A provider already defined in the mesh config. */
  public static named(name: string): MetricsProvider {
    return new MetricsProvider(validateDnsLabel('MetricsProvider.named', 'name', name));
  }

  private constructor(public readonly name: string) {}
}

/** A provider that may define a `meshConfig.extensionProviders` entry. */
export type ExtensionProvider = TracingProvider | AccessLogProvider;

/**
 * The istiod Helm chart values that define the extension providers: `{ meshConfig: {
 * extensionProviders: [...] } }`. Pass them to `helm upgrade istiod istio/istiod -f <file>`.
 *
 * Helm replaces lists rather than merging them, so list every provider the mesh needs here.
 * Built-in and `named()` providers define nothing and are skipped.
 */
export function istiodHelmValues(providers: ExtensionProvider[]): { meshConfig: { extensionProviders: ExtensionProviderConfig[] } } {
  return { meshConfig: { extensionProviders: extensionProviderEntries(providers) } };
}

/**
 * The istiod Helm chart values of the extension providers, for every language (the class form of
 * {@link istiodHelmValues}).
 */
export class IstiodValues {
  /**
   * `{ meshConfig: { extensionProviders: [...] } }` for the providers, as JSON: pass it to
   * `helm upgrade istiod istio/istiod -f <file>` (written as YAML). Helm replaces lists rather
   * than merging them, so list every provider the mesh needs. Built-in and `named()` providers
   * define nothing and are skipped.
   */
  public static extensionProviders(providers: ExtensionProvider[]): any {
    return istiodHelmValues(providers);
  }

  private constructor() {}
}

function extensionProviderEntries(providers: ExtensionProvider[]): ExtensionProviderConfig[] {
  const out = new Map<string, ExtensionProviderConfig>();
  for (const [i, p] of providers.entries()) {
    if (!(p instanceof TracingProvider) && !(p instanceof AccessLogProvider)) {
      fail('istiodHelmValues', `providers[${i}]`, `must be a TracingProvider or AccessLogProvider, got ${quote(p)}`, 'use TracingProvider.openTelemetry(...), ...');
    }
    const cfg = p.extensionProvider;
    if (!cfg) continue;
    const seen = out.get(cfg.name);
    if (seen && JSON.stringify(seen) !== JSON.stringify(cfg)) {
      fail('istiodHelmValues', `providers[${i}]`, `defines ${quote(cfg.name)} differently from an earlier provider`, 'give each provider its own name');
    }
    out.set(cfg.name, cfg);
  }
  return [...out.values()];
}
