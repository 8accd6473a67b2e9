import { ApiObject, JsonPatch, Size, Testing } from 'cdk8s';
import fc from 'fast-check';
import { MeshConfigError } from '../../src/core/errors';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads, ServiceWorkloadsProps, VersionWorkload } from '../../src/service/service-workloads';
import { HorizontalAutoscaling, VpaUpdateMode } from '../../src/service/workload-autoscaling';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const img = 'ghcr.io/acme/app:1';

function build(versions: Array<Partial<VersionWorkload>>, props: Partial<ServiceWorkloadsProps> = {}) {
  const chart = meshChart();
  const s = new MeshService(chart, 'app', { ports: [ServicePort.http(8080)], versions: versions.map((_, i) => `v${i + 1}`) });
  const w = new ServiceWorkloads(chart, 'w', { service: s, versions: versions.map((v, i) => ({ version: `v${i + 1}`, image: img, ...v })), ...props });
  return { chart, w };
}

function render(versions: Array<Partial<VersionWorkload>>, props: Partial<ServiceWorkloadsProps> = {}) {
  const { chart, w } = build(versions, props);
  const objects = Testing.synth(chart);
  return { w, objects, deployments: ofKind(objects, 'Deployment'), hpas: ofKind(objects, 'HorizontalPodAutoscaler'), vpas: ofKind(objects, 'VerticalPodAutoscaler') };
}

describe('ServiceWorkloads autoscaling', () => {
  test('autoscaling: {} gives each version an HPA named after its Deployment (2..10 pods at 60% CPU) and the Deployment no replicas', () => {
    const { objects, deployments, hpas, vpas } = render([{}, {}], { autoscaling: {} });
    batch.add('defaults', objects);
    expect(deployments.map((d) => d.spec.replicas)).toEqual([undefined, undefined]);
    expect(hpas.map((h) => h.metadata)).toEqual([
      { name: 'app-v1', namespace: 'bookinfo', labels: { app: 'app', version: 'v1' } },
      { name: 'app-v2', namespace: 'bookinfo', labels: { app: 'app', version: 'v2' } },
    ]);
    expect(hpas[0].apiVersion).toBe('autoscaling/v2');
    expect(hpas[0].spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app-v1' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
    expect(vpas).toEqual([]);
    expect(objects).toMatchSnapshot();
  });

  test('the autoscalers follow a chosen Deployment name', () => {
    const { hpas, vpas } = render([{ deploymentName: 'legacy-app' }], { autoscaling: {}, verticalAutoscaling: {} });
    expect([hpas[0].metadata.name, hpas[0].spec.scaleTargetRef.name, vpas[0].metadata.name, vpas[0].spec.targetRef.name]).toEqual(['legacy-app', 'legacy-app', 'legacy-app', 'legacy-app']);
  });

  test('without autoscaling nothing changes: fixed replicas, no autoscaler', () => {
    const { w, deployments, hpas, vpas } = render([{}]);
    expect(deployments[0].spec.replicas).toBe(1);
    expect(hpas).toEqual([]);
    expect(vpas).toEqual([]);
    expect(w.horizontalAutoscaler('v1')).toBeUndefined();
  });

  test('a version refines the service-wide settings; a version with its own replicas keeps a fixed count', () => {
    const { w, objects, deployments, hpas } = render([
      { autoscaling: { maxReplicas: 5, memoryUtilization: 80 } },
      { replicas: 3 },
      {},
    ], { autoscaling: { minReplicas: 3, cpuUtilization: 70 } });
    batch.add('per-version', objects);
    expect(hpas.map((h) => h.metadata.name)).toEqual(['app-v1', 'app-v3']);
    expect(hpas[0].spec).toMatchObject({ minReplicas: 3, maxReplicas: 5 });
    expect(hpas[0].spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(hpas[1].spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(deployments.map((d) => d.spec.replicas)).toEqual([undefined, 3, undefined]);
    expect(w.horizontalAutoscaler('v1')).toBeInstanceOf(ApiObject);
    expect(w.horizontalAutoscaler('v2')).toBeUndefined();
    expect(objects).toMatchSnapshot();
  });

  test('a version autoscales alone; minReplicas above 10 raises the default maximum with it', () => {
    const { hpas, deployments } = render([{ autoscaling: { minReplicas: 12 } }, {}]);
    expect(hpas.map((h) => [h.metadata.name, h.spec.minReplicas, h.spec.maxReplicas])).toEqual([['app-v1', 12, 12]]);
    expect(deployments.map((d) => d.spec.replicas)).toEqual([undefined, 1]);
  });

  test('utilization may exceed 100% up to the limit\'s share of the request', () => {
    const { hpas } = render([{ autoscaling: { cpuUtilization: 1000, memoryUtilization: 400 } }]);
    expect(hpas[0].spec.metrics.map((m: any) => m.resource.target.averageUtilization)).toEqual([1000, 400]);
  });

  test('a VerticalPodAutoscaler only recommends by default, beside the HPA on CPU', () => {
    const { w, objects, vpas, hpas } = render([{}], { autoscaling: {}, verticalAutoscaling: {} });
    expect(hpas).toHaveLength(1);
    expect(vpas).toEqual([{
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      metadata: { name: 'app-v1', namespace: 'bookinfo', labels: { app: 'app', version: 'v1' } },
      spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app-v1' }, updatePolicy: { updateMode: 'Off' } },
    }]);
    expect(w.verticalAutoscaler('v1')).toBeInstanceOf(ApiObject);
    expect(objects).toMatchSnapshot();
  });

  test('an updating VPA is allowed on a version no HPA scales', () => {
    const { vpas, hpas } = render([{}, { replicas: 2, verticalAutoscaling: { updateMode: VpaUpdateMode.IN_PLACE_OR_RECREATE } }], { autoscaling: {} });
    expect(hpas.map((h) => h.metadata.name)).toEqual(['app-v1']);
    expect(vpas.map((v) => [v.metadata.name, v.spec.updatePolicy.updateMode])).toEqual([['app-v2', 'InPlaceOrRecreate']]);
  });

  test('synthesizing twice gives the same output', () => {
    const { chart } = build([{}], { autoscaling: { memoryUtilization: 90 }, verticalAutoscaling: {} });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });

  describe('refused', () => {
    const make = (v: Partial<VersionWorkload>, props: Partial<ServiceWorkloadsProps> = {}) => () => render([v], props);
    test('minReplicas 0', () => expect(make({ autoscaling: { minReplicas: 0 } })).toThrow(/test\/w: versions\[0\]\.autoscaling\.minReplicas must be a whole number from 1 to 1000, got 0/));
    test('maxReplicas below minReplicas, with the fix', () => expect(make({}, { autoscaling: { minReplicas: 5, maxReplicas: 3 } })).toThrow(/test\/w: autoscaling\.maxReplicas \(3\) is below minReplicas \(5\)\. Fix: raise maxReplicas to at least 5/));
    test('a fractional target', () => expect(make({ autoscaling: { cpuUtilization: 50.5 } })).toThrow(/versions\[0\]\.autoscaling\.cpuUtilization must be a whole percentage of the request from 1, got 50\.5/));
    test('a zero target', () => expect(make({}, { autoscaling: { memoryUtilization: 0 } })).toThrow(/autoscaling\.memoryUtilization must be a whole percentage of the request from 1, got 0/));
    test('a CPU target the pods cannot reach under their limit', () => expect(make({ resources: { cpuRequestMillis: 500 } }, { autoscaling: { cpuUtilization: 250 } }))
      .toThrow(/autoscaling\.cpuUtilization is 250%, which the pods can never reach: they are held at their limit, 200% of the request \(1000m limit \/ 500m request\).*Fix: pass at most 200, or raise the limit/));
    test('a memory target above the limit', () => expect(make({ autoscaling: { memoryUtilization: 401 } })).toThrow(/memoryUtilization is 401%.*400% of the request \(512Mi limit \/ 128Mi request\)/));
    test('service-wide replicas with autoscaling', () => expect(make({}, { replicas: 2, autoscaling: {} })).toThrow(/test\/w: replicas \(2\) is set together with autoscaling, which decides the count\. Fix: drop replicas/));
    test('a version\'s replicas with its own autoscaling', () => expect(make({ replicas: 2, autoscaling: {} })).toThrow(/versions\[0\]\.replicas \(2\) is set together with versions\[0\]\.autoscaling/));
    test('an updating VPA beside the HPA, with the reason and the fix', () => expect(make({ verticalAutoscaling: { updateMode: VpaUpdateMode.RECREATE } }, { autoscaling: {} }))
      .toThrow(/versions\[0\]\.verticalAutoscaling\.updateMode is "Recreate" for a Deployment that a HorizontalPodAutoscaler scales on CPU: the VPA would change the requests the HPA measures utilization against.*Fix: use VpaUpdateMode\.OFF/));
    test('an Initial VPA beside an HPA on CPU and memory', () => expect(make({}, { autoscaling: { memoryUtilization: 80 }, verticalAutoscaling: { updateMode: VpaUpdateMode.INITIAL } }))
      .toThrow(/test\/w: verticalAutoscaling\.updateMode is "Initial" for a Deployment that a HorizontalPodAutoscaler scales on CPU and memory/));
    test('an unknown update mode', () => expect(make({ verticalAutoscaling: { updateMode: 'Auto' as VpaUpdateMode } })).toThrow(/versions\[0\]\.verticalAutoscaling\.updateMode is not a VpaUpdateMode, got "Auto"/));
    test('a target on a resource whose request a patch removed', () => {
      const { chart, w } = build([{}], { autoscaling: { memoryUtilization: 80 } });
      w.deployment('v1').addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/resources/requests/memory'));
      expect(() => Testing.synth(chart)).toThrow(/autoscaling of app-v1 targets memory utilization, but the container requests no memory.*Fix: keep the memory request/);
    });
  });

  test('property: valid settings render them as given; out-of-range ones are refused with a MeshConfigError', () => {
    const valid = fc.record({
      minReplicas: fc.integer({ min: 1, max: 1000 }),
      span: fc.integer({ min: 0, max: 999 }),
      cpuUtilization: fc.integer({ min: 1, max: 1000 }),
      memoryUtilization: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    });
    const rendered: any[] = [];
    fc.assert(fc.property(valid, (r) => {
      const a: HorizontalAutoscaling = { minReplicas: r.minReplicas, maxReplicas: Math.min(1000, r.minReplicas + r.span), cpuUtilization: r.cpuUtilization, memoryUtilization: r.memoryUtilization };
      const { hpas } = render([{ autoscaling: a }]);
      expect(hpas[0].spec.minReplicas).toBe(a.minReplicas);
      expect(hpas[0].spec.maxReplicas).toBe(a.maxReplicas);
      expect(hpas[0].spec.metrics.map((m: any) => m.resource.target.averageUtilization)).toEqual([a.cpuUtilization, ...(a.memoryUtilization ? [a.memoryUtilization] : [])]);
      rendered.push(hpas[0]);
    }), { numRuns: 40 });
    batch.add('property', rendered);

    const invalid = fc.oneof(
      fc.integer({ max: 0 }).map((n) => ({ minReplicas: n })),
      fc.integer({ min: 1001 }).map((n) => ({ maxReplicas: n })),
      fc.integer({ min: 2, max: 1000 }).map((n) => ({ minReplicas: n, maxReplicas: n - 1 })),
      fc.integer({ min: 1001 }).map((n) => ({ cpuUtilization: n })),
      fc.integer({ max: 0 }).map((n) => ({ cpuUtilization: n })),
      fc.double({ min: 1, max: 99, noInteger: true }).map((n) => ({ memoryUtilization: n })),
    );
    fc.assert(fc.property(invalid, (a) => {
      expect(() => build([{ autoscaling: a }])).toThrow(MeshConfigError);
    }), { numRuns: 60 });
  });

  test('smaller requests than limits leave room: a 1 GiB limit over a 256 MiB request allows 400%', () => {
    const { hpas } = render([{ resources: { memoryRequest: Size.mebibytes(256), memoryLimit: Size.gibibytes(1) }, autoscaling: { memoryUtilization: 400 } }]);
    expect(hpas[0].spec.metrics[1].resource.target.averageUtilization).toBe(400);
  });

  test('all scenarios are schema-valid', () => {
    expect(batch.size).toBeGreaterThanOrEqual(3);
    expect(batch.problems()).toEqual([]);
  });
});
