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
}

/** The parts of a DestinationRule a MeshService computes at synth time. */
export interface DestinationRuleSource {
  readonly subsets: () => DestinationRuleSubset[];
  readonly trafficPolicy: () => TrafficPolicy;
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
  private source?: DestinationRuleSource;

  public constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id, props);
    this.host = validateHostname(this, 'host', props.host, { wildcard: true });
    this.trafficPolicyValue = props.trafficPolicy;
    this.exportTo = props.exportTo;
    for (const s of props.subsets ?? []) this.addSubset(s);
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

  /** The subsets (a copy). */
  public get subsets(): DestinationRuleSubset[] {
    return [...this._subsets, ...(this.source?.subsets() ?? [])];
  }

  /** @internal lets a MeshService supply subsets and policy at synth time */
  public _useSource(source: DestinationRuleSource): void {
    this.source = source;
  }

  /** @internal */
  public _toKube(): l1.DestinationRuleSpec {
    const policy = { ...(this.trafficPolicyValue ?? {}), ...(this.source?.trafficPolicy() ?? {}) };
    const subsets = this.subsets.map((s) => ({
      name: s.name,
      labels: s.labels,
      trafficPolicy: s.trafficPolicy ? istioTrafficPolicy(this, `subset ${s.name} trafficPolicy`, s.trafficPolicy) : undefined,
    }));
    return {
      host: this.host,
      exportTo: this.exportTo,
      trafficPolicy: istioTrafficPolicy(this, 'trafficPolicy', policy),
      subsets: subsets.length ? subsets : undefined,
    } as l1.DestinationRuleSpec;
  }
}
