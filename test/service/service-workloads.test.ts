import { Chart, Size, Testing } from 'cdk8s';
import fc from 'fast-check';
import { Mesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads, SidecarInjection, VersionWorkload } from '../../src/service/service-workloads';
import { CircuitBreakerPolicy } from '../../src/resilience/circuit-breaker-policy';
import { CircuitBreakerPreset } from '../../src/resilience/circuit-breaker-preset';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const image = (v: string) => `docker.io/istio/examples-bookinfo-reviews-${v}:1.20.3`;

function reviewsWorkloads(chart: Chart, extra: Partial<{ perVersionServices: boolean; sidecarInjection: SidecarInjection }> = {}) {
  const s = reviewsService(chart);
  const w = new ServiceWorkloads(chart, 'reviews-workloads', {
    service: s,
    versions: ['v1', 'v2', 'v3'].map((v) => ({ version: v, image: image(v), env: { LOG_DIR: '/tmp/logs' }, writableDirectories: ['/tmp', '/opt/ibm/wlp/output'] })),
    ...extra,
  });
  return { s, w };
}

describe('ServiceWorkloads', () => {
  test('Istio: ServiceAccount, Service and one Deployment per version, no per-version Services', () => {
    const chart = meshChart(Mesh.ISTIO);
    reviewsWorkloads(chart);
    const objects = batch.add('istio', Testing.synth(chart));
    expect(ofKind(objects, 'ServiceAccount')).toEqual([{
      apiVersion: 'v1', kind: 'ServiceAccount',
      metadata: { name: 'bookinfo-reviews', namespace: 'bookinfo', labels: { account: 'reviews' } },
      automountServiceAccountToken: false,
    }]);
    const services = ofKind(objects, 'Service');
    expect(services).toHaveLength(1);
    expect(services[0].metadata).toEqual({ name: 'reviews', namespace: 'bookinfo', labels: { app: 'reviews', service: 'reviews' } });
    expect(services[0].spec).toEqual({ selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080, targetPort: 9080, appProtocol: 'http' }] });
    const deployments = ofKind(objects, 'Deployment');
    expect(deployments.map((d) => d.metadata.name)).toEqual(['reviews-v1', 'reviews-v2', 'reviews-v3']);
    expect(objects).toMatchSnapshot();
  });

  test('a Deployment selects app + version, runs non-root with limits and the Istio injection label', () => {
    const chart = meshChart(Mesh.ISTIO);
    reviewsWorkloads(chart);
    const d = ofKind(Testing.synth(chart), 'Deployment')[1];
    expect(d.metadata.labels).toEqual({ app: 'reviews', version: 'v2' });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'reviews', version: 'v2' } });
    expect(d.spec.template.metadata).toEqual({ labels: { 'app': 'reviews', 'version': 'v2', 'sidecar.istio.io/inject': 'true' } });
    const pod = d.spec.template.spec;
    expect(pod.serviceAccountName).toBe('bookinfo-reviews');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    const [c] = pod.containers;
    expect(c).toMatchObject({
      name: 'reviews',
      image: image('v2'),
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 9080, name: 'http' }],
      env: [{ name: 'LOG_DIR', value: '/tmp/logs' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } },
    });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, capabilities: { drop: ['ALL'] },
    });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'opt-ibm-wlp-output', mountPath: '/opt/ibm/wlp/output' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'opt-ibm-wlp-output', emptyDir: {} }]);
    expect(JSON.stringify(d)).not.toContain('cdk8s.io');
  });

  test('Gateway API: per-version Services selecting app + version, no injection marker by default', () => {
    const chart = meshChart(Mesh.GATEWAY_API);
    const { w } = reviewsWorkloads(chart);
    expect(w.sidecarInjection).toBe(SidecarInjection.NONE);
    const objects = batch.add('gateway-api', Testing.synth(chart));
    const services = ofKind(objects, 'Service');
    expect(services.map((s) => s.metadata.name)).toEqual(['reviews', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
    expect(services[2].spec.selector).toEqual({ app: 'reviews', version: 'v2' });
    expect(services[2].spec.ports).toEqual([{ name: 'http', port: 9080, targetPort: 9080, appProtocol: 'http' }]);
    expect(ofKind(objects, 'Deployment')[0].spec.template.metadata).toEqual({ labels: { app: 'reviews', version: 'v1' } });
    expect(objects).toMatchSnapshot();
  });

  test('Linkerd: the inject annotation on the pod template and per-version Services', () => {
    const chart = meshChart(Mesh.LINKERD);
    reviewsWorkloads(chart);
    const objects = batch.add('linkerd', Testing.synth(chart));
    const d = ofKind(objects, 'Deployment')[0];
    expect(d.spec.template.metadata).toEqual({ labels: { app: 'reviews', version: 'v1' }, annotations: { 'linkerd.io/inject': 'enabled' } });
    expect(ofKind(objects, 'Service')).toHaveLength(4);
  });

  test('per-version Services on request for Istio; explicit injection for a GAMMA mesh', () => {
    const istio = meshChart(Mesh.ISTIO);
    reviewsWorkloads(istio, { perVersionServices: true });
    expect(ofKind(Testing.synth(istio), 'Service')).toHaveLength(4);
    const gamma = meshChart(Mesh.GATEWAY_API);
    reviewsWorkloads(gamma, { sidecarInjection: SidecarInjection.ISTIO });
    expect(ofKind(Testing.synth(gamma), 'Deployment')[0].spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('true');
  });

  test('overrides replicas, resources, user, root filesystem and pod annotations', () => {
    const chart = meshChart();
    const s = new MeshService(chart, 'productpage', { ports: [ServicePort.http(9080, { targetPort: 8080 })], versions: ['v1'] });
    new ServiceWorkloads(chart, 'w', {
      service: s,
      replicas: 2,
      runAsUser: 1337,
      resources: { cpuRequestMillis: 50, memoryLimit: Size.mebibytes(256) },
      versions: [{
        version: 'v1', image: 'ghcr.io/acme/productpage@sha256:' + 'a'.repeat(64), replicas: 3,
        resources: { cpuLimitMillis: 200 }, readOnlyRootFilesystem: false, podAnnotations: { 'prometheus.io/scrape': 'true' },
      }],
    });
    const d = ofKind(Testing.synth(chart), 'Deployment')[0];
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    const c = d.spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
    expect(c.securityContext).toMatchObject({ runAsUser: 1337, readOnlyRootFilesystem: false });
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(c.startupProbe).toEqual({ httpGet: { path: '/', port: 8080, scheme: 'HTTP' }, failureThreshold: 12, periodSeconds: 5 });
    const svc = ofKind(Testing.synth(chart), 'Service')[0];
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 9080, targetPort: 8080, appProtocol: 'http' }]);
  });

  test('pods meet Pod Security restricted: seccompProfile RuntimeDefault on the pod', () => {
    const chart = meshChart(Mesh.ISTIO);
    reviewsWorkloads(chart);
    for (const d of ofKind(Testing.synth(chart), 'Deployment')) {
      expect(d.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'Always', seccompProfile: { type: 'RuntimeDefault' } });
    }
  });

  test('readiness and startup probes by protocol: HTTP(S) on healthCheckPath, gRPC health protocol, TCP only for TCP ports', () => {
    const probesOf = (port: ServicePort, healthCheckPath?: string) => {
      const chart = meshChart(Mesh.LINKERD);
      const s = new MeshService(chart, 'svc', { ports: [port], versions: ['v1'] });
      new ServiceWorkloads(chart, 'w', { service: s, versions: [{ version: 'v1', image: 'ghcr.io/acme/svc:1' }], healthCheckPath });
      const c = ofKind(Testing.synth(chart), 'Deployment')[0].spec.template.spec.containers[0];
      return { readiness: c.readinessProbe, startup: c.startupProbe };
    };
    expect(probesOf(ServicePort.http(9080), '/health')).toEqual({
      readiness: { httpGet: { path: '/health', port: 9080, scheme: 'HTTP' }, failureThreshold: 3, periodSeconds: 10 },
      startup: { httpGet: { path: '/health', port: 9080, scheme: 'HTTP' }, failureThreshold: 12, periodSeconds: 5 },
    });
    expect(probesOf(ServicePort.http(80, { targetPort: 8080 })).readiness.httpGet).toEqual({ path: '/', port: 8080, scheme: 'HTTP' });
    expect(probesOf(ServicePort.https(8443), '/healthz').startup.httpGet).toEqual({ path: '/healthz', port: 8443, scheme: 'HTTPS' });
    expect(probesOf(ServicePort.grpc(9090))).toEqual({
      readiness: { grpc: { port: 9090 }, failureThreshold: 3, periodSeconds: 10 },
      startup: { grpc: { port: 9090 }, failureThreshold: 12, periodSeconds: 5 },
    });
    expect(probesOf(ServicePort.tcp(5432)).readiness).toEqual({ tcpSocket: { port: 5432 }, failureThreshold: 3, periodSeconds: 10 });
    expect(() => probesOf(ServicePort.tcp(5432), '/health')).toThrow(/w: healthCheckPath is set to "\/health", but the first port is tcp, which is probed with a TCP connection.*remove healthCheckPath/);
    expect(() => probesOf(ServicePort.grpc(9090), '/health')).toThrow(/healthCheckPath .*gRPC health protocol/);
    for (const bad of ['health', '/a b', '/a?x=1', '']) {
      expect(() => probesOf(ServicePort.http(9080), bad)).toThrow(/healthCheckPath must be an absolute URL path without query, got .*Fix: pass e\.g\. "\/health"/);
    }
  });

  test('args are passed to the entrypoint; a non-string is refused', () => {
    const chart = meshChart(Mesh.LINKERD);
    const s = new MeshService(chart, 'webapp', { ports: [ServicePort.http(7000)], versions: ['v1'] });
    new ServiceWorkloads(chart, 'w', { service: s, versions: [{ version: 'v1', image: 'docker.io/buoyantio/booksapp:v0.0.5', args: ['prod:webapp'] }] });
    expect(ofKind(Testing.synth(chart), 'Deployment')[0].spec.template.spec.containers[0].args).toEqual(['prod:webapp']);
    expect(() => new ServiceWorkloads(meshChart(), 'w', { service: reviewsService(meshChart()), versions: [{ version: 'v1', image: 'a/b:1', args: [1 as any] }] }))
      .toThrow(/versions\[0\]\.args must be a list of strings, got \[1\]/);
  });

  test('service annotations attached after the workloads reach the Service at synth', () => {
    const chart = meshChart(Mesh.LINKERD);
    const { s } = reviewsWorkloads(chart);
    s._addServiceAnnotation(s, 'balancer.linkerd.io/failure-accrual', 'consecutive');
    const services = ofKind(Testing.synth(chart), 'Service');
    expect(services[0].metadata.annotations).toEqual({ 'balancer.linkerd.io/failure-accrual': 'consecutive' });
    expect(services[1].metadata.annotations).toBeUndefined();
  });

  test('Linkerd: a circuit breaker attached after the workloads annotates their Service', () => {
    const chart = meshChart(Mesh.LINKERD);
    const { s } = reviewsWorkloads(chart);
    new CircuitBreakerPolicy(chart, 'reviews-cb', { service: s, preset: CircuitBreakerPreset.STANDARD });
    const objects = batch.add('linkerd-circuit-breaker', Testing.synth(chart));
    expect(ofKind(objects, 'Service')[0].metadata.annotations).toMatchObject({ 'balancer.linkerd.io/failure-accrual': 'consecutive' });
  });

  test('works beside routes on the same service, and synthesizes the same twice', () => {
    const chart = meshChart(Mesh.ISTIO);
    const { s } = reviewsWorkloads(chart);
    s.setDefaultRoute(RouteTo.split({ v1: 90, v2: 10 }));
    const first = Testing.synth(chart);
    expect(first.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'DestinationRule/reviews', 'VirtualService/reviews', 'ServiceAccount/bookinfo-reviews', 'Service/reviews',
      'Deployment/reviews-v1', 'Deployment/reviews-v2', 'Deployment/reviews-v3',
    ]);
    expect(Testing.synth(chart)).toEqual(first);
  });

  test('exposes its children', () => {
    const chart = meshChart(Mesh.GATEWAY_API);
    const { w } = reviewsWorkloads(chart);
    expect(w.versions).toEqual(['v1', 'v2', 'v3']);
    expect(w.deployment('v2').name).toBe('reviews-v2');
    expect(w.versionService('v3')?.name).toBe('reviews-v3');
    expect(w.service.name).toBe('reviews');
    expect(() => w.deployment('v9')).toThrow(/version "v9" has no workload here \(versions: v1, v2, v3\)/);
  });

  describe('validation', () => {
    const make = (v: Partial<VersionWorkload>, props: Record<string, unknown> = {}) => () => {
      const chart = meshChart();
      new ServiceWorkloads(chart, 'w', { service: reviewsService(chart), versions: [{ version: 'v1', image: image('v1'), ...v }], ...props });
    };
    test('image is required', () => expect(make({ image: '' })).toThrow(/test\/w: versions\[0\]\.image is required, got ""\. Fix:/));
    test('image must be a valid reference', () => expect(make({ image: 'Docker.io/Istio/Reviews:1.0' })).toThrow(/versions\[0\]\.image is not a valid image reference, got "Docker.io\/Istio\/Reviews:1.0"/));
    test('replicas must be at least 1', () => expect(make({ replicas: 0 })).toThrow(/versions\[0\]\.replicas must be a whole number from 1 to 1000, got 0/));
    test('default replicas must be at least 1', () => expect(make({}, { replicas: -1 })).toThrow(/test\/w: replicas must be a whole number from 1 to 1000, got -1/));
    test('the version must exist on the service', () => expect(make({ version: 'v7' })).toThrow(/versions\[0\]\.version names version "v7", which reviews does not define \(known: v1, v2, v3\)/));
    test('a version is listed once', () => {
      const chart = meshChart();
      expect(() => new ServiceWorkloads(chart, 'w', { service: reviewsService(chart), versions: [{ version: 'v1', image: image('v1') }, { version: 'v1', image: image('v1') }] }))
        .toThrow(/versions\[1\]\.version repeats "v1"/);
    });
    test('at least one version', () => {
      const chart = meshChart();
      expect(() => new ServiceWorkloads(chart, 'w', { service: reviewsService(chart), versions: [] })).toThrow(/test\/w: versions must list at least one version/);
    });
    test('requests at most the limits', () => {
      expect(make({ resources: { cpuRequestMillis: 2000 } })).toThrow(/resources\.cpuRequestMillis \(2000m\) exceeds the limit \(1000m\)/);
      expect(make({ resources: { memoryRequest: Size.gibibytes(1) } })).toThrow(/resources\.memoryRequest \(1024Mi\) exceeds the limit \(512Mi\)/);
    });
    test('env names are checked', () => expect(make({ env: { '1BAD': 'x' } })).toThrow(/versions\[0\]\.env has an invalid variable name "1BAD"/));
    test('writable directories are absolute', () => expect(make({ writableDirectories: ['tmp'] })).toThrow(/writableDirectories must list absolute directories other than "\/", got "tmp"/));
    test('the injection is an enum value', () => expect(make({}, { sidecarInjection: 'sidecar' })).toThrow(/sidecarInjection is not a SidecarInjection, got "sidecar"/));
  });

  test('property: any valid image reference and replica count renders into the Deployment', () => {
    const segment = fc.stringMatching(/^[a-z0-9]{1,8}(?:[-_.][a-z0-9]{1,8})?$/);
    const ref = fc.record({ registry: fc.constantFrom('', 'docker.io/', 'ghcr.io/', 'registry.local:5000/'), path: fc.array(segment, { minLength: 1, maxLength: 3 }), tag: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/) })
      .map((r) => `${r.registry}${r.path.join('/')}:${r.tag}`);
    fc.assert(fc.property(ref, fc.integer({ min: 1, max: 20 }), (img, replicas) => {
      const chart = meshChart();
      const s = new MeshService(chart, 'svc', { ports: [ServicePort.http(8080)], versions: ['v1'] });
      new ServiceWorkloads(chart, 'w', { service: s, versions: [{ version: 'v1', image: img, replicas }] });
      const d = ofKind(Testing.synth(chart), 'Deployment')[0];
      return d.spec.replicas === replicas && d.spec.template.spec.containers[0].image === img;
    }), { numRuns: 60 });
  });

  test('property: references with spaces, upper-case repositories or empty tags are rejected', () => {
    const bad = fc.oneof(
      fc.string({ minLength: 1, maxLength: 10 }).map((s) => `repo ${s}`),
      fc.stringMatching(/^[A-Z]{1,5}[a-z]{0,3}$/).map((s) => `docker.io/${s}:1`),
      fc.stringMatching(/^[a-z]{1,8}$/).map((s) => `${s}:`),
    );
    fc.assert(fc.property(bad, (img) => {
      const chart = meshChart();
      const s = new MeshService(chart, 'svc', { ports: [ServicePort.http(8080)], versions: ['v1'] });
      expect(() => new ServiceWorkloads(chart, 'w', { service: s, versions: [{ version: 'v1', image: img }] })).toThrow(/image is not a valid image reference/);
    }), { numRuns: 60 });
  });

  test('all scenarios are schema-valid', () => {
    expect(batch.size).toBeGreaterThanOrEqual(3);
    expect(batch.problems()).toEqual([]);
  });
});
