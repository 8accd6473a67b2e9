import { Duration, Testing } from 'cdk8s';
import { VirtualService } from '../../src/istio/virtual-service';
import { RedirectScheme } from '../../src/traffic/route-action';
import { meshChart } from '../support/charts';

describe('VirtualService: a route that delegates to another VirtualService', () => {
  test('renders delegate (and what Istio merges into the delegate\'s routes: the timeout)', () => {
    const chart = meshChart();
    new VirtualService(chart, 'vs', { hosts: ['reviews'], http: [{ name: 'flagger', delegate: { name: 'reviews', namespace: 'bookinfo' }, timeout: Duration.seconds(2) }] });
    const [vs] = Testing.synth(chart);
    expect(vs.spec.http).toEqual([{ name: 'flagger', delegate: { name: 'reviews', namespace: 'bookinfo' }, timeout: '2s' }]);
  });

  test.each<[string, string, object, RegExp]>([
    ['with destinations (Istio: a root route must not specify route)', 'reviews', { destinations: [{ host: 'reviews' }] }, /http\[0\] needs exactly one of destinations, redirect, directResponse and delegate, got destinations and delegate/],
    ['with a redirect', 'reviews', { redirect: { scheme: RedirectScheme.HTTPS } }, /got redirect and delegate/],
    ['to a name no VirtualService can have', 'Reviews_VS', {}, /http\[0\]\.delegate\.name/],
  ])('is refused %s', (_name, delegateName, extra, message) => {
    const chart = meshChart();
    expect(() => new VirtualService(chart, 'vs', { hosts: ['reviews'], http: [{ delegate: { name: delegateName }, ...extra }] })).toThrow(message);
  });
});
