import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { Match } from '../traffic/match';
import { RouteTo } from '../traffic/route-action';
import { FaultInjection } from './fault-injection';

/** Props of a {@link ChaosExperiment}. */
export interface ChaosExperimentProps {
  /** The service whose callers see the faults. */
  readonly service: MeshService;
  /** The faults to inject. */
  readonly fault: FaultInjection;
  /**
   * The requests the faults apply to, e.g. `Match.header('end-user').exact('chaos-tester')`.
   * Required and never empty, so production traffic is untouched.
   */
  readonly matches: Match[];
  /**
   * Where the selected requests go when no fault fires.
   * @default RouteTo.service(service) - the whole service
   */
  readonly to?: RouteTo;
  /**
   * The route name (shown in Istio's route statistics).
   * @default - the construct id
   */
  readonly name?: string;
}

/**
 * A fault-injection test scoped to a header (or other) match: a route of the service's one
 * VirtualService that delays and/or aborts the selected requests. Put each scenario in its own
 * chart so it can be applied and removed on its own. Istio only.
 *
 * @example
 * new ChaosExperiment(chart, 'ratings-delay', { service: ratings, matches: [Match.header('end-user').exact('jason')], fault: FaultInjection.delay(Duration.seconds(7)) });
 */
export class ChaosExperiment extends Construct {
  public readonly service: MeshService;
  public readonly fault: FaultInjection;

  public constructor(scope: Construct, id: string, props: ChaosExperimentProps) {
    super(scope, id);
    if (!MeshService.isMeshService(props.service)) fail(this, 'service', `must be a MeshService, got ${quote(props.service)}`, 'pass the MeshService to test');
    if (!(props.fault instanceof FaultInjection)) fail(this, 'fault', `must be a FaultInjection, got ${quote(props.fault)}`, 'use FaultInjection.delay(...) or FaultInjection.abort(...)');
    if (!Array.isArray(props.matches) || props.matches.length === 0) {
      fail(this, 'matches', 'must select the test traffic (an empty match would inject faults into all production traffic)', 'pass e.g. [Match.header("end-user").exact("chaos-tester")]');
    }
    if (props.service.mesh !== Mesh.ISTIO) {
      fail(this, 'fault', `cannot be rendered for ${props.service.mesh}: ${props.service.mesh === Mesh.LINKERD ? "Linkerd's proxy" : 'the Gateway API'} has no fault injection`, 'render the chaos chart for Istio');
    }
    this.service = props.service;
    this.fault = props.fault;
    props.service._addRoute(this, {
      name: props.name ?? id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, ''),
      matches: props.matches,
      to: props.to ?? RouteTo.service(props.service),
      fault: props.fault,
    });
  }
}
