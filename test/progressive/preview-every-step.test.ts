import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { backendsOf, destinationsOf, gammaPick, istioPick } from '../support/route-walk';

// A preview header reaches the canary at every step of the stage plan, on both engines and every
// mesh they run on: each test replays what the engine writes at runtime (from its sources) over
// the rendered objects, step by step, and asks the mesh's matcher where a tester and a plain
// request go. A jason route of the user's own stays served throughout.
const tester = { path: '/reviews/1', headers: { 'x-canary': 'true' } };
const plain = { path: '/reviews/1' };
const jason = { path: '/reviews/1', headers: { 'end-user': 'jason' } };
const stages = [5, 10, 30, 50, 100];

function canaryChart(mesh: Mesh, engine: CanaryEngine) {
  const chart = meshChart(mesh);
  const reviews = reviewsService(chart);
  const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });
  reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(ratings) });
  new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', stages, previewMatch: Match.header('x-canary').exact('true'), engine });
  return Testing.synth(chart);
}

/** The weights each setWeight step sets, in order. */
function weightsOf(rollout: any): number[] {
  return rollout.spec.strategy.canary.steps.filter((s: any) => s.setWeight !== undefined).map((s: any) => s.setWeight);
}

describe('Argo Rollouts', () => {
  test('istio: setHeaderRoute puts the managed route first in the delegate the Rollout names (rollout/trafficrouting/istio/istio.go orderRoutes); setWeight sets its route primary; Istio merges the delegate where the root delegates', () => {
    const out = canaryChart(Mesh.ISTIO, CanaryEngine.argoRollouts());
    const [rollout] = ofKind(out, 'Rollout');
    const edited = rollout.spec.strategy.canary.trafficRouting.istio.virtualService.name;
    const delegate = ofKind(out, 'VirtualService').find((v) => v.metadata.name === edited);
    const [root] = ofKind(out, 'VirtualService').filter((v) => v !== delegate);
    expect(delegate.spec.hosts).toBeUndefined();
    const [headerStep] = rollout.spec.strategy.canary.steps.filter((s: any) => s.setHeaderRoute);
    // createHeaderRoute: one match per header, the canary subset at 100
    const managed = {
      name: headerStep.setHeaderRoute.name,
      match: headerStep.setHeaderRoute.match.map((m: any) => ({ headers: { [m.headerName]: m.headerValue } })),
      route: [{ destination: { host: 'reviews', subset: 'canary' }, weight: 100 },
      ],
    };
    expect(weightsOf(rollout)).toEqual(stages);
    // pilot/pkg/model/virtualservice.go mergeHTTPRoute: the delegating route has no match, so the
    // delegate's routes keep theirs, in the delegate's order, in the delegating route's place
    const merged = (delegateHttp: any[]) => root.spec.http.flatMap((r: any) => (r.delegate?.name === edited ? delegateHttp : [r]));
    for (const w of stages) {
      const http = merged([managed, ...delegate.spec.http.map((r: any) => (r.name !== 'primary' ? r : {
        ...r, route: r.route.map((d: any) => ({ ...d, weight: d.destination.subset === 'canary' ? w : 100 - w })),
      }))]);
      expect(destinationsOf(istioPick(http, tester))).toEqual(['canary=100']);
      expect(destinationsOf(istioPick(http, plain))).toEqual([`stable=${100 - w}`, `canary=${w}`]);
      expect(destinationsOf(istioPick(http, jason))).toEqual(['ratings=100']);
      // the service's own routes come before the delegate: a tester matching one follows it
      expect(destinationsOf(istioPick(http, { ...jason, headers: { ...jason.headers, ...tester.headers } }))).toEqual(['ratings=100']);
    }
  });

  test.each([Mesh.LINKERD, Mesh.GATEWAY_API])('%s: the plugin appends a managed rule copying the split rule\'s matches plus the headers (pkg/plugin/httproute.go setHTTPHeaderRoute)', (mesh) => {
    const out = canaryChart(mesh, CanaryEngine.argoRollouts());
    const [route] = ofKind(out, 'HTTPRoute');
    const [rollout] = ofKind(out, 'Rollout');
    const { stableService, canaryService } = rollout.spec.strategy.canary;
    const [headerStep] = rollout.spec.strategy.canary.steps.filter((s: any) => s.setHeaderRoute);
    const headers = headerStep.setHeaderRoute.match.map((m: any) => ({ name: m.headerName, type: 'Exact', value: m.headerValue.exact }));
    const split = route.spec.rules.filter((r: any) => r.backendRefs?.some((b: any) => b.name === canaryService));
    expect(split).toHaveLength(1);
    const managed = {
      matches: split[0].matches.map((m: any) => ({ ...m, headers: [...(m.headers ?? []), ...headers] })),
      backendRefs: [{ name: canaryService, port: split[0].backendRefs.find((b: any) => b.name === canaryService).port }],
    };
    for (const w of weightsOf(rollout)) {
      const rules = [...route.spec.rules.map((r: any) => (r !== split[0] ? r : {
        ...r, backendRefs: r.backendRefs.map((b: any) => ({ ...b, weight: b.name === canaryService ? w : 100 - w })),
      })), managed];
      const routes = [{ ...route, spec: { ...route.spec, rules } }];
      expect(backendsOf(gammaPick(routes, tester)?.rule)).toEqual([`${canaryService}=1`]);
      expect(backendsOf(gammaPick(routes, plain)?.rule)).toEqual([`${stableService}=${100 - w}`, `${canaryService}=${w}`]);
      expect(backendsOf(gammaPick(routes, jason)?.rule)).toEqual(['ratings=1']);
    }
  });
});

describe('Flagger', () => {
  test.each([Mesh.LINKERD, Mesh.GATEWAY_API])('%s: our rule to reviews-canary outranks the rule Flagger generates at every step, whichever HTTPRoute is older', (mesh) => {
    const out = canaryChart(mesh, CanaryEngine.flagger());
    const [canary] = ofKind(out, 'Canary');
    const ours = ofKind(out, 'HTTPRoute');
    expect(ours.map((r) => r.metadata.name)).toEqual(['reviews-routes']);
    const { service, analysis } = canary.spec;
    expect(analysis.stepWeights).toEqual([5, 10, 30, 50]);
    // pkg/router/gateway_api.go SetRoutes: the HTTPRoute <service>, one rule PathPrefix / (no service.match), primary and canary weighted
    const flaggerRoute = (w: number) => ({
      metadata: { name: service.name },
      spec: {
        parentRefs: service.gatewayRefs,
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: `${service.name}-primary`, port: service.port, weight: 100 - w }, { name: `${service.name}-canary`, port: service.port, weight: w }],
        }],
      },
    });
    expect(ours[0].spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    // every step, then promotion (Flagger routes everything to the primary again)
    for (const w of [...analysis.stepWeights, 0]) {
      for (const routes of [[flaggerRoute(w), ...ours], [...ours, flaggerRoute(w)]]) {
        expect(gammaPick(routes, tester)).toMatchObject({ route: 'reviews-routes' });
        expect(backendsOf(gammaPick(routes, tester)?.rule)).toEqual(['reviews-canary=1']);
        expect(backendsOf(gammaPick(routes, plain)?.rule)).toEqual([`reviews-primary=${100 - w}`, `reviews-canary=${w}`]);
        expect(backendsOf(gammaPick(routes, jason)?.rule)).toEqual(['ratings=1']);
      }
    }
  });

  test('istio: the root VirtualService\'s preview route comes before the delegation to Flagger\'s VirtualService, whose route Istio merges in its place', () => {
    const out = canaryChart(Mesh.ISTIO, CanaryEngine.flagger());
    const [canary] = ofKind(out, 'Canary');
    const [root] = ofKind(out, 'VirtualService');
    const { service, analysis } = canary.spec;
    expect(service.delegation).toBe(true);
    // pkg/router/istio.go: a delegate (no hosts) with one route weighing <service>-primary against <service>-canary;
    // Istio (pilot/pkg/model/virtualservice.go mergeVirtualServicesIfNeeded) puts its routes where the delegating route was
    const delegated = (w: number) => root.spec.http.flatMap((r: any) => (!r.delegate ? [r] : [{
      route: [{ destination: { host: `${service.name}-primary` }, weight: 100 - w }, { destination: { host: `${service.name}-canary` }, weight: w }],
    }]));
    for (const w of [...analysis.stepWeights, 0]) {
      const http = delegated(w);
      expect(destinationsOf(istioPick(http, tester))).toEqual(['reviews-canary=100']);
      expect(destinationsOf(istioPick(http, plain))).toEqual([`reviews-primary=${100 - w}`, `reviews-canary=${w}`]);
      expect(destinationsOf(istioPick(http, jason))).toEqual(['ratings=100']);
    }
  });
});
