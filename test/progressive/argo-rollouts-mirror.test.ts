import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine, ArgoRolloutsOptions } from '../../src/progressive/canary-engine';
import { Match } from '../../src/traffic/match';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

function mirrorCanary(options: ArgoRolloutsOptions, mesh = Mesh.ISTIO, preview = false) {
  const chart = meshChart(mesh);
  const canary = new CanaryService(chart, 'reviews-canary', {
    service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', stages: [10, 50],
    engine: CanaryEngine.argoRollouts(options), ...(preview ? { previewMatch: Match.header('x-canary').exact('true') } : {}),
  });
  return { chart, canary };
}

describe('Argo Rollouts mirror step', () => {
  test('mirrorPercent mirrors that share of every path to the canary, analyses it, then removes the managed route before shifting traffic', () => {
    const { chart, canary } = mirrorCanary({ mirrorPercent: 20 });
    const out = schemas.add('rollout-mirror', Testing.synth(chart));
    const [rollout] = ofKind(out, 'Rollout');
    const analysis = { analysis: { templates: [{ templateName: 'reviews-canary' }] } };
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setMirrorRoute: { name: 'canary-mirror', percentage: 20, match: [{ path: { prefix: '/' } }] } },
      analysis,
      { setMirrorRoute: { name: 'canary-mirror' } },
      { setWeight: 10 }, analysis,
      { setWeight: 50 }, analysis,
    ]);
    expect(rollout.spec.strategy.canary.trafficRouting.managedRoutes).toEqual([{ name: 'canary-mirror' }]);
    // Argo Rollouts adds and removes the mirror route (by name) and sets the weights of primary, all in
    // the delegate it names, whose whole route list is ignored; the root's routes stay compared
    expect(canary.runtimeOwnedFields.find((f) => f.kind === 'VirtualService')).toEqual(expect.objectContaining({
      name: rollout.spec.strategy.canary.trafficRouting.istio.virtualService.name,
      jsonPointers: ['/spec/http'],
      reason: expect.stringMatching(/adds and removes the managed route canary-mirror during a rollout/),
    }));
    expect(canary.runtimeOwnedFields.find((f) => f.kind === 'VirtualService')!.jqPathExpressions).toBeUndefined();
    expect(out).toMatchSnapshot();
  });

  test('with a preview match both managed routes are listed, the preview first', () => {
    const { chart, canary } = mirrorCanary({ mirrorPercent: 100 }, Mesh.ISTIO, true);
    const [rollout] = ofKind(schemas.add('rollout-mirror-preview', Testing.synth(chart)), 'Rollout');
    expect(rollout.spec.strategy.canary.trafficRouting.managedRoutes).toEqual([{ name: 'canary-preview' }, { name: 'canary-mirror' }]);
    expect(rollout.spec.strategy.canary.steps.slice(0, 2).map((s: object) => Object.keys(s)[0])).toEqual(['setHeaderRoute', 'setMirrorRoute']);
    expect(canary.runtimeOwnedFields.find((f) => f.kind === 'VirtualService')?.reason).toMatch(/managed routes canary-preview and canary-mirror/);
  });

  test('without mirrorPercent there is no mirror step', () => {
    const { chart } = mirrorCanary({});
    const [rollout] = ofKind(Testing.synth(chart), 'Rollout');
    expect(JSON.stringify(rollout.spec)).not.toMatch(/setMirrorRoute|managedRoutes/);
  });

  test.each([0, 101, 12.5])('mirrorPercent %p is refused', (p) => {
    expect(() => CanaryEngine.argoRollouts({ mirrorPercent: p })).toThrow(/CanaryEngine.argoRollouts: mirrorPercent/);
  });

  test.each([Mesh.LINKERD, Mesh.GATEWAY_API])('mirrorPercent on %s is refused: the Gateway API plugin does not implement setMirrorRoute', (mesh) => {
    expect(() => mirrorCanary({ mirrorPercent: 20 }, mesh))
      .toThrow(/reviews-canary: engine.mirrorPercent is 20, but Argo Rollouts mirrors traffic on Istio only: the argoproj-labs\/gatewayAPI plugin accepts setMirrorRoute and does nothing.*render the service for Istio/s);
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.size).toBe(2);
    expect(schemas.problems()).toEqual([]);
  });
});
