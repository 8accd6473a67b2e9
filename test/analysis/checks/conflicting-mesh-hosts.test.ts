import { conflictingMeshHostsAnalyzer } from '../../../src/analysis/checks/conflicting-mesh-hosts';
import { Severity } from '../../../src/analysis/finding';
import { route, virtualService } from '../fixtures';
import { run } from './helpers';

describe('IST0109 two mesh VirtualServices for one host', () => {
  test('short and fully qualified names of one host conflict; each VirtualService is reported', () => {
    const findings = run(conflictingMeshHostsAnalyzer, [
      virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews' })] }),
      virtualService('reviews-canary', { hosts: ['reviews.default.svc.cluster.local'], gateways: ['mesh'], http: [route({ host: 'reviews' })] }),
    ]);
    expect(findings).toEqual([
      {
        code: 'IST0109', severity: Severity.ERROR, resource: 'VirtualService default/reviews',
        message: 'routes host reviews.default.svc.cluster.local for sidecars, and so does VirtualService default/reviews-canary; Istio applies only one of them to sidecars (istio#22997). Fix: merge the routes into one VirtualService per host (attach every intent to the same MeshService), or bind all but one to gateways',
      },
      expect.objectContaining({ resource: 'VirtualService default/reviews-canary', code: 'IST0109' }),
    ]);
  });

  test('gateway-only VirtualServices and different namespaces do not conflict', () => {
    expect(run(conflictingMeshHostsAnalyzer, [
      virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews' })] }),
      virtualService('reviews-edge', { hosts: ['reviews'], gateways: ['istio-system/public'], http: [route({ host: 'reviews' })] }),
      virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews' })] }, 'other'),
    ])).toEqual([]);
  });
});
