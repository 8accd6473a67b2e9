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
        message: 'routes host reviews.default.svc.cluster.local for sidecars, and so does VirtualService default/reviews-canary; Istio applies only one of them to sidecars (istio#22997). Fix: merge the routes into one VirtualService per host (attach every intent to the same MeshService), bind all but one to gateways, or narrow their exportTo',
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

  test('exportTo scopes hosts: VirtualServices exported to their own namespaces never meet', () => {
    const vs = (name: string, ns: string, hosts: string[], exportTo?: string[]) =>
      ({ ...virtualService(name, { hosts, http: [route({ host: 'ratings.team1.svc.cluster.local' })] }, ns), spec: { hosts, exportTo, http: [route({ host: 'ratings.team1.svc.cluster.local' })] } });
    expect(run(conflictingMeshHostsAnalyzer, [vs('ratings', 'team1', ['ratings'], ['.']), vs('ratings', 'team2', ['ratings.team1.svc.cluster.local'], ['.'])])).toEqual([]);
    expect(run(conflictingMeshHostsAnalyzer, [vs('ratings', 'team1', ['ratings'], ['.']), vs('ratings', 'team2', ['ratings.team1.svc.cluster.local'], ['team1'])])
      .map((f) => f.resource)).toEqual(['VirtualService team1/ratings', 'VirtualService team2/ratings']);
  });

  test('a host exported to a namespace conflicts with an overlapping wildcard exported everywhere', () => {
    const local = { ...virtualService('api', { hosts: ['api.example.com'] }, 'shop'), spec: { hosts: ['api.example.com'], exportTo: ['.'], http: [route({ host: 'api.example.com' })] } };
    const all = virtualService('all', { hosts: ['*.example.com'], http: [route({ host: 'api.example.com' })] }, 'edge');
    const findings = run(conflictingMeshHostsAnalyzer, [local, all]);
    expect(findings.map((f) => f.resource)).toEqual(['VirtualService shop/api', 'VirtualService edge/all']);
    expect(findings[0].message).toMatch(/^routes host api.example.com \(in namespace shop\) for sidecars, and so does VirtualService edge\/all/);
  });
});
