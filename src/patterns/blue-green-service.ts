import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { MeshService } from '../service/mesh-service';
import { Match } from '../traffic/match';
import { RouteTo } from '../traffic/route-action';
import { routePort } from '../traffic/route-port';
import { PatternRouteOptions, patternRouteBehaviour } from './pattern-route-options';

/** The two colours of a blue-green deployment. */
export enum Color {
  BLUE = 'blue',
  GREEN = 'green',
}

/** Props of a {@link BlueGreenService}. */
export interface BlueGreenServiceProps extends PatternRouteOptions {
  readonly service: MeshService;
  /** The version deployed as blue. */
  readonly blueVersion: string;
  /** The version deployed as green. */
  readonly greenVersion: string;
  /** The colour that receives all traffic. Switching and rolling back is changing this value. */
  readonly active: Color;
  /**
   * Requests that go to the idle colour, so it can be tested before the switch.
   * @default - none
   */
  readonly previewMatch?: Match;
}

/**
 * Blue-green deployment: all traffic to one colour; switch and roll back by changing `active`.
 */
export class BlueGreenService extends Construct {
  /** The version receiving traffic. */
  public readonly activeVersion: string;
  /** The idle version. */
  public readonly idleVersion: string;

  public constructor(scope: Construct, id: string, props: BlueGreenServiceProps) {
    super(scope, id);
    const blue = props.service.version(props.blueVersion, this, 'blueVersion').name;
    const green = props.service.version(props.greenVersion, this, 'greenVersion').name;
    if (blue === green) fail(this, 'greenVersion', `is the blue version ${quote(blue)}`, 'name two different versions');
    if (!Object.values(Color).includes(props.active)) fail(this, 'active', `must be Color.BLUE or Color.GREEN, got ${quote(props.active)}`, 'use the Color enum');
    const port = routePort(this, props.service, props.port);
    this.activeVersion = props.active === Color.BLUE ? blue : green;
    this.idleVersion = props.active === Color.BLUE ? green : blue;
    const behaviour = patternRouteBehaviour(props);
    if (props.previewMatch) {
      props.service._addRoute(this, { ...behaviour, name: `preview-${props.active === Color.BLUE ? Color.GREEN : Color.BLUE}`, matches: [props.previewMatch], to: RouteTo.version(this.idleVersion, { port }) });
    }
    props.service._setDefaultRoute(this, RouteTo.version(this.activeVersion, { port }), behaviour);
  }
}
