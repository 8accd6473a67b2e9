import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { ChaosExperiment, FaultInjection } from '../../src/resilience';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const JASON = Match.header('end-user').exact('jason');

describe('ChaosExperiment', () => {
  test('adds a fault route for the test user before the production routes', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.setDefaultRoute(RouteTo.split({ v1: 80, v2: 20 }));
    new ChaosExperiment(c, 'reviews-delay', { service: reviews, matches: [JASON], fault: FaultInjection.delay(Duration.seconds(7)), to: RouteTo.version('v2') });
    const out = batch.add('chaos-delay', Testing.synth(c));
    const [vs] = ofKind(out, 'VirtualService');
    expect(vs.spec.http[0]).toEqual({
      name: 'reviews-delay', match: [{ headers: { 'end-user': { exact: 'jason' } } }],
      route: [{ destination: { host: 'reviews', subset: 'v2' } }],
      fault: { delay: { fixedDelay: '7s', percentage: { value: 100 } } },
    });
    expect(vs.spec.http[1].fault).toBeUndefined();
    expect(out).toMatchSnapshot();
  });

  test('delay and abort combine; the default destination is the whole service', () => {
    const c = meshChart();
    new ChaosExperiment(c, 'flaky', { service: reviewsService(c), matches: [Match.header('x-chaos').exact('1')], fault: FaultInjection.abort(503, 10).withDelay(Duration.millis(1500), 50) });
    const [vs] = ofKind(batch.add('chaos-both', Testing.synth(c)), 'VirtualService');
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'reviews' } }]);
    expect(vs.spec.http[0].fault).toEqual({ delay: { fixedDelay: '1s500ms', percentage: { value: 50 } }, abort: { httpStatus: 503, percentage: { value: 10 } } });
  });

  test('a fault can also be set on any route directly', () => {
    const c = meshChart();
    reviewsService(c).addRoute({ matches: [JASON], to: RouteTo.version('v1'), fault: FaultInjection.abort(500) });
    const [vs] = ofKind(batch.add('route-fault', Testing.synth(c)), 'VirtualService');
    expect(vs.spec.http[0].fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 100 } } });
  });

  test('rejects an experiment without a match, which would hit production traffic', () => {
    const c = meshChart();
    expect(() => new ChaosExperiment(c, 'x', { service: reviewsService(c), matches: [], fault: FaultInjection.abort(500) }))
      .toThrow(/test\/x: matches must select the test traffic \(an empty match would inject faults into all production traffic\)/);
  });

  test('rejects a fault that is not a FaultInjection', () => {
    const c = meshChart();
    expect(() => new ChaosExperiment(c, 'x', { service: reviewsService(c), matches: [JASON], fault: { abort: { httpStatus: 500, percent: 10 } } as any }))
      .toThrow(/test\/x: fault must be a FaultInjection/);
  });

  test('rejects Linkerd, which has no fault injection', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new ChaosExperiment(c, 'x', { service: reviewsService(c), matches: [JASON], fault: FaultInjection.abort(500) }))
      .toThrow(/test\/x: fault cannot be rendered for linkerd: Linkerd's proxy has no fault injection/);
  });

  test('rejects a route fault on Linkerd', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => reviewsService(c).addRoute({ matches: [JASON], to: RouteTo.version('v1'), fault: FaultInjection.abort(500) }))
      .toThrow(/fault cannot be rendered for linkerd: Linkerd's proxy has no fault injection/);
  });

  test('rejects a route fault on the Gateway API', () => {
    const c = meshChart(Mesh.GATEWAY_API);
    expect(() => reviewsService(c).addRoute({ matches: [JASON], to: RouteTo.version('v1'), fault: FaultInjection.abort(500) }))
      .toThrow(/fault cannot be rendered for the Gateway API \(GAMMA\): the Gateway API has no fault injection/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.problems()).toEqual([]);
});
