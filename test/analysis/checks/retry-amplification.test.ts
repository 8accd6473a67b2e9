import { retryAmplificationAnalyzer } from '../../../src/analysis/checks/retry-amplification';
import { Severity } from '../../../src/analysis/finding';
import { Manifest } from '../../../src/analysis/manifest';
import { deployment, route, service, virtualService } from '../fixtures';
import { run } from './helpers';

/** An ALLOW policy on `app` pods for callers running as the given service accounts (fixtures use the app name). */
function allow(app: string, ...callerAccounts: string[]): Manifest {
  return {
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: app, namespace: 'default' },
    spec: { selector: { matchLabels: { app } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: callerAccounts.map((sa) => `cluster.local/ns/default/sa/${sa}`) } }] }] },
  };
}

function retrying(host: string, attempts: number, retryOn?: string): any {
  return { ...route({ host }), retries: { attempts, ...(retryOn ? { retryOn } : {}) } };
}

/** productpage → reviews → ratings, with workloads, Services and the ALLOW policies that declare the calls. */
function bookinfo(reviewsRoute: any, ratingsRoute: any, edge?: any): Manifest[] {
  const apps = ['productpage', 'reviews', 'ratings'];
  return [
    ...apps.flatMap((a) => [service(a, [{ port: 9080, name: 'http' }]), deployment(a, { app: a })]),
    allow('reviews', 'productpage'), allow('ratings', 'reviews'),
    virtualService('reviews', { hosts: ['reviews'], http: [reviewsRoute] }),
    virtualService('ratings', { hosts: ['ratings'], http: [ratingsRoute] }),
    ...(edge ? [virtualService('edge', { hosts: ['bookinfo.example.com'], gateways: ['bookinfo-gateway'], http: [edge] })] : []),
  ];
}

describe('MESH0106 retries at several hops', () => {
  test('retries on reviews and ratings multiply: one finding on the innermost route with the factor', () => {
    const findings = run(retryAmplificationAnalyzer, bookinfo(retrying('reviews', 2, '5xx'), retrying('ratings', 3, '5xx,reset')));
    expect(findings).toEqual([{
      code: 'MESH0106', severity: Severity.WARNING, resource: 'VirtualService default/ratings',
      message: 'retries at several hops of the call chain productpage → reviews (2 retries, VirtualService default/reviews) → ratings (3 retries, VirtualService default/ratings) multiply: '
        + 'one request can become up to 12 requests at the last of them. Fix: retry at one hop (usually the caller closest to the user) and set retries.attempts to 0, or retryOn to connect-failure,refused-stream, at the others',
    }]);
  });

  test('the ingress route counts as a hop', () => {
    const findings = run(retryAmplificationAnalyzer, bookinfo(route({ host: 'reviews' }), retrying('ratings', 1, '5xx'), retrying('productpage', 2, 'gateway-error')));
    expect(findings.map((f) => f.message.split(' multiply')[0])).toEqual([
      'retries at several hops of the call chain ingress (VirtualService default/edge) → productpage (2 retries, VirtualService default/edge) → reviews → ratings (1 retries, VirtualService default/ratings)',
    ]);
    expect(findings[0].message).toContain('up to 6 requests');
  });

  test('retries at one hop, attempts 0, or connection-failure retries elsewhere are fine', () => {
    expect(run(retryAmplificationAnalyzer, bookinfo(retrying('reviews', 2, '5xx'), route({ host: 'ratings' })))).toEqual([]);
    expect(run(retryAmplificationAnalyzer, bookinfo(retrying('reviews', 2, '5xx'), { ...route({ host: 'ratings' }), retries: { attempts: 0 } }))).toEqual([]);
    expect(run(retryAmplificationAnalyzer, bookinfo(retrying('reviews', 2, '5xx'), retrying('ratings', 3, 'connect-failure,refused-stream')))).toEqual([]);
  });

  test('without the policies that declare the calls, no chain is seen', () => {
    const set = bookinfo(retrying('reviews', 2, '5xx'), retrying('ratings', 3)).filter((m) => m.kind !== 'AuthorizationPolicy');
    expect(run(retryAmplificationAnalyzer, set)).toEqual([]);
  });

  test('retries with no retryOn count (Istio\'s default conditions include gRPC unavailable and retriable codes)', () => {
    expect(run(retryAmplificationAnalyzer, bookinfo(retrying('reviews', 1), retrying('ratings', 1)))).toHaveLength(1);
  });
});
