import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { renderArgoRollout } from '../progressive/argo-rollouts';
import { CanaryAnalysis } from '../progressive/canary-analysis';
import { CanaryEngine, CanaryEngineKind } from '../progressive/canary-engine';
import { renderFlaggerCanary } from '../progressive/flagger';
import { RuntimeOwnedField } from '../progressive/runtime-owned-field';
import { MeshService } from '../service/mesh-service';
import { Match } from '../traffic/match';
import { RouteTo } from '../traffic/route-action';
import { routePort } from '../traffic/route-port';
import { PatternRouteOptions, patternRouteBehaviour } from './pattern-route-options';

/** The stage plan practitioners start from: 5 → 10 → 30 → 50 → 100 percent. */
export const DEFAULT_CANARY_STAGES: readonly number[] = [5, 10, 30, 50, 100];

/** Props of a {@link CanaryService}. */
export interface CanaryServiceProps extends PatternRouteOptions {
  /** The service whose traffic is split. */
  readonly service: MeshService;
  /** The version that serves production traffic today, e.g. `v1`. */
  readonly stableVersion: string;
  /** The version being rolled out, e.g. `v2`. */
  readonly canaryVersion: string;
  /**
   * The canary's share of traffic at each stage, in percent, strictly increasing, ending at 100 or
   * below.
   * @default [5, 10, 30, 50, 100]
   */
  readonly stages?: number[];
  /**
   * The current stage, for the static-stage engine: 0 sends everything to the stable version
   * (rollback), N sends `stages[N-1]` percent to the canary. Promotion is changing this one number.
   * An automatic engine moves through the stages itself: leave it unset then.
   * @default - required with the static-stage engine
   */
  readonly stage?: number;
  /**
   * Requests that always go to the canary, whatever the stage (e.g. testers with a header). With
   * Argo Rollouts it must match headers only (its `setHeaderRoute`). With Flagger it is a route to
   * Flagger's `<service>-canary`: on Istio in the root VirtualService that delegates to Flagger's,
   * on the Gateway API and Linkerd a rule of the service's own HTTPRoute beside Flagger's.
   * @default - none
   */
  readonly previewMatch?: Match;
  /**
   * What moves the canary through the stages.
   * @default CanaryEngine.staticStage()
   */
  readonly engine?: CanaryEngine;
  /**
   * How an automatic engine judges the canary at each stage.
   * @default - CanaryAnalysis.fromObjectives(): thresholds from the service's ServiceLevelObjective
   * or ServiceAlerts, else 99% success and p99 under 500 ms, measured every minute
   */
  readonly analysis?: CanaryAnalysis;
}

/**
 * A canary rollout on one service: a weighted split between a stable and a canary version that
 * moves through a stage plan by changing one number.
 *
 * @example
 * new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', stage: 2 }); // 10%
 */
export class CanaryService extends Construct {
  /** The default canary stages, in percent (a copy of `DEFAULT_CANARY_STAGES`). */
  public static readonly DEFAULT_STAGES: number[] = [...DEFAULT_CANARY_STAGES];
  /** The stage plan, in percent. */
  public readonly stages: number[];
  /** The current stage; 0 with an automatic engine (which moves through the stages at runtime). */
  public readonly stage: number;
  /** The canary's share of traffic as rendered, in percent (0 with an automatic engine, which sets it at runtime). */
  public readonly canaryWeight: number;
  public readonly service: MeshService;
  /** What moves the canary through the stages. */
  public readonly engine: CanaryEngine;
  /** The Argo Rollouts `Rollout`, with that engine. */
  public readonly rollout?: ApiObject;
  /** The Argo Rollouts `AnalysisTemplate`, with that engine. */
  public readonly analysisTemplate?: ApiObject;
  /** The Flagger `Canary`, with that engine. */
  public readonly flaggerCanary?: ApiObject;
  /** The Flagger `MetricTemplate`s (success rate, latency), with that engine; empty otherwise. */
  public readonly metricTemplates: ApiObject[] = [];
  /** The Service Argo Rollouts points at the stable pods (`<service>-stable`), with Argo Rollouts on the Gateway API or Linkerd. */
  public readonly rolloutStableService?: MeshService;
  /** The Service Argo Rollouts points at the canary pods (`<service>-canary`), with Argo Rollouts on the Gateway API or Linkerd. */
  public readonly rolloutCanaryService?: MeshService;
  /**
   * The fields of rendered objects that the engine changes at runtime, for a GitOps tool to leave
   * alone (Argo CD `ignoreDifferences`); empty for the static stage.
   */
  public readonly runtimeOwnedFields: RuntimeOwnedField[];

  public constructor(scope: Construct, id: string, props: CanaryServiceProps) {
    super(scope, id);
    this.service = props.service;
    const stable = props.service.version(props.stableVersion, this, 'stableVersion');
    const canary = props.service.version(props.canaryVersion, this, 'canaryVersion');
    if (stable === canary) fail(this, 'canaryVersion', `is the stable version ${quote(stable.name)}`, 'name two different versions');
    const port = routePort(this, props.service, props.port);
    this.stages = validateStages(this, props.stages ?? [...DEFAULT_CANARY_STAGES]);
    this.engine = props.engine ?? CanaryEngine.staticStage();
    if (!(this.engine instanceof CanaryEngine)) fail(this, 'engine', `must be a CanaryEngine, got ${quote(this.engine)}`, 'use CanaryEngine.staticStage(), CanaryEngine.argoRollouts() or CanaryEngine.flagger()');
    if (props.analysis !== undefined && !(props.analysis instanceof CanaryAnalysis)) fail(this, 'analysis', `must be a CanaryAnalysis, got ${quote(props.analysis)}`, 'use CanaryAnalysis.of({...})');
    const behaviour = patternRouteBehaviour(props);

    if (this.engine.isAutomatic) {
      if (props.stage !== undefined) {
        fail(this, 'stage', `is ${quote(props.stage)}, but the ${this.engine.kind} engine moves through the stages itself at runtime`, 'remove stage; the stage plan is the stages prop');
      }
      this.stage = 0;
      this.canaryWeight = 0;
      const analysis = props.analysis ?? CanaryAnalysis.fromObjectives();
      if (this.engine.kind === CanaryEngineKind.FLAGGER) {
        const flagger = renderFlaggerCanary({
          owner: this, service: props.service, canary, stages: this.stages, previewMatch: props.previewMatch,
          analysis, options: this.engine.flaggerOptions ?? {}, port: port ?? props.service.ports[0].port, behaviour,
        });
        this.flaggerCanary = flagger.canary;
        this.metricTemplates = flagger.metricTemplates;
        this.runtimeOwnedFields = flagger.runtimeOwnedFields;
        return;
      }
      const objects = renderArgoRollout({
        owner: this, service: props.service, stable, canary, stages: this.stages, previewMatch: props.previewMatch,
        analysis, options: this.engine.argoRolloutsOptions ?? {}, port, behaviour,
      });
      this.rollout = objects.rollout;
      this.analysisTemplate = objects.analysisTemplate;
      this.rolloutStableService = objects.stableService;
      this.rolloutCanaryService = objects.canaryService;
      this.runtimeOwnedFields = objects.runtimeOwnedFields;
      return;
    }

    if (props.analysis !== undefined) fail(this, 'analysis', 'has no effect with the static-stage engine, which nothing analyses at runtime', 'remove analysis, or choose an automatic engine such as CanaryEngine.argoRollouts()');
    if (props.stage === undefined || !Number.isInteger(props.stage) || props.stage < 0 || props.stage > this.stages.length) {
      fail(this, 'stage', `must be a whole number from 0 (all traffic to ${stable.name}) to ${this.stages.length} (${this.stages[this.stages.length - 1]}% to ${canary.name}), got ${quote(props.stage)}`,
        `pick a stage of the plan [${this.stages.join(', ')}]`);
    }
    this.stage = props.stage;
    this.canaryWeight = props.stage === 0 ? 0 : this.stages[props.stage - 1];
    this.runtimeOwnedFields = [];
    if (props.previewMatch) {
      props.service._addRoute(this, { ...behaviour, name: 'canary-preview', matches: [props.previewMatch], to: RouteTo.version(canary.name, { port }) });
    }
    props.service._setDefaultRoute(this, splitOf(stable.name, canary.name, this.canaryWeight, port), behaviour);
  }
}

/** A split between two versions, leaving out a version with no traffic. */
export function splitOf(a: string, b: string, bWeight: number, port?: number): RouteTo {
  if (bWeight === 0) return RouteTo.version(a, { port });
  if (bWeight === 100) return RouteTo.version(b, { port });
  return RouteTo.split({ [a]: 100 - bWeight, [b]: bWeight }, { port });
}

function validateStages(scope: Construct, stages: number[]): number[] {
  if (!Array.isArray(stages) || stages.length === 0) fail(scope, 'stages', 'must list at least one percentage', 'pass e.g. [5, 10, 30, 50, 100]');
  stages.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1 || s > 100) fail(scope, `stages[${i}]`, `must be a whole percentage from 1 to 100, got ${quote(s)}`, 'use whole numbers such as 5, 10, 30');
    if (i > 0 && s <= stages[i - 1]) fail(scope, 'stages', `must increase strictly, got ${stages.join(' → ')}`, 'sort the stages and remove duplicates');
  });
  return [...stages];
}
