import { Construct } from 'constructs';
import { fail, quote, withContext } from '../core/errors';
import { Mesh } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { CircuitBreakerPreset } from './circuit-breaker-preset';
import { ConnectionPool } from './connection-pool';
import { FailureAccrual } from './failure-accrual';
import { OutlierDetection } from './outlier-detection';

/** Props of a {@link CircuitBreakerPolicy}. */
export interface CircuitBreakerPolicyProps {
  /** The service whose callers break the circuit. */
  readonly service: MeshService;
  /**
   * Apply to one version only (an Istio subset traffic policy). Istio only.
   * @default - the whole service
   */
  readonly version?: string;
  /**
   * Start from a preset; `connectionPool` and `outlierDetection` replace its parts.
   * @default - none: give connectionPool and/or outlierDetection (or failureAccrual on Linkerd)
   */
  readonly preset?: CircuitBreakerPreset;
  /** Istio connection-pool limits. @default - the preset's, else none */
  readonly connectionPool?: ConnectionPool;
  /**
   * Ejection of failing hosts. On Linkerd it becomes failure accrual: consecutive5xxErrors →
   * max failures, baseEjectionTime → min penalty; its other fields have no Linkerd equivalent.
   * @default - the preset's, else none
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Linkerd failure accrual, set directly (Linkerd only).
   * @default - derived from outlierDetection or the preset
   */
  readonly failureAccrual?: FailureAccrual;
}

/**
 * A circuit breaker for a service (or one version): connection-pool limits and outlier detection
 * in the service's one DestinationRule on Istio; `balancer.linkerd.io/failure-accrual*` Service
 * annotations on Linkerd (see `service.serviceAnnotations`). The Gateway API has no circuit breaking.
 *
 * @example
 * new CircuitBreakerPolicy(this, 'reviews-cb', { service: reviews, preset: CircuitBreakerPreset.STANDARD });
 */
export class CircuitBreakerPolicy extends Construct {
  public readonly service: MeshService;
  /** The connection pool applied (Istio). */
  public readonly connectionPool?: ConnectionPool;
  /** The outlier detection applied (Istio). */
  public readonly outlierDetection?: OutlierDetection;
  /** The failure accrual applied (Linkerd). */
  public readonly failureAccrual?: FailureAccrual;

  public constructor(scope: Construct, id: string, props: CircuitBreakerPolicyProps) {
    super(scope, id);
    if (!MeshService.isMeshService(props.service)) fail(this, 'service', `must be a MeshService, got ${quote(props.service)}`, 'pass the MeshService to protect');
    const s = props.service;
    this.service = s;
    if (props.preset !== undefined && !(props.preset instanceof CircuitBreakerPreset)) fail(this, 'preset', `must be a CircuitBreakerPreset, got ${quote(props.preset)}`, 'use CircuitBreakerPreset.STANDARD');
    if (props.connectionPool !== undefined && !(props.connectionPool instanceof ConnectionPool)) fail(this, 'connectionPool', `must be a ConnectionPool, got ${quote(props.connectionPool)}`, 'use new ConnectionPool({...})');
    if (props.outlierDetection !== undefined && !(props.outlierDetection instanceof OutlierDetection)) fail(this, 'outlierDetection', `must be an OutlierDetection, got ${quote(props.outlierDetection)}`, 'use new OutlierDetection({...})');
    if (!props.preset && !props.connectionPool && !props.outlierDetection && !props.failureAccrual) {
      fail(this, 'props', 'set no circuit-breaker setting', 'pass a preset (CircuitBreakerPreset.STANDARD), connectionPool, outlierDetection or failureAccrual');
    }

    switch (s.mesh) {
      case Mesh.ISTIO: {
        if (props.failureAccrual) fail(this, 'failureAccrual', 'is Linkerd\'s circuit breaker and cannot be rendered for istio', 'use outlierDetection (consecutive5xxErrors, baseEjectionTime) instead');
        this.connectionPool = props.connectionPool ?? props.preset?.connectionPool;
        this.outlierDetection = props.outlierDetection ?? props.preset?.outlierDetection;
        if (this.connectionPool) s._setPolicy(this, 'connectionPool', this.connectionPool, props.version);
        if (this.outlierDetection) s._setPolicy(this, 'outlierDetection', this.outlierDetection, props.version);
        break;
      }
      case Mesh.LINKERD: {
        const unsupported = (prop: string, what: string, fix: string): never => fail(this, prop, `cannot be rendered for linkerd: ${what}`, fix);
        if (props.version !== undefined) unsupported('version', 'Linkerd configures failure accrual per Service, not per version', 'attach the circuit breaker to the whole service');
        if (props.connectionPool) unsupported('connectionPool', 'Linkerd has no connection-pool limits', 'remove connectionPool for Linkerd (a preset\'s pool is left out automatically), or use HTTPLocalRateLimitPolicy (LocalRateLimit) to cap load');
        this.failureAccrual = props.failureAccrual
          ?? (props.outlierDetection ? this.fromOutlierDetection(props.outlierDetection, unsupported) : props.preset!.failureAccrual);
        if (props.failureAccrual && props.outlierDetection) unsupported('outlierDetection', 'it is given together with failureAccrual, which already sets Linkerd\'s circuit breaker', 'pass only one of them');
        for (const [k, v] of Object.entries(this.failureAccrual.toAnnotations())) s._addServiceAnnotation(this, k, v);
        break;
      }
      default:
        fail(this, 'service', `cannot be rendered for ${s.mesh === Mesh.GATEWAY_API ? 'the Gateway API (GAMMA)' : s.mesh}: the Gateway API has no circuit breaking`, 'render this chart for Istio or Linkerd');
    }
  }

  private fromOutlierDetection(od: OutlierDetection, unsupported: (prop: string, what: string, fix: string) => never): FailureAccrual {
    for (const key of ['interval', 'maxEjectionPercent', 'minHealthPercent', 'consecutiveGatewayErrors'] as const) {
      if (od[key] !== undefined) unsupported(`outlierDetection.${key}`, `Linkerd's failure accrual counts consecutive 5xx failures per endpoint and has no ${key}`, 'set only consecutive5xxErrors and baseEjectionTime for Linkerd, or pass failureAccrual');
    }
    // Linkerd's penalty grows from minPenalty up to maxPenalty (default 1m), as Istio's ejection time grows from baseEjectionTime
    const base = od.baseEjectionTime;
    const maxPenalty = base && base.toMilliseconds({ integral: false }) > 60_000 ? base : undefined;
    return withContext(this, 'outlierDetection (as Linkerd failure accrual)', () => new FailureAccrual({ consecutiveFailures: od.consecutive5xxErrors ?? 5, minPenalty: base, maxPenalty }));
  }
}
