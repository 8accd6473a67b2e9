import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { MeshService } from '../service/mesh-service';
import { escapeRe2 } from '../core/re2';
import { LoadBalancer } from '../traffic/load-balancer';
import { Match } from '../traffic/match';
import { RouteTo } from '../traffic/route-action';
import { routePort } from '../traffic/route-port';
import { PatternRouteOptions, patternRouteBehaviour } from './pattern-route-options';
import { isHttpToken } from '../core/names';

/** Assigns the users a request identifies to one variant. */
export class VariantAssignment {
  /** Requests carrying a cookie `name=value` go to `version`. */
  public static cookie(name: string, value: string, version: string): VariantAssignment {
    if (!isHttpToken(name)) fail('VariantAssignment.cookie', 'name', `must be a cookie name, got ${quote(name)}`, 'use e.g. "ab-group"');
    return new VariantAssignment(Match.header('cookie').regex(`(^|.*;\\s*)${escapeRe2(name)}=${escapeRe2(value)}(;.*|$)`), version);
  }

  /** Requests whose header `name` equals `value` go to `version`. */
  public static header(name: string, value: string, version: string): VariantAssignment {
    return new VariantAssignment(Match.header(name).exact(value), version);
  }

  private constructor(public readonly match: Match, public readonly version: string) {}
}

/** Props of an {@link AbTest}. */
export interface AbTestProps extends PatternRouteOptions {
  readonly service: MeshService;
  /** The share of unassigned requests each variant (version) gets, in percent summing to 100. */
  readonly split: Record<string, number>;
  /**
   * Explicit assignments that pin users to a variant (checked before the split).
   * @default - none
   */
  readonly assignments?: VariantAssignment[];
  /**
   * Session affinity inside each variant: requests with the same key reach the same pod.
   * @default - none
   */
  readonly affinity?: LoadBalancer;
}

/**
 * A/B test: users pinned to a variant by a cookie or header, the rest split by percentage, with
 * optional session affinity.
 *
 * Istio's consistent hash applies within the subset a request was routed to; it does not make a
 * weighted split sticky, so stickiness across variants comes from the assignments (e.g. a cookie
 * the application sets on first visit), and `affinity` keeps a user on one pod of their variant.
 */
export class AbTest extends Construct {
  public constructor(scope: Construct, id: string, props: AbTestProps) {
    super(scope, id);
    const versions = Object.keys(props.split ?? {});
    if (versions.length < 2) fail(this, 'split', `must name at least two variants, got ${quote(props.split)}`, 'pass e.g. { v1: 50, v2: 50 }');
    for (const v of versions) props.service.version(v, this, 'split');
    const port = routePort(this, props.service, props.port);
    const behaviour = patternRouteBehaviour(props);
    for (const [i, a] of (props.assignments ?? []).entries()) {
      if (!versions.includes(a.version)) fail(this, `assignments[${i}]`, `pins users to ${quote(a.version)}, which is not a variant of the split (${versions.join(', ')})`, 'assign users to one of the variants');
      props.service._addRoute(this, { ...behaviour, name: `ab-${a.version}${i ? `-${i}` : ''}`, matches: [a.match], to: RouteTo.version(a.version, { port }) });
    }
    props.service._setDefaultRoute(this, RouteTo.split(props.split, { port }), behaviour);
    if (props.affinity) {
      if (!props.affinity.hash) fail(this, 'affinity', `must be a consistent hash, got ${props.affinity}`, 'use LoadBalancer.consistentHash.cookie(...) or .header(...)');
      for (const v of versions) props.service._setPolicy(this, 'loadBalancer', props.affinity, v);
    }
  }
}
