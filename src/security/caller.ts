import { IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';
import { chartNamespace } from '../core/mesh';
import { validateDnsLabel, validateServiceName } from '../core/names';
import { MeshService } from '../service/mesh-service';
import { validateSelector } from './selector';

/** The kinds of {@link Caller}. */
export enum CallerKind {
  /** The pods of a MeshService, identified by its ServiceAccount. */
  SERVICE = 'service',
  /** Pods running as a ServiceAccount. */
  SERVICE_ACCOUNT = 'service-account',
  /** Every workload of a namespace. */
  NAMESPACE = 'namespace',
}

/** A caller resolved at synth time. */
export interface ResolvedCaller {
  readonly kind: CallerKind;
  /** A short name for resource names and messages. */
  readonly name: string;
  readonly namespace: string;
  /** The ServiceAccount (undefined for a whole namespace). */
  readonly serviceAccount?: string;
  /** The trust domain of the identity, e.g. `cluster.local`. */
  readonly trustDomain: string;
  /** Labels of the caller's pods, when known (needed by Kubernetes NetworkPolicy). */
  readonly podLabels?: Record<string, string>;
  /** The MeshService, for service callers. */
  readonly service?: MeshService;
}

/** Options of {@link Caller.serviceNamed}. */
export interface ServiceNamedOptions {
  /** @default - the namespace of the chart the allow rule is in */
  readonly namespace?: string;
}

/** Options of {@link Caller.serviceAccount}. */
export interface ServiceAccountCallerOptions {
  /** @default - the namespace of the chart the allow rule is in */
  readonly namespace?: string;
  /**
   * Labels of the pods running as this ServiceAccount: Kubernetes NetworkPolicy selects pods by
   * label, not by ServiceAccount.
   * @default - none; rules with NetworkPolicies enabled then fail with a message asking for them
   */
  readonly podLabels?: Record<string, string>;
  /** @default 'cluster.local' */
  readonly trustDomain?: string;
}

/** Options of {@link Caller.ingressGateway}. */
export interface IngressGatewayCallerOptions {
  /** @default 'istio-system' */
  readonly namespace?: string;
  /** @default 'istio-ingressgateway-service-account' */
  readonly serviceAccount?: string;
  /** @default { istio: 'ingressgateway' } */
  readonly podLabels?: Record<string, string>;
}

/**
 * Who may call a service: the subject of an allow rule. Identities are mTLS identities
 * (ServiceAccounts), so every mesh can check them.
 *
 * @example
 * Caller.service(productpage)                  // a MeshService you hold
 * Caller.serviceNamed('productpage')           // by name, checked at synth against the app's MeshServices
 * Caller.serviceAccount('batch', { namespace: 'jobs', podLabels: { app: 'batch' } })
 * Caller.namespace('monitoring')
 * Caller.ingressGateway()
 */
export class Caller {
  /** The pods of a MeshService (its ServiceAccount and pod labels). */
  public static service(service: MeshService): Caller {
    if (!MeshService.isMeshService(service)) fail('Caller.service', 'service', `must be a MeshService, got ${quote(service)}`, 'pass the MeshService construct, or use Caller.serviceNamed("name")');
    return new Caller(CallerKind.SERVICE, service.serviceName, () => service.namespace, () => resolveService(service), service);
  }

  /**
   * A MeshService by name, looked up at synth among the app's MeshServices: a misspelt name fails
   * the synth with the names that exist.
   */
  public static serviceNamed(name: string, options: ServiceNamedOptions = {}): Caller {
    validateServiceName('Caller.serviceNamed', 'name', name);
    if (options.namespace !== undefined) validateDnsLabel('Caller.serviceNamed', 'namespace', options.namespace);
    return new Caller(CallerKind.SERVICE, name, (scope) => options.namespace ?? chartNamespace(scope), (scope, requestedBy, prop) => {
      const namespace = options.namespace ?? chartNamespace(scope);
      const all = scope.node.root.node.findAll().filter(MeshService.isMeshService);
      const found = all.find((s) => s.serviceName === name && s.namespace === namespace);
      if (!found) {
        const known = all.map((s) => `${s.serviceName} (${s.namespace})`);
        const close = all.filter((s) => distance(s.serviceName, name) <= 2).map((s) => s.serviceName);
        fail(requestedBy, prop, `names the caller ${quote(name)} in namespace ${quote(namespace)}, but the app defines no such MeshService (known: ${known.length ? known.join(', ') : 'none'})`,
          close.length ? `did you mean ${quote(close[0])}? Fix the name, or pass the MeshService with Caller.service(...)` : 'define the MeshService, fix the name or namespace, or use Caller.serviceAccount(...) for a workload outside the app');
      }
      return resolveService(found);
    });
  }

  /** Pods running as a ServiceAccount. */
  public static serviceAccount(name: string, options: ServiceAccountCallerOptions = {}): Caller {
    validateDnsLabel('Caller.serviceAccount', 'name', name);
    if (options.namespace !== undefined) validateDnsLabel('Caller.serviceAccount', 'namespace', options.namespace);
    const podLabels = options.podLabels === undefined ? undefined : validateSelector('Caller.serviceAccount', 'podLabels', options.podLabels);
    return new Caller(CallerKind.SERVICE_ACCOUNT, name, (scope) => options.namespace ?? chartNamespace(scope), (scope) => ({
      kind: CallerKind.SERVICE_ACCOUNT,
      name,
      namespace: options.namespace ?? chartNamespace(scope),
      serviceAccount: name,
      trustDomain: options.trustDomain ?? 'cluster.local',
      podLabels,
    }));
  }

  /** Every workload of a namespace. */
  public static namespace(name: string): Caller {
    validateDnsLabel('Caller.namespace', 'name', name);
    return new Caller(CallerKind.NAMESPACE, name, () => name, () => ({ kind: CallerKind.NAMESPACE, name, namespace: name, trustDomain: 'cluster.local' }));
  }

  /** Istio's default ingress gateway (`istio-ingressgateway` in `istio-system`). */
  public static ingressGateway(options: IngressGatewayCallerOptions = {}): Caller {
    return Caller.serviceAccount(options.serviceAccount ?? 'istio-ingressgateway-service-account', {
      namespace: options.namespace ?? 'istio-system',
      podLabels: options.podLabels ?? { istio: 'ingressgateway' },
    });
  }

  private constructor(
    public readonly kind: CallerKind,
    /** The name given (service, ServiceAccount or namespace). */
    public readonly name: string,
    private readonly namespaceOf: (scope: IConstruct) => string,
    private readonly resolver: (scope: IConstruct, requestedBy: IConstruct, prop: string) => ResolvedCaller,
    private readonly service?: MeshService,
  ) {}

  /** @internal the MeshService of `Caller.service`, known before synth (a named service is found only at synth) */
  public get _service(): MeshService | undefined {
    return this.service;
  }

  /** @internal the namespace the caller is in, known before synth */
  public _namespace(scope: IConstruct): string {
    return this.namespaceOf(scope);
  }

  /** @internal resolves the caller (named services are looked up in the app); throws a MeshConfigError naming `requestedBy` */
  public _resolve(scope: IConstruct, requestedBy: IConstruct = scope, prop = 'from'): ResolvedCaller {
    return this.resolver(scope, requestedBy, prop);
  }
}

function resolveService(s: MeshService): ResolvedCaller {
  return {
    kind: CallerKind.SERVICE,
    name: s.serviceName,
    namespace: s.namespace,
    serviceAccount: s.serviceAccountName,
    trustDomain: s.clusterDomain,
    podLabels: s.selector,
    service: s,
  };
}

/** The Istio principal of a resolved caller, or undefined for a namespace. */
export function callerPrincipal(c: ResolvedCaller): string | undefined {
  return c.serviceAccount ? `${c.trustDomain}/ns/${c.namespace}/sa/${c.serviceAccount}` : undefined;
}

/** Levenshtein distance, for "did you mean" hints. */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}
