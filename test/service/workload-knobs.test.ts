import { Duration, Size, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads, VersionWorkload } from '../../src/service/service-workloads';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';
import { probePathsOf } from '../../src/core/probe-paths';

const batch = new SchemaBatch();
const img = 'ghcr.io/acme/app:1';

function render(port: ServicePort, versions: Array<Partial<VersionWorkload>>, props: Record<string, unknown> = {}, mesh = Mesh.ISTIO) {
  const chart = meshChart(mesh);
  const s = new MeshService(chart, 'app', { ports: [port], versions: versions.map((_, i) => `v${i + 1}`) });
  new ServiceWorkloads(chart, 'w', { service: s, versions: versions.map((v, i) => ({ version: `v${i + 1}`, image: img, ...v })), ...props });
  const objects = Testing.synth(chart);
  return { s, objects, deployments: ofKind(objects, 'Deployment') };
}

describe('ServiceWorkloads per-version overrides', () => {
  test('user, group, token mount, root filesystem, resources and replicas change per version; defaults stay secure', () => {
    const { objects, deployments: [v1, v2] } = render(ServicePort.http(8080), [{}, {
      runAsUser: 101, runAsGroup: 102, automountServiceAccountToken: true, readOnlyRootFilesystem: false, replicas: 2,
      resources: { cpuRequestMillis: 250, cpuLimitMillis: 500, memoryRequest: Size.mebibytes(64), memoryLimit: Size.gibibytes(1) },
    }]);
    batch.add('overrides', objects);
    expect(v1.spec.replicas).toBe(1);
    expect(v1.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(v1.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(v1.spec.template.spec.containers[0].securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, readOnlyRootFilesystem: true });
    expect(v2.spec.replicas).toBe(2);
    const pod = v2.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, runAsGroup: 102, fsGroup: 102 });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, runAsGroup: 102, readOnlyRootFilesystem: false });
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '1024Mi' } });
    expect(objects).toMatchSnapshot();
  });

  test('a version user without a group runs with that group; the service-wide group applies otherwise', () => {
    const { deployments: [v1, v2] } = render(ServicePort.http(8080), [{ runAsUser: 2000 }, {}], { runAsUser: 3000, runAsGroup: 4000 });
    expect(v1.spec.template.spec.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000 });
    expect(v2.spec.template.spec.securityContext).toMatchObject({ runAsUser: 3000, runAsGroup: 4000, fsGroup: 4000 });
  });

  test('probe path and timing per version; liveness only when asked for', () => {
    const { s, objects, deployments: [v1, v2] } = render(ServicePort.http(8080), [{}, {
      healthCheckPath: '/ready',
      readinessProbe: { period: Duration.seconds(5), failureThreshold: 2 },
      startupProbe: { initialDelay: Duration.seconds(10), failureThreshold: 30 },
      livenessProbe: { path: '/livez', initialDelay: Duration.seconds(30), period: Duration.seconds(20) },
    }], { healthCheckPath: '/health' });
    batch.add('probes', objects);
    const c1 = v1.spec.template.spec.containers[0];
    expect(c1.readinessProbe).toEqual({ httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, failureThreshold: 3, periodSeconds: 10 });
    expect(c1.livenessProbe).toBeUndefined();
    const c2 = v2.spec.template.spec.containers[0];
    expect(c2.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, failureThreshold: 2, periodSeconds: 5 });
    expect(c2.startupProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, failureThreshold: 30, initialDelaySeconds: 10, periodSeconds: 5 });
    expect(c2.livenessProbe).toEqual({ httpGet: { path: '/livez', port: 8080, scheme: 'HTTP' }, failureThreshold: 3, initialDelaySeconds: 30, periodSeconds: 20 });
    // every probed path is declared, so authorization and analysis let the kubelet through
    expect(probePathsOf(s, 8080)).toEqual(['/health', '/livez', '/ready']);
    expect(objects).toMatchSnapshot();
  });

  test('liveness with defaults on gRPC and TCP ports', () => {
    const grpc = render(ServicePort.grpc(9090), [{ livenessProbe: {} }]).deployments[0].spec.template.spec.containers[0];
    expect(grpc.livenessProbe).toEqual({ grpc: { port: 9090 }, failureThreshold: 3, periodSeconds: 10 });
    expect(grpc.readinessProbe).toEqual({ grpc: { port: 9090 }, failureThreshold: 3, periodSeconds: 10 });
    const grpcSlow = render(ServicePort.grpc(9090), [{ startupProbe: { initialDelay: Duration.seconds(15) } }]).deployments[0].spec.template.spec.containers[0];
    expect(grpcSlow.startupProbe).toEqual({ grpc: { port: 9090 }, failureThreshold: 12, initialDelaySeconds: 15, periodSeconds: 5 });
    const tcp = render(ServicePort.tcp(5432), [{ livenessProbe: { failureThreshold: 5 } }]).deployments[0].spec.template.spec.containers[0];
    expect(tcp.livenessProbe).toEqual({ tcpSocket: { port: 5432 }, failureThreshold: 5, periodSeconds: 10 });
  });

  describe('validation', () => {
    const make = (v: Partial<VersionWorkload>, props: Record<string, unknown> = {}, port = ServicePort.http(8080)) => () => render(port, [v], props);
    test('root is refused per version, with the fix', () => expect(make({ runAsUser: 0 })).toThrow(/test\/w: versions\[0\]\.runAsUser is 0 \(root\), which the pods must not run as\. Fix: pick a non-root id/));
    test('root is refused service-wide', () => expect(make({}, { runAsUser: 0 })).toThrow(/test\/w: runAsUser is 0 \(root\)/));
    test('group 0 is refused', () => expect(make({ runAsGroup: 0 })).toThrow(/versions\[0\]\.runAsGroup is 0 \(root\)/));
    test('ids are whole numbers', () => expect(make({ runAsUser: 1.5 })).toThrow(/versions\[0\]\.runAsUser must be a whole number from 1 to 2147483647, got 1\.5/));
    test('token mount is a boolean', () => expect(make({ automountServiceAccountToken: 'yes' as any })).toThrow(/versions\[0\]\.automountServiceAccountToken must be true or false, got "yes"/));
    test('limits at least the requests per version', () => expect(make({ resources: { memoryRequest: Size.gibibytes(2) } })).toThrow(/versions\[0\]\.resources\.memoryRequest \(2048Mi\) exceeds the limit \(512Mi\)/));
    test('per-version path is checked', () => expect(make({ healthCheckPath: 'health' })).toThrow(/versions\[0\]\.healthCheckPath must be an absolute URL path without query, got "health"/));
    test('probe path is checked', () => expect(make({ livenessProbe: { path: '/a?b' } })).toThrow(/livenessProbe\.path must be an absolute URL path without query, got "\/a\?b"/));
    test('probe path on a gRPC port is refused', () => expect(make({ readinessProbe: { path: '/h' } }, {}, ServicePort.grpc(9090))).toThrow(/readinessProbe\.path is set to "\/h", but the first port is grpc.*Fix: remove the path/));
    test('period is whole seconds', () => expect(make({ readinessProbe: { period: Duration.millis(1500) } })).toThrow(/readinessProbe\.period must be a Duration of whole seconds from 1 s to 1 h, got 1\.5 s/));
    test('period is at least 1 s', () => expect(make({ startupProbe: { period: Duration.seconds(0) } })).toThrow(/startupProbe\.period must be a Duration of whole seconds from 1 s to 1 h, got 0 s/));
    test('initial delay is a Duration', () => expect(make({ livenessProbe: { initialDelay: 30 as any } })).toThrow(/livenessProbe\.initialDelay must be a Duration of whole seconds from 0 s to 1 h, got 30/));
    test('failure threshold is positive', () => expect(make({ livenessProbe: { failureThreshold: 0 } })).toThrow(/livenessProbe\.failureThreshold must be a whole number from 1 to 1000, got 0/));
  });

  test('all scenarios are schema-valid', () => {
    expect(batch.size).toBeGreaterThanOrEqual(2);
    expect(batch.problems()).toEqual([]);
  });
});
