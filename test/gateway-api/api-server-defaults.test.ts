import * as fs from 'fs';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { HttpRoute } from '../../src/gateway-api/http-route';
import { ParentRef } from '../../src/gateway-api/parent-ref';
import { LinkerdServer } from '../../src/security/linkerd/server';
import { LinkerdServerRoute } from '../../src/security/linkerd/http-route';
import { HttpMethod, Match } from '../../src/traffic/match';
import { meshChart } from '../support/charts';

const CATCH_ALL = { path: { type: 'PathPrefix', value: '/' } };

// HTTPRoutes are rendered as the API server stores them, so that Argo CD sees no drift inside
// spec.rules[] (custom resources are merge-patched: lists are compared whole).
test('a backend without weight gets weight 1, a rule without matches the catch-all, a match without a path PathPrefix /', () => {
  const chart = meshChart();
  new HttpRoute(chart, 'r', {
    parents: [ParentRef.service('reviews', { port: 9080 })],
    rules: [
      { matches: [Match.header('end-user').exact('jason')], backends: [{ name: 'reviews-v2', port: 9080 }] },
      { backends: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v3', port: 9080, weight: 10 }] },
    ],
  });
  const [route] = Testing.synth(chart);
  expect(route.spec.rules[0].matches).toEqual([{ ...CATCH_ALL, headers: [{ type: 'Exact', name: 'end-user', value: 'jason' }] }]);
  expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews-v2', port: 9080, weight: 1 }]);
  expect(route.spec.rules[1].matches).toEqual([CATCH_ALL]);
  expect(route.spec.rules[1].backendRefs.map((b: any) => b.weight)).toEqual([90, 10]);
});

test('a Linkerd Server route matching a method only gets the default path', () => {
  const chart = meshChart();
  const server = new LinkerdServer(chart, 'server', { podSelector: { app: 'authors' }, port: 7001 });
  new LinkerdServerRoute(chart, 'get', { server, matches: [{ method: HttpMethod.GET }] });
  const route = Testing.synth(chart).find((o: any) => o.kind === 'HTTPRoute');
  expect(route.spec.rules[0].matches).toEqual([{ ...CATCH_ALL, method: 'GET' }]);
});

// The defaults above are the CRDs' own (checked when ../shared is beside the repository).
const crd = '/work/shared/crds/gateway-api/httproutes.yaml';
(fs.existsSync(crd) ? test : test.skip)('they are the defaults of the Gateway API HTTPRoute CRD', () => {
  const doc = YAML.parseAllDocuments(fs.readFileSync(crd, 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'CustomResourceDefinition');
  const rules = doc.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema.properties.spec.properties.rules.items.properties;
  expect(rules.matches.default).toEqual([CATCH_ALL]);
  expect(rules.matches.items.properties.path.default).toEqual(CATCH_ALL.path);
  expect(rules.backendRefs.items.properties.weight.default).toBe(1);
  expect(rules.backendRefs.items.properties.group.default).toBe('');
  expect(rules.backendRefs.items.properties.kind.default).toBe('Service');
});
