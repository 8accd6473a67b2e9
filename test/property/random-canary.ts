import { Chart, Duration } from 'cdk8s';
import fc from 'fast-check';
import {
  CanaryAnalysis, CanaryEngine, CanaryService, Match, Mesh, MeshService, RetryPolicy, ServiceLevelObjective, WorkloadScaleDown,
} from '../../src';

// The canary part of a random app: the stage plan, a preview match, an engine (static stage,
// Argo Rollouts with mirror/replicas/scale-down, Flagger with a load test), an analysis, the
// canary's own timeout and retries, and an SLO the analysis derives its thresholds from.

const ENGINES = ['static', 'argo-rollouts', 'flagger'] as const;

export const canaryPlan = fc.record({
  engine: fc.constantFrom(...ENGINES),
  stages: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 4 }).map((s) => [...s.sort((a, b) => a - b), 100]), { nil: undefined }),
  stageIndex: fc.nat(),
  preview: fc.option(fc.constantFrom('header', 'header-regex', 'path', 'query'), { nil: undefined }),
  analysis: fc.option(fc.record({
    successRatePercent: fc.option(fc.constantFrom(50, 90, 99, 99.5, 99.99), { nil: undefined }),
    latencyMs: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: undefined }),
    intervalS: fc.option(fc.integer({ min: 30, max: 600 }), { nil: undefined }),
    // below measurementsPerStage (default 5), or a stage could never fail
    failureLimit: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    measurementsPerStage: fc.option(fc.integer({ min: 5, max: 10 }), { nil: undefined }),
  }), { nil: undefined }),
  replicas: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  mirrorPercent: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  scaleDown: fc.option(fc.constantFrom(...Object.values(WorkloadScaleDown)), { nil: undefined }),
  loadTest: fc.boolean(),
  timeoutS: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  retries: fc.boolean(),
  slo: fc.option(fc.constantFrom(99, 99.5, 99.9), { nil: undefined }),
});
export type CanaryPlan = typeof canaryPlan extends fc.Arbitrary<infer T> ? T : never;

/** Bad canary values, refused where they are made (the factory) or where the CanaryService takes them. */
export const BAD_CANARY_VALUES: Record<string, () => unknown> = {
  'analysis interval under 30s': () => CanaryAnalysis.of({ interval: Duration.seconds(10) }),
  'success rate over 100%': () => CanaryAnalysis.of({ successRatePercent: 101 }),
  'Argo Rollouts mirror over 100%': () => CanaryEngine.argoRollouts({ mirrorPercent: 150 }),
  'Flagger load test URL that is not http': () => CanaryEngine.flagger({ loadTest: { url: 'ftp://loadtester/' } }),
};
/** Bad canary placements, built by {@link addCanary}. */
export const BAD_CANARY_PLACEMENTS = ['analysis with the static stage', 'stage with an automatic engine', 'stages not increasing'];

function previewMatch(kind: CanaryPlan['preview']): Match | undefined {
  switch (kind) {
    case 'header': return Match.header('x-canary').exact('true');
    case 'header-regex': return Match.header('x-canary').regex('^(on|yes)$');
    case 'path': return Match.path.prefix('/canary');
    case 'query': return Match.queryParam('canary').exact('on');
    default: return undefined;
  }
}

/** Adds a CanaryService from stable `a` to canary `b` of `service`, as the plan (and a bad placement) says. */
export function addCanary(chart: Chart, mesh: Mesh, service: MeshService, a: string, b: string, c: CanaryPlan, port: number | undefined, bad?: string): CanaryService {
  const engine = bad === 'analysis with the static stage' ? 'static' : bad === 'stage with an automatic engine' && c.engine === 'static' ? 'flagger' : c.engine;
  const stages = bad === 'stages not increasing' ? [50, 10, 100] : c.stages;
  if (c.slo && mesh !== Mesh.CILIUM) new ServiceLevelObjective(chart, `${service.node.id}-slo`, { service, objectivePercent: c.slo });
  const a1 = c.analysis;
  const analysis = bad === 'analysis with the static stage' ? CanaryAnalysis.fromObjectives()
    : a1 && engine !== 'static' ? CanaryAnalysis.of({
      successRatePercent: a1.successRatePercent,
      latencyThreshold: a1.latencyMs ? Duration.millis(a1.latencyMs) : undefined,
      interval: a1.intervalS ? Duration.seconds(a1.intervalS) : undefined,
      failureLimit: a1.failureLimit,
      measurementsPerStage: a1.measurementsPerStage,
    }) : undefined;
  const plan = stages ?? CanaryService.DEFAULT_STAGES;
  return new CanaryService(chart, 'canary', {
    service, stableVersion: a, canaryVersion: b, port, stages,
    stage: engine === 'static' || bad === 'stage with an automatic engine' ? c.stageIndex % (plan.length + 1) : undefined,
    previewMatch: previewMatch(c.preview),
    engine: engine === 'argo-rollouts' ? CanaryEngine.argoRollouts({ replicas: c.replicas, mirrorPercent: mesh === Mesh.ISTIO ? c.mirrorPercent : undefined, scaleDown: c.scaleDown })
      : engine === 'flagger' ? CanaryEngine.flagger({ loadTest: c.loadTest ? {} : undefined })
        : c.stageIndex % 2 ? CanaryEngine.staticStage() : undefined,
    analysis,
    timeout: c.timeoutS ? Duration.seconds(c.timeoutS) : undefined,
    // Flagger's gatewayapi router (Linkerd) renders no retries
    retries: c.retries && (mesh === Mesh.ISTIO || (mesh === Mesh.LINKERD && engine !== 'flagger')) ? new RetryPolicy({ attempts: 2, perTryTimeout: Duration.seconds(1) }) : undefined,
  });
}
