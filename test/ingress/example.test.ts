import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createApp } from '../../examples/ingress-egress/main';
import { SchemaBatch } from '../support/schema';

// The ingress-egress example: deterministic, schema-valid, and the kinds each chart promises.
function build(): Record<string, any[]> {
  const app = createApp(fs.mkdtempSync(path.join(os.tmpdir(), 'ingress-egress-')));
  return Object.fromEntries(app.charts.map((c) => [c.node.id, c.toJson()]));
}

test('the example synthesizes to identical output twice', () => {
  expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
});

test('each chart holds the resources of its scenario and all are schema-valid', () => {
  const charts = build();
  const kinds = (id: string) => [...new Set(charts[id].map((o) => o.kind))].filter((k) => !['Deployment', 'Service', 'ServiceAccount'].includes(k));
  expect(Object.keys(charts)).toEqual(['ingress-tls-istio', 'ingress-mtls-istio', 'ingress-tls-gateway-api', 'ingress-mtls-gateway-api', 'ingress-gateway-api-on-istio', 'egress-istio']);
  expect(kinds('ingress-tls-istio')).toEqual(['DestinationRule', 'Gateway', 'VirtualService']);
  expect(kinds('ingress-tls-gateway-api')).toEqual(['Gateway', 'HTTPRoute', 'ReferenceGrant']);
  expect(kinds('ingress-gateway-api-on-istio')).toEqual(['DestinationRule', 'Gateway', 'HTTPRoute']);
  expect(kinds('egress-istio')).toEqual(['ServiceEntry', 'VirtualService', 'DestinationRule', 'Gateway', 'Sidecar']);
  const batch = new SchemaBatch();
  for (const [id, objects] of Object.entries(charts)) batch.add(id, objects);
  expect(batch.problems()).toEqual([]);
});
