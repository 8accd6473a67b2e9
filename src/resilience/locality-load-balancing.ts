import { fail, quote } from '../core/errors';

/** A failover rule: when the endpoints of region `from` are unhealthy, traffic goes to region `to`. */
export interface LocalityFailover {
  /** The region traffic originates in, e.g. `us-east`. */
  readonly from: string;
  /** The region it fails over to, e.g. `us-west`. */
  readonly to: string;
}

/** Props of a {@link LocalityLoadBalancing}. */
export interface LocalityLoadBalancingProps {
  /**
   * Explicit region-to-region failover.
   * @default - Istio's default order (same zone, same region, then anywhere)
   */
  readonly failover?: LocalityFailover[];
  /**
   * Ordered labels that rank endpoints by how many leading labels they share with the caller, e.g.
   * `['topology.kubernetes.io/region', 'topology.kubernetes.io/zone']`.
   * @default - none
   */
  readonly failoverPriority?: string[];
}

/** The locality labels Istio refuses in failoverPriority when failover rules are set. */
const LOCALITY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];
const REGION = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?(=.+)?$/;

/**
 * Locality-aware load balancing with failover priorities (the multi-region use case): callers stay
 * in their zone and region while endpoints there are healthy. Rendered into the Istio
 * DestinationRule `trafficPolicy.loadBalancer.localityLbSetting`. Istio only fails over when it can
 * tell endpoints are unhealthy, so outlier detection is required alongside (checked at synth).
 *
 * @example
 * LocalityLoadBalancing.failover({ from: 'us-east', to: 'us-west' }, { from: 'us-west', to: 'us-east' })
 * LocalityLoadBalancing.priority('topology.kubernetes.io/region', 'topology.kubernetes.io/zone')
 */
export class LocalityLoadBalancing {
  /** Region-to-region failover rules. */
  public static failover(...rules: LocalityFailover[]): LocalityLoadBalancing {
    return new LocalityLoadBalancing({ failover: rules });
  }

  /** Failover by label priority. */
  public static priority(...labels: string[]): LocalityLoadBalancing {
    return new LocalityLoadBalancing({ failoverPriority: labels });
  }

  private readonly _failover: readonly LocalityFailover[];
  private readonly _failoverPriority: readonly string[];

  public constructor(props: LocalityLoadBalancingProps) {
    const where = 'LocalityLoadBalancing';
    const failover = props.failover ?? [];
    const priority = props.failoverPriority ?? [];
    if (failover.length === 0 && priority.length === 0) fail(where, 'props', 'set neither failover nor failoverPriority', 'pass failover rules or failoverPriority labels');
    failover.forEach((r, i) => {
      for (const k of ['from', 'to'] as const) {
        if (typeof r[k] !== 'string' || !REGION.test(r[k])) fail(where, `failover[${i}].${k}`, `must be a region name, got ${quote(r[k])}`, 'use e.g. "us-east"');
      }
      if (r.from === r.to) fail(where, `failover[${i}]`, `fails ${r.from} over to itself`, 'name a different region in "to"');
      if (failover.slice(0, i).some((q) => q.from === r.from)) fail(where, `failover[${i}].from`, `repeats region ${quote(r.from)}`, 'give each region one failover target');
    });
    priority.forEach((l, i) => {
      if (typeof l !== 'string' || !LABEL.test(l)) fail(where, `failoverPriority[${i}]`, `must be a label key (optionally key=value), got ${quote(l)}`, 'use e.g. "topology.kubernetes.io/region"');
    });
    if (new Set(priority).size !== priority.length) fail(where, 'failoverPriority', `repeats a label (${priority.join(', ')})`, 'list each label once');
    const locality = priority.find((l) => LOCALITY_LABELS.includes(l.split('=')[0]));
    if (failover.length > 0 && locality !== undefined) {
      // Istio's webhook refuses the exact keys (ValidateLocalityLbSetting); with a value they still rank regions twice.
      fail(where, 'failoverPriority', `lists the locality label ${quote(locality)} beside failover rules, which Istio refuses (both order endpoints by region)`,
        'use either failover (region to region) or failoverPriority with locality labels; labels such as topology.istio.io/network or topology.istio.io/cluster can go with failover');
    }
    this._failover = failover.map((r) => ({ ...r }));
    this._failoverPriority = [...priority];
  }

  /** The region-to-region failover rules (a copy). */
  public get failoverRules(): LocalityFailover[] {
    return this._failover.map((r) => ({ ...r }));
  }

  /** The failover priority labels (a copy). */
  public get failoverPriority(): string[] {
    return [...this._failoverPriority];
  }

  /**
   * The region-to-region failover rules.
   * @deprecated use `failoverRules` (in other languages `failover` is only the static factory)
   * @jsii ignore
   */
  public get failover(): readonly LocalityFailover[] {
    return this._failover;
  }
}
