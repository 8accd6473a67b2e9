import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { analyze } from '../../src/analysis/analyze';
import { Severity } from '../../src/analysis/finding';
import { MeshConfigError } from '../../src/core/errors';
import { Mesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { HttpMethod, Match } from '../../src/traffic/match';
import { Mirror } from '../../src/traffic/mirror';
import { Destination, RouteTo } from '../../src/traffic/route-action';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

// Random routing tables: any valid combination of matches, splits, timeouts and mirrors renders
// manifests that are schema-valid and that the analysis finds no error in; invalid splits fail
// with a MeshConfigError naming the service, never with YAML.

const VERSIONS = ['v1', 'v2', 'v3'];
const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const pathSegment = fc.stringMatching(/^[a-z0-9]{1,8}$/);

const matchArb: fc.Arbitrary<Match> = fc.oneof(
  fc.tuple(token, fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/)).map(([h, v]) => Match.header(h).exact(v)),
  fc.tuple(token, fc.stringMatching(/^[A-Za-z0-9]{1,6}$/)).map(([h, v]) => Match.header(h).prefix(v)),
  fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((s) => Match.path.prefix(`/${s.join('/')}`)),
  fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((s) => Match.path.exact(`/${s.join('/')}`)),
  fc.constantFrom(...Object.values(HttpMethod)).map((m) => Match.method(m)),
  fc.tuple(token, pathSegment).map(([q, v]) => Match.queryParam(q).exact(v)),
);

/** Whole-number percentages over a subset of the versions, summing to 100. */
const splitArb: fc.Arbitrary<Record<string, number>> = fc.subarray(VERSIONS, { minLength: 1 }).chain((versions) =>
  fc.array(fc.integer({ min: 1, max: 100 }), { minLength: versions.length, maxLength: versions.length }).map((raw) => {
    const total = raw.reduce((a, b) => a + b, 0);
    const weights = raw.map((r) => Math.floor((r * 100) / total));
    weights[0] += 100 - weights.reduce((a, b) => a + b, 0);
    return Object.fromEntries(versions.map((v, i) => [v, weights[i]]));
  }));

const routeArb = fc.record({
  matches: fc.array(matchArb, { minLength: 1, maxLength: 3 }),
  split: splitArb,
  timeoutMs: fc.option(fc.integer({ min: 1, max: 600_000 }), { nil: undefined }),
});

const tableArb = fc.record({
  routes: fc.array(routeArb, { maxLength: 6 }),
  defaultSplit: fc.option(splitArb, { nil: undefined }),
  mirrorPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
});

type Table = typeof tableArb extends fc.Arbitrary<infer T> ? T : never;

function build(mesh: Mesh, table: Table): any[] {
  const chart = meshChart(mesh);
  const svc = new MeshService(chart, 'svc', { ports: [ServicePort.http(8080)], versions: VERSIONS });
  const seen = new Set<string>();
  for (const r of table.routes) {
    const matches = r.matches.filter((m) => !seen.has(m.toString()) && seen.add(m.toString()));
    if (matches.length === 0) continue;
    // Linkerd reads timeouts in one unit of at most five digits: longer ones in whole seconds.
    const timeoutMs = mesh === Mesh.LINKERD && r.timeoutMs && r.timeoutMs > 99_999 ? Math.round(r.timeoutMs / 1000) * 1000 : r.timeoutMs;
    svc.addRoute({ matches, to: RouteTo.split(r.split), timeout: timeoutMs ? Duration.millis(timeoutMs) : undefined });
  }
  if (table.defaultSplit) {
    const mirrorTo = VERSIONS.find((v) => !(v in table.defaultSplit!));
    const mirror = mirrorTo && table.mirrorPercent !== undefined && mesh !== Mesh.LINKERD ? Mirror.to(Destination.version(mirrorTo), table.mirrorPercent) : undefined;
    svc.setDefaultRoute(RouteTo.split(table.defaultSplit), { mirror });
  }
  return Testing.synth(chart);
}

describe.each([Mesh.ISTIO, Mesh.GATEWAY_API, Mesh.LINKERD])('random routing tables on %s', (mesh) => {
  const batch = new SchemaBatch();

  test('render one routing resource for the host, with no analysis errors', () => {
    fc.assert(fc.property(tableArb, (table) => {
      const objects = build(mesh, table);
      batch.add(JSON.stringify(table).slice(0, 80), objects);
      const routing = objects.filter((o) => o.kind === 'VirtualService' || o.kind === 'HTTPRoute');
      expect(routing.length).toBeLessThanOrEqual(1);
      const rules = routing[0]?.spec.http ?? routing[0]?.spec.rules ?? [];
      if (routing.length) expect(rules.length).toBeGreaterThanOrEqual(1);
      for (const rule of rules) {
        const weights = (rule.route ?? rule.backendRefs ?? []).map((d: any) => d.weight ?? 100);
        if (weights.length > 1) expect(weights.reduce((a: number, b: number) => a + b, 0)).toBe(100);
      }
      expect(analyze(objects, { knownHosts: ['svc.bookinfo.svc.cluster.local', ...VERSIONS.map((v) => `svc-${v}.bookinfo.svc.cluster.local`)] })
        .filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    }), { numRuns: 60 });
  });

  test('the rendered manifests are valid against the CRD schemas', () => {
    expect(batch.size).toBeGreaterThan(0);
    expect(batch.problems()).toEqual([]);
  });
});

test('on Linkerd, a timeout with no single-unit form always fails with a MeshConfigError naming the route', () => {
  const multiUnit = fc.integer({ min: 100_001, max: 10_000_000 }).filter((ms) => ms % 1000 !== 0);
  fc.assert(fc.property(multiUnit, (ms) => {
    const add = () => new MeshService(meshChart(Mesh.LINKERD), 'svc', { ports: [ServicePort.http(8080)], versions: VERSIONS }).addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.version('v1'), timeout: Duration.millis(ms) });
    expect(add).toThrow(MeshConfigError);
    expect(add).toThrow(new RegExp(`test/svc: timeout cannot be rendered for linkerd: ${ms}ms has no single-unit form.*Fix: round it`));
  }), { numRuns: 50 });
});

test('splits that do not sum to 100 always fail with a MeshConfigError naming the service', () => {
  const badSplit = fc.dictionary(fc.constantFrom(...VERSIONS), fc.integer({ min: 0, max: 100 }), { minKeys: 1 })
    .filter((w) => Object.values(w).reduce((a, b) => a + b, 0) !== 100);
  fc.assert(fc.property(badSplit, (weights) => {
    const svc = new MeshService(meshChart(), 'svc', { ports: [ServicePort.http(8080)], versions: VERSIONS });
    let error: unknown;
    try {
      svc.setDefaultRoute(RouteTo.split(weights));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MeshConfigError);
    expect((error as Error).message).toMatch(/^test\/svc: weights must sum to 100, got \d+ \(.*\)\. Fix: /);
  }), { numRuns: 100 });
});
