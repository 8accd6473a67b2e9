// The fixtures the analyzer tests build their scenarios from must be valid objects themselves.
import { SchemaBatch } from '../support/schema';
import * as f from './fixtures';

test('every fixture builder renders schema-valid objects', () => {
  const batch = new SchemaBatch();
  batch.add('fixtures', [
    ...f.healthyReviews('bookinfo'),
    f.virtualService('ingress', { hosts: ['bookinfo.example.com'], gateways: ['istio-system/public'], http: [f.route({ host: 'productpage', port: 9080 })] }),
    f.gateway('public', ['bookinfo.example.com', 'shop/*.example.com']),
    f.serviceEntry('httpbin', ['httpbin.org'], [443, 80]),
    f.httpRoute('reviews', 'reviews', [{ name: 'reviews-v1', weight: 90 }, { name: 'reviews-v2', weight: 10 }]),
    f.authorizationPolicy('reviews', { app: 'reviews' }),
    f.sidecar('reviews', { app: 'reviews' }),
    f.service('db', [{ port: 5432, name: 'tcp-pg' }, { port: 9187, name: 'metrics', appProtocol: 'http' }]),
  ]);
  expect(batch.problems()).toEqual([]);
});
