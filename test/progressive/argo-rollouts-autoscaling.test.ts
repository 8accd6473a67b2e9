import { Testing } from 'cdk8s';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { ServiceWorkloads, VersionWorkload } from '../../src/service/service-workloads';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();
const image = (v: string) => `docker.io/istio/examples-bookinfo-reviews-${v}:1.20.3`;

function scenario(options: { workloadsFirst?: boolean; engine?: CanaryEngine; v2?: Partial<VersionWorkload>; autoscaling?: boolean } = {}) {
  const chart = meshChart();
  const reviews = reviewsService(chart);
  const workloads = () => new ServiceWorkloads(chart, 'reviews-workloads', {
    service: reviews,
    versions: [{ version: 'v1', image: image('v1') }, { version: 'v2', image: image('v2'), ...options.v2 }],
    ...(options.autoscaling === false ? {} : { autoscaling: {} }),
  });
  const canary = () => new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', engine: options.engine ?? CanaryEngine.argoRollouts() });
  if (options.workloadsFirst ?? true) workloads();
  const c = canary();
  if (!(options.workloadsFirst ?? true)) workloads();
  return { chart, canary: c };
}

function hpaOf(out: any[], name: string) {
  return ofKind(out, 'HorizontalPodAutoscaler').find((h) => h.metadata.name === name);
}

describe('Argo Rollouts with a HorizontalPodAutoscaler', () => {
  test('the HPA of the Deployment the Rollout runs scales the Rollout; the Rollout leaves replicas to it', () => {
    const { chart, canary } = scenario();
    const out = schemas.add('rollout-hpa', Testing.synth(chart));
    expect(hpaOf(out, 'reviews-v2').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'reviews' });
    // the stable version's Deployment keeps its own HPA
    expect(hpaOf(out, 'reviews-v1').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews-v1' });
    const [rollout] = ofKind(out, 'Rollout');
    expect(rollout.spec).not.toHaveProperty('replicas');
    expect(canary.runtimeOwnedFields).toContainEqual(expect.objectContaining({
      group: 'argoproj.io', kind: 'Rollout', name: 'reviews',
      jsonPointers: ['/metadata/annotations/rollout.argoproj.io~1workload-generation', '/spec/replicas'],
      reason: expect.stringMatching(/HorizontalPodAutoscaler of reviews-v2 sets the Rollout's replicas/),
    }));
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('the HPA follows the Rollout\'s chosen name and a chosen Deployment', () => {
    const { chart, canary } = scenario({ engine: CanaryEngine.argoRollouts({ rolloutName: 'reviews-rollout' }), v2: { deploymentName: 'reviews-next' } });
    // the runtime-owned replicas are the named Rollout's (they named the service before)
    expect(canary.runtimeOwnedFields.filter((f) => f.kind === 'Rollout').map((f) => f.name)).toEqual(['reviews-rollout']);
    const out = Testing.synth(chart);
    expect(hpaOf(out, 'reviews-next').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'reviews-rollout' });
    expect(ofKind(out, 'Rollout')[0].spec.workloadRef.name).toBe('reviews-next');
  });

  test('without autoscaling the Rollout keeps its replicas and owns none at runtime', () => {
    const { chart, canary } = scenario({ autoscaling: false, engine: CanaryEngine.argoRollouts({ replicas: 3 }) });
    const out = Testing.synth(chart);
    expect(ofKind(out, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofKind(out, 'Rollout')[0].spec.replicas).toBe(3);
    expect(canary.runtimeOwnedFields.find((f) => f.kind === 'Rollout')?.jsonPointers).toEqual(['/metadata/annotations/rollout.argoproj.io~1workload-generation']);
  });

  test('a version with fixed replicas is not autoscaled, so the Rollout keeps its replicas', () => {
    const { chart } = scenario({ v2: { replicas: 2 } });
    const out = Testing.synth(chart);
    expect(hpaOf(out, 'reviews-v2')).toBeUndefined();
    expect(ofKind(out, 'Rollout')[0].spec.replicas).toBe(1);
  });

  test('replicas on the engine beside an HPA is refused', () => {
    expect(() => scenario({ engine: CanaryEngine.argoRollouts({ replicas: 3 }) }))
      .toThrow(/reviews-canary: engine.replicas is 3, but a HorizontalPodAutoscaler scales Deployment reviews-v2.*drop replicas/s);
  });

  test('autoscaled workloads created after the canary are refused, naming the order to use', () => {
    expect(() => scenario({ workloadsFirst: false }))
      .toThrow(/reviews-workloads: versions\[1\].autoscaling adds a HorizontalPodAutoscaler for Deployment reviews-v2, but .*reviews-canary .*create .*reviews-workloads before .*reviews-canary/s);
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.size).toBeGreaterThanOrEqual(1);
    expect(schemas.problems()).toEqual([]);
  });
});

describe('a VerticalPodAutoscaler sizes what runs the canary version\'s pods', () => {
  const vpaTarget = (out: any[], name: string) => ofKind(out, 'VerticalPodAutoscaler').find((v) => v.metadata.name === name)?.spec.targetRef;
  /** Only the canary version's Deployment (Flagger's shape), with a VPA, and an HPA when asked. */
  function canaryOnly(engine: CanaryEngine, props: { stage?: number; workloadsFirst?: boolean } = {}) {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    const workloads = () => new ServiceWorkloads(chart, 'reviews-workloads', {
      service: reviews, autoscaling: {}, versions: [{ version: 'v2', image: image('v2'), deploymentName: 'reviews', verticalAutoscaling: {} }],
    });
    if (props.workloadsFirst ?? true) workloads();
    new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', engine, stage: props.stage });
    if (!(props.workloadsFirst ?? true)) workloads();
    return chart;
  }

  test('Argo Rollouts: the Rollout, which runs the Deployment\'s pod template and exposes /scale (VPA sizes custom resources with a scale subresource; Argo Rollouts docs/features/vpa-support.md)', () => {
    const { chart } = scenario({ autoscaling: false, v2: { verticalAutoscaling: {} } });
    const out = schemas.add('rollout-vpa', Testing.synth(chart));
    expect(vpaTarget(out, 'reviews-v2')).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'reviews' });
    // the stable version's Deployment keeps its own
    expect(vpaTarget(out, 'reviews-v1')).toBeUndefined();
  });

  test.each([true, false])('Flagger: the target\'s <deployment>-primary, which serves production (Flagger scales the target to zero between rollouts); its HPA stays on the target, which Flagger copies; workloads first: %s', (workloadsFirst) => {
    const out = schemas.add(`flagger-vpa-${workloadsFirst}`, Testing.synth(canaryOnly(CanaryEngine.flagger({ deploymentName: 'reviews' }), { workloadsFirst })));
    expect(vpaTarget(out, 'reviews')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews-primary' });
    expect(hpaOf(out, 'reviews').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews' });
    expect(ofKind(out, 'Canary')[0].spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'reviews' });
  });

  test('the static stage: the version\'s own Deployment', () => {
    const out = Testing.synth(canaryOnly(CanaryEngine.staticStage(), { stage: 1 }));
    expect(vpaTarget(out, 'reviews')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews' });
  });

  test('every VPA scenario is schema-valid', () => {
    expect(schemas.problems()).toEqual([]);
  });
});
