import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/networking.istio.io';
import { fail, quote } from '../core/errors';
import { validateDnsLabel, validateHostname } from '../core/names';
import { MeshResource, MeshResourceProps } from '../core/resource';
import { TrafficPolicy } from '../traffic/traffic-policy';
import { istioTrafficPolicy } from './traffic-policy';

/** A subset of a {@link DestinationRule}. */
export interface DestinationRuleSubset {
  /** The subset name, e.g. `v1`. */
  readonly name: string;
  /** The pod labels that select the subset. */
  readonly labels: Record<string, string>;
  /** @default - the rule's traffic policy */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Props of a {@link DestinationRule}. */
export interface DestinationRuleProps extends MeshResourceProps {
  /** The host the rule applies to. */
  readonly host: string;
  /** @default - no traffic policy */
  readonly trafficPolicy?: TrafficPolicy;
  /** @default - none; add with addSubset() */
  readonly subsets?: DestinationRuleSubset[];
  /** @default - all namespaces */
  readonly exportTo?: string[];
  /** @default - none; add with addPortLevelSettings() */
  readonly portLevelSettings?: PortTrafficPolicy[];
}

/** The traffic policy of one port of a host (`trafficPolicy.portLevelSettings[]`). */
export interface PortTrafficPolicy extends TrafficPolicy {
  /** The port number of the host. */
  readonly port: number;
  /**
   * Originate TLS on this port and verify the server against the proxy's system CA bundle: renders
   * `tls: { mode: SIMPLE, caCertificates: system }`. `system` is what Istio uses when
   * `caCertificates` is empty (the OS root certificates of the proxy); writing it keeps
   * `istioctl analyze` from warning that nothing verifies the server (IST0129). Use `tls` instead
   * for your own CA, SNI or a client certificate.
   * @default false
   */
  readonly originateTls?: boolean;
}

/**
 * An Istio `DestinationRule` (networking.istio.io/v1): subsets and the traffic policy of a host.
 *
 * Services in the mesh get theirs from `MeshService`; use this L2 for external hosts (e.g. TLS
 * origination to a ServiceEntry host).
 */
export class DestinationRule extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly host: string;
  private readonly _subsets: DestinationRuleSubset[] = [];
  private readonly trafficPolicyValue?: TrafficPolicy;
  private readonly exportTo?: string[];
  private readonly _portLevelSettings: PortTrafficPolicy[] = [];

  public constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id, props);
    this.host = validateHostname(this, 'host', props.host, { wildcard: true });
    this.trafficPolicyValue = props.trafficPolicy;
    this.exportTo = props.exportTo;
    for (const s of props.subsets ?? []) this.addSubset(s);
    for (const p of props.portLevelSettings ?? []) this.addPortLevelSettings(p);
    this.apiObject = new l1.DestinationRule(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.DestinationRuleSpec,
    });
  }

  /** Adds a subset; names must be unique. */
  public addSubset(subset: DestinationRuleSubset): void {
    validateDnsLabel(this, 'subset name', subset.name);
    if (this.subsets.some((s) => s.name === subset.name)) fail(this, 'subsets', `already has a subset ${quote(subset.name)}`, 'add each subset once');
    if (!subset.labels || Object.keys(subset.labels).length === 0) fail(this, `subset ${subset.name} labels`, 'must not be empty', 'pass the pod labels that select the subset');
    this._subsets.push({ ...subset, labels: { ...subset.labels } });
  }

  /** Adds the traffic policy of one port; each port once. */
  public addPortLevelSettings(settings: PortTrafficPolicy): void {
    const prop = `portLevelSettings[${this._portLevelSettings.length}]`;
    if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535) fail(this, `${prop}.port`, `must be a port number from 1 to 65535, got ${quote(settings.port)}`, 'pass the port of the host');
    if (this._portLevelSettings.some((p) => p.port === settings.port)) fail(this, `${prop}.port`, `repeats the port ${settings.port}`, 'set each port once');
    if (settings.originateTls && settings.tls) fail(this, `${prop}.originateTls`, 'cannot be combined with tls', 'use either originateTls (system CA) or tls (your own settings)');
    this._portLevelSettings.push({ ...settings });
  }

  /** The port-level settings (a copy). */
  public get portLevelSettings(): PortTrafficPolicy[] {
    return [...this._portLevelSettings];
  }

  /** The subsets (a copy). */
  public get subsets(): DestinationRuleSubset[] {
    return [...this._subsets];
  }

  /** @internal */
  public _toKube(): l1.DestinationRuleSpec {
    return destinationRuleSpec(this, {
      host: this.host, exportTo: this.exportTo, trafficPolicy: this.trafficPolicyValue ?? {}, subsets: this.subsets, portLevelSettings: this._portLevelSettings,
    });
  }
}

/** The `caCertificates` value meaning the proxy's OS root certificates (Istio's default for an empty value). */
const SYSTEM_CA_CERTIFICATES = 'system';

/**
 * Renders a DestinationRule spec. Shared by the L2 and by `MeshService`, which renders its
 * subsets and policies straight into an L1 object (one construct less per service).
 * @internal
 */
export function destinationRuleSpec(scope: Construct, dr: {
  host: string; exportTo?: string[]; trafficPolicy: TrafficPolicy; subsets: DestinationRuleSubset[]; portLevelSettings?: PortTrafficPolicy[];
}): l1.DestinationRuleSpec {
  const subsets = dr.subsets.map((s) => ({
    name: s.name,
    labels: s.labels,
    trafficPolicy: s.trafficPolicy ? istioTrafficPolicy(scope, `subset ${s.name} trafficPolicy`, s.trafficPolicy) : undefined,
  }));
  const portLevelSettings = (dr.portLevelSettings ?? []).map((p, i) => {
    const { port, originateTls, ...rest } = p;
    const rendered = istioTrafficPolicy(scope, `portLevelSettings[${i}]`, rest) ?? {};
    return { port: { number: port }, ...rendered, tls: originateTls ? { mode: 'SIMPLE', caCertificates: SYSTEM_CA_CERTIFICATES } : rendered.tls };
  });
  const trafficPolicy = istioTrafficPolicy(scope, 'trafficPolicy', dr.trafficPolicy);
  return {
    host: dr.host,
    exportTo: dr.exportTo,
    trafficPolicy: portLevelSettings.length ? { ...(trafficPolicy ?? {}), portLevelSettings } : trafficPolicy,
    subsets: subsets.length ? subsets : undefined,
  } as l1.DestinationRuleSpec;
}
