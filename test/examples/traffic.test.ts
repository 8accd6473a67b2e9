import { createApp } from '../../examples/traffic/main';
import { ExampleApp } from '../support/example-app';
import { SchemaBatch } from '../support/schema';

const example = new ExampleApp('traffic', createApp);
const charts = Object.fromEntries(example.charts);
const find = (chart: string, kind: string, name: string): any => example.chart(chart).find((o: any) => o.kind === kind && o.metadata.name === name);

test('one chart per pattern and mesh', () => {
  expect(Object.keys(charts).sort()).toEqual([
    'ab-test-istio', 'blue-green-gamma', 'blue-green-istio', 'canary-gamma', 'canary-istio', 'content-routing-gamma', 'content-routing-istio',
    'load-balancing-istio', 'mirror-gamma', 'mirror-istio', 'strangler-fig-gamma', 'strangler-fig-istio',
  ]);
});

test('the canary is at 10% on both meshes', () => {
  expect(find('canary-istio', 'VirtualService', 'catalog').spec.http[1].route.map((r: any) => r.weight)).toEqual([90, 10]);
  expect(find('canary-gamma', 'HTTPRoute', 'catalog').spec.rules[1].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['catalog-v1', 90], ['catalog-v2', 10]]);
});

test('GAMMA charts get the per-version Services their routes name', () => {
  expect(find('canary-gamma', 'Service', 'catalog-v2').spec.selector).toEqual({ app: 'catalog', version: 'v2' });
  expect(find('canary-istio', 'Service', 'catalog-v2')).toBeUndefined();
});

test('each chart holds one routing resource per host', () => {
  for (const [name, objects] of Object.entries(charts)) {
    const hosts = objects.filter((o: any) => o.kind === 'VirtualService' || o.kind === 'HTTPRoute').map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect([name, new Set(hosts).size]).toEqual([name, hosts.length]);
  }
});

test('every chart is valid against the CRD and Kubernetes schemas', () => {
  const batch = new SchemaBatch();
  for (const [name, objects] of Object.entries(charts)) batch.add(name, objects);
  expect(batch.problems()).toEqual([]);
});
