import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { LocalityLoadBalancing } from './locality-load-balancing';

/** Props of a {@link LocalityFailoverPolicy}. */
export interface LocalityFailoverPolicyProps {
  /** The service whose callers prefer nearby endpoints. */
  readonly service: MeshService;
  /** The locality settings. */
  readonly locality: LocalityLoadBalancing;
  /**
   * Apply to one version only.
   * @default - the whole service
   */
  readonly version?: string;
}

/**
 * Locality-aware load balancing with failover for a service (multi-region): rendered into the
 * service's DestinationRule `trafficPolicy.loadBalancer.localityLbSetting`, merged with any load
 * balancer set on the service. Needs outlier detection (a CircuitBreakerPolicy) for the same
 * service or version, checked at synth. Istio only.
 *
 * @example
 * new CircuitBreakerPolicy(this, 'cb', { service: api, preset: CircuitBreakerPreset.STANDARD });
 * new LocalityFailoverPolicy(this, 'failover', { service: api, locality: LocalityLoadBalancing.failover({ from: 'us-east', to: 'us-west' }) });
 */
export class LocalityFailoverPolicy extends Construct {
  public readonly service: MeshService;
  public readonly locality: LocalityLoadBalancing;

  public constructor(scope: Construct, id: string, props: LocalityFailoverPolicyProps) {
    super(scope, id);
    if (!MeshService.isMeshService(props.service)) fail(this, 'service', `must be a MeshService, got ${quote(props.service)}`, 'pass the MeshService');
    if (!(props.locality instanceof LocalityLoadBalancing)) fail(this, 'locality', `must be a LocalityLoadBalancing, got ${quote(props.locality)}`, 'use LocalityLoadBalancing.failover(...) or .priority(...)');
    if (props.service.mesh !== Mesh.ISTIO) {
      fail(this, 'locality', `cannot be rendered for ${props.service.mesh}: locality failover is an Istio DestinationRule setting (Linkerd and the Gateway API have none)`, 'render this chart for Istio');
    }
    this.service = props.service;
    this.locality = props.locality;
    props.service._setPolicy(this, 'localityLoadBalancing', props.locality, props.version);
  }
}
