import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/networking.istio.io';
import { fail, quote } from '../core/errors';
import { MeshResource, MeshResourceProps } from '../core/resource';
import { ServicePort } from '../service/service-port';
import { validateNamespacedHost } from './gateway';
import { validateLabels } from '../core/labels';
import { addMeshValidation } from '../core/validation-pass';

/** What a sidecar does with outbound traffic to hosts missing from the service registry. */
export enum OutboundTrafficPolicyMode {
  /** Block it: only Services and ServiceEntries are reachable. */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
  /** Pass it through to the original destination. */
  ALLOW_ANY = 'ALLOW_ANY',
}

/** An egress listener of a {@link Sidecar}: the hosts the workloads may reach. */
export interface SidecarEgress {
  /**
   * `namespace/host` entries: `./*` (own namespace), `istio-system/*`, `*\/api.example.com`, ...
   */
  readonly hosts: string[];
  /**
   * Restrict the listener to one port.
   * @default - all ports (the catch-all listener; at most one per Sidecar)
   */
  readonly port?: ServicePort;
}

/** Props of a {@link Sidecar}. */
export interface SidecarProps extends MeshResourceProps {
  /**
   * The pods it applies to.
   * @default - every pod in the namespace (one such Sidecar per namespace; name it `default`)
   */
  readonly workloadSelector?: Record<string, string>;
  /** @default - none; add with addEgress() */
  readonly egress?: SidecarEgress[];
  /** @default - the mesh-wide setting (ALLOW_ANY unless changed) */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicyMode;
}

/**
 * An Istio `Sidecar` (networking.istio.io/v1): limits which hosts the proxies of a namespace (or of
 * selected pods) know about and can reach.
 *
 * @example
 * new Sidecar(chart, 'default', {
 *   egress: [{ hosts: ['./*', 'istio-system/*'] }],
 *   outboundTrafficPolicy: OutboundTrafficPolicyMode.REGISTRY_ONLY,
 * });
 */
export class Sidecar extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly workloadSelector?: Record<string, string>;
  public readonly outboundTrafficPolicy?: OutboundTrafficPolicyMode;
  private readonly _egress: SidecarEgress[] = [];

  public constructor(scope: Construct, id: string, props: SidecarProps = {}) {
    super(scope, id, props);
    if (props.workloadSelector !== undefined) {
      if (Object.keys(props.workloadSelector).length === 0) fail(this, 'workloadSelector', 'must not be empty', 'omit it to apply to the whole namespace, or pass pod labels');
      for (const [k, v] of Object.entries(props.workloadSelector)) {
        if (v.includes('*')) fail(this, `workloadSelector.${k}`, `must not contain a wildcard, got ${quote(v)}`, 'use the exact label value');
      }
      this.workloadSelector = validateLabels(this, 'workloadSelector', props.workloadSelector);
    }
    if (props.outboundTrafficPolicy !== undefined && !Object.values(OutboundTrafficPolicyMode).includes(props.outboundTrafficPolicy)) {
      fail(this, 'outboundTrafficPolicy', `is not a mode, got ${quote(props.outboundTrafficPolicy)}`, 'use OutboundTrafficPolicyMode.REGISTRY_ONLY or ALLOW_ANY');
    }
    this.outboundTrafficPolicy = props.outboundTrafficPolicy;
    for (const e of props.egress ?? []) this.addEgress(e);
    this.apiObject = new l1.Sidecar(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.SidecarSpec,
    });
    if (!this.workloadSelector) addMeshValidation(this, () => this.validateOnlyNamespaceDefault());
  }

  /** Istio applies one selector-less Sidecar per namespace; with two, which one wins is undefined. */
  private validateOnlyNamespaceDefault(): string[] {
    const ns = this.namespace ?? 'default';
    const others = this.node.root.node.findAll()
      .filter((c): c is Sidecar => c instanceof Sidecar && c !== this && !c.workloadSelector && (c.namespace ?? 'default') === ns);
    if (!others.length) return [];
    return [`${this.node.path}: workloadSelector is missing, and ${others.map((o) => o.node.path).join(', ')} also applies to every pod of namespace ${ns}: Istio uses only one of them. Fix: merge them into one Sidecar, or give all but one a workloadSelector`];
  }

  /** Adds an egress listener. Ports must be unique, and only one listener may omit the port. */
  public addEgress(egress: SidecarEgress): void {
    const prop = `egress[${this._egress.length}]`;
    if (!Array.isArray(egress.hosts) || egress.hosts.length === 0) fail(this, `${prop}.hosts`, 'must list at least one host', "pass e.g. ['./*', 'istio-system/*']");
    egress.hosts.forEach((h, i) => validateNamespacedHost(this, `${prop}.hosts[${i}]`, h, { requireNamespace: true }));
    if (new Set(egress.hosts).size !== egress.hosts.length) fail(this, `${prop}.hosts`, `repeats a host (${quote(egress.hosts)})`, 'list each host once');
    if (egress.port !== undefined && !(egress.port instanceof ServicePort)) fail(this, `${prop}.port`, `must be a ServicePort, got ${quote(egress.port)}`, 'use ServicePort.http(80), ...');
    const clash = this._egress.find((e) => (e.port?.port ?? 0) === (egress.port?.port ?? 0));
    if (clash) {
      fail(this, `${prop}.port`, egress.port ? `repeats the port ${egress.port.port}` : 'is omitted twice: only one egress listener may cover all ports', 'merge the hosts into the existing listener');
    }
    this._egress.push({ ...egress, hosts: [...egress.hosts] });
  }

  /**
   * Adds hosts to the catch-all egress listener (the one without a port), creating it if needed.
   * Hosts already listed are skipped.
   */
  public addHosts(...hosts: string[]): void {
    const catchAll = this._egress.find((e) => !e.port);
    if (!catchAll) {
      this.addEgress({ hosts: [...new Set(hosts)] });
      return;
    }
    const prop = `egress[${this._egress.indexOf(catchAll)}].hosts`;
    hosts.forEach((h) => validateNamespacedHost(this, prop, h, { requireNamespace: true }));
    const merged = [...catchAll.hosts, ...hosts.filter((h) => !catchAll.hosts.includes(h))];
    this._egress[this._egress.indexOf(catchAll)] = { ...catchAll, hosts: [...new Set(merged)] };
  }

  /** The egress listeners (a copy). */
  public get egress(): SidecarEgress[] {
    return this._egress.map((e) => ({ ...e, hosts: [...e.hosts] }));
  }

  /** @internal */
  public _toKube(): l1.SidecarSpec {
    const egress = this._egress;
    return {
      workloadSelector: this.workloadSelector ? { labels: this.workloadSelector } : undefined,
      egress: egress.length ? egress.map((e) => ({
        port: e.port ? { number: e.port.port, name: e.port.name, protocol: e.port.protocol.toUpperCase() } : undefined,
        hosts: withoutCoveredHosts(e.hosts, this.namespace),
      })) : undefined,
      outboundTrafficPolicy: this.outboundTrafficPolicy ? { mode: this.outboundTrafficPolicy } : undefined,
    } as l1.SidecarSpec;
  }
}

/**
 * Drops the `ns/host` entries that a `ns/*` of the same listener already covers (`.` is the
 * Sidecar's namespace): Istio's validation warns "duplicated egress host" on each of them.
 */
function withoutCoveredHosts(hosts: readonly string[], namespace: string | undefined): string[] {
  const ns = (h: string): string => {
    const n = h.slice(0, h.indexOf('/'));
    return n === '.' && namespace ? namespace : n;
  };
  const wildcardNamespaces = new Set(hosts.filter((h) => h.endsWith('/*')).map(ns));
  return hosts.filter((h) => h.endsWith('/*') || !wildcardNamespaces.has(ns(h)));
}
