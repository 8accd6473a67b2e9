import { Construct } from 'constructs';
import { describeValue, fail, quote } from '../core/errors';
import { chartNamespace, Mesh, meshOf } from '../core/mesh';
import { validateDnsLabel } from '../core/names';
import { validateNamespacedHost } from '../istio/gateway';
import { OutboundTrafficPolicyMode, Sidecar } from '../istio/sidecar';
import { ExternalService } from './external-service';

/** Props of an {@link EgressScope}. */
export interface EgressScopeProps {
  /**
   * The Sidecar name. Istio applies one selector-less Sidecar per namespace; name it `default`.
   * @default 'default'
   */
  readonly name?: string;
  /** @default - the chart's namespace, or `default` */
  readonly namespace?: string;
  /**
   * Limit the scope to the pods with these labels.
   * @default - every pod of the namespace
   */
  readonly workloadSelector?: Record<string, string>;
  /**
   * Reachable hosts, as `<namespace>/<host>` (`./*`, `payments/*`, `*\/api.example.com`), in addition
   * to the own namespace and istio-system.
   * @default - none
   */
  readonly hosts?: string[];
  /**
   * External services the workloads may call.
   * @default - none; add with allowExternalService()
   */
  readonly externalServices?: ExternalService[];
  /**
   * Allow the services of the scope's own namespace (`./*`).
   * @default true
   */
  readonly allowOwnNamespace?: boolean;
  /**
   * Allow istio-system (`istio-system/*`), where istiod and the gateways run.
   * @default true
   */
  readonly allowIstioSystem?: boolean;
  /**
   * What happens to hosts outside the registry. REGISTRY_ONLY blocks them.
   * @default OutboundTrafficPolicyMode.REGISTRY_ONLY
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicyMode;
}

/**
 * Limits which hosts the workloads of a namespace can reach (Istio): a `Sidecar` whose egress
 * listener lists the own namespace, istio-system, the given hosts and external services, with
 * `outboundTrafficPolicy: REGISTRY_ONLY` so that anything else is blocked.
 *
 * @example
 * const scope = new EgressScope(chart, 'egress');
 * scope.allowExternalService(googleapis);
 */
export class EgressScope extends Construct {
  public readonly namespace: string;
  public readonly sidecar: Sidecar;

  public constructor(scope: Construct, id: string, props: EgressScopeProps = {}) {
    super(scope, id);
    const mesh = meshOf(this);
    if (mesh !== Mesh.ISTIO) {
      fail(this, 'hosts', `cannot be rendered for ${mesh === Mesh.GATEWAY_API ? 'the Gateway API' : mesh}: limiting the hosts a namespace may reach is Istio's Sidecar resource, which the Gateway API has no equivalent of`,
        `render this chart for Istio${mesh === Mesh.CILIUM ? ', or use a CiliumNetworkPolicy with toFQDNs egress rules' : ''}`);
    }
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? chartNamespace(this));
    const hosts = [
      ...(props.allowOwnNamespace ?? true ? ['./*'] : []),
      ...(props.allowIstioSystem ?? true ? ['istio-system/*'] : []),
      ...(props.hosts ?? []),
    ];
    (props.hosts ?? []).forEach((h, i) => validateNamespacedHost(this, `hosts[${i}]`, h, { requireNamespace: true }));
    this.sidecar = new Sidecar(this, 'Sidecar', {
      name: props.name ?? 'default',
      namespace: this.namespace,
      workloadSelector: props.workloadSelector,
      outboundTrafficPolicy: props.outboundTrafficPolicy ?? OutboundTrafficPolicyMode.REGISTRY_ONLY,
    });
    if (hosts.length) this.sidecar.addHosts(...hosts);
    for (const ext of props.externalServices ?? []) this.allowExternalService(ext);
    this.node.addValidation({
      validate: () => (this.sidecar.egress.length ? [] : [`${this.node.path}: hosts must allow at least one host (with allowOwnNamespace and allowIstioSystem off). Fix: pass hosts or external services`]),
    });
  }

  /** Allows a host, as `<namespace>/<host>`. */
  public allowHost(host: string): void {
    validateNamespacedHost(this, 'host', host, { requireNamespace: true });
    this.sidecar.addHosts(host);
  }

  /** Allows the hosts of an external service (it must be exported to this namespace). */
  public allowExternalService(service: ExternalService): void {
    if (!(service instanceof ExternalService)) fail(this, 'externalServices', `must be ExternalServices, got ${describeValue(service)}`, 'pass the ExternalService construct');
    const visible = !service.exportTo || service.exportTo.includes('*') || service.exportTo.includes(this.namespace)
      || (service.exportTo.includes('.') && service.namespace === this.namespace);
    if (!visible) {
      fail(this, 'externalServices', `include ${service.node.path}, which is not exported to namespace ${this.namespace} (exportTo: ${quote(service.exportTo)})`, `add ${quote(this.namespace)} to its exportTo`);
    }
    this.sidecar.addHosts(...service.sidecarHosts);
  }
}
