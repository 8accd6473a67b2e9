import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { sharedDir } from '../../scripts/target-crds';
import { Mesh } from '../../src/core/mesh';
import { missing } from '../../src/target/feature-support';
import * as features from '../../src/target/features';
import { Feature, FEATURES } from '../../src/target/features';
import { MeshTarget } from '../../src/target/mesh-target';
import { GatewayApiChannel, GatewayApiVersion, IstioVersion, LinkerdVersion } from '../../src/target/versions';

const targets = fc.record({
  istio: fc.constantFrom(...IstioVersion.SUPPORTED),
  gatewayApi: fc.constantFrom(...GatewayApiVersion.SUPPORTED),
  gatewayApiChannel: fc.constantFrom(GatewayApiChannel.STANDARD, GatewayApiChannel.EXPERIMENTAL),
  linkerd: fc.constantFrom(...LinkerdVersion.SUPPORTED),
}).map((p) => MeshTarget.of(p));
const meshes = fc.constantFrom(...Object.values(Mesh));

test('a feature available at a target stays available when any release is raised or the experimental channel is added', () => {
  fc.assert(fc.property(fc.constantFrom(...FEATURES), targets, meshes, (f, t, mesh) => {
    if (missing(f, t, mesh) !== undefined) return;
    for (const newer of [
      t.with({ gatewayApi: GatewayApiVersion.LATEST }), t.with({ istio: IstioVersion.LATEST }), t.with({ linkerd: LinkerdVersion.LATEST }),
      t.with({ gatewayApiChannel: GatewayApiChannel.EXPERIMENTAL }),
    ]) expect(missing(f, newer, mesh)).toBeUndefined();
  }));
});

test('every feature has a title, a field, a source and what happens without it; the table lists every feature once', () => {
  const declared = Object.values(features).filter((v): v is Feature => typeof v === 'object' && v !== null && 'field' in v);
  expect(new Set(FEATURES)).toEqual(new Set(declared));
  expect(new Set(FEATURES).size).toBe(FEATURES.length);
  for (const f of FEATURES) for (const key of ['title', 'field', 'otherwise', 'source'] as const) expect(f[key].length).toBeGreaterThan(3);
});

test('the newest target has every feature in the standard channel except those only experimental', () => {
  for (const f of FEATURES) {
    expect(missing(f, MeshTarget.LATEST, Mesh.ISTIO) === undefined).toBe(f.gatewayApi?.standard !== undefined);
  }
});

// The table agrees with the CRDs of each release (only where ../shared is beside this clone).
const shared = sharedDir();
(shared ? describe : describe.skip)('the feature table matches the released CRDs', () => {
  const parsed = new Map<string, any>();
  function crd(dir: string, file: string): any {
    const key = `${dir}/${file}`;
    if (!parsed.has(key)) parsed.set(key, parseCrd(dir, file));
    return parsed.get(key);
  }
  function parseCrd(dir: string, file: string): any {
    return parseAllDocuments(fs.readFileSync(path.join(shared!, 'crd-versions', dir, file), 'utf8')).map((d) => d.toJSON()).find((d) => d?.kind === 'CustomResourceDefinition');
  }
  function v1Spec(dir: string, file: string): any {
    return crd(dir, file).spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema.properties.spec.properties;
  }
  const rule = (dir: string) => v1Spec(dir, 'gateway.networking.k8s.io_httproutes.yaml').rules.items.properties;
  const probes = new Map<Feature, (dir: string) => boolean>([
    [features.HTTPROUTE_RULE_NAME, (d) => 'name' in rule(d)],
    [features.HTTPROUTE_TIMEOUTS, (d) => 'timeouts' in rule(d)],
    [features.HTTPROUTE_RETRY, (d) => 'retry' in rule(d)],
    [features.REQUEST_MIRROR_PERCENT, (d) => 'percent' in rule(d).filters.items.properties.requestMirror.properties],
    [features.REDIRECT_STATUS_EXTENDED, (d) => (rule(d).filters.items.properties.requestRedirect.properties.statusCode.enum ?? []).includes(303)],
    [features.GATEWAY_FRONTEND_TLS, (d) => 'frontend' in (v1Spec(d, 'gateway.networking.k8s.io_gateways.yaml').tls?.properties ?? {})],
    [features.REFERENCE_GRANT_V1, (d) => crd(d, 'gateway.networking.k8s.io_referencegrants.yaml').spec.versions.some((v: any) => v.name === 'v1' && v.served)],
  ]);

  test.each(FEATURES.map((f) => [f.title, f] as const))('%s', (_title, f) => {
    const probe = probes.get(f);
    expect(probe).toBeDefined();
    for (const channel of Object.values(GatewayApiChannel)) {
      for (const v of GatewayApiVersion.SUPPORTED) {
        const dir = `gateway-api-${v}-${channel}`;
        const tableSays = missing(f, MeshTarget.of({ gatewayApi: v, gatewayApiChannel: channel }), Mesh.GATEWAY_API) === undefined;
        expect(`${dir}: ${probe!(dir)}`).toBe(`${dir}: ${tableSays}`);
      }
    }
  });

  test('Linkerd bundles HTTPRoute CRDs without the fields the table keeps from it', () => {
    for (const v of LinkerdVersion.SUPPORTED) {
      const dir = `linkerd-${v}`;
      const r = rule(dir);
      for (const f of FEATURES.filter((x) => x.readByLinkerd)) {
        const has = f === features.HTTPROUTE_RULE_NAME ? 'name' in r : f === features.REQUEST_MIRROR_PERCENT ? 'percent' in r.filters.items.properties.requestMirror.properties
          : f === features.REDIRECT_STATUS_EXTENDED ? r.filters.items.properties.requestRedirect.properties.statusCode.enum.includes(303)
            : f === features.HTTPROUTE_TIMEOUTS ? 'timeouts' in r : 'retry' in r;
        expect(`${dir} ${f.title}: ${has}`).toBe(`${dir} ${f.title}: ${missing(f, MeshTarget.of({ linkerd: v }), Mesh.LINKERD) === undefined}`);
      }
    }
  });
});
