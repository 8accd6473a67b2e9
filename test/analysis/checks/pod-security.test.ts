import { Testing } from 'cdk8s';
import { podSecurityAnalyzer, restrictedViolations } from '../../../src/analysis/checks/pod-security';
import { analyze } from '../../../src/analysis/analyze';
import { Severity } from '../../../src/analysis/finding';
import { Mesh } from '../../../src/core/mesh';
import { JaegerAllInOne } from '../../../src/observability';
import { PodSecurityLevel } from '../../../src/security/pod-security';
import { StrictMtlsNamespace } from '../../../src/security/strict-mtls-namespace';
import { ServicePort } from '../../../src/service/service-port';
import { ServiceWorkloads } from '../../../src/service/service-workloads';
import { MeshService } from '../../../src/service/mesh-service';
import { meshChart } from '../../support/charts';
import { run } from './helpers';

const namespace = (name: string, level: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level } } });
const compliant = () => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  volumes: [{ name: 'tmp', emptyDir: {} }],
});
const deployment = (ns: string, pod: any) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: ns }, spec: { template: { spec: pod } } });

describe('MESH0301 Pod Security restricted', () => {
  test('a compliant pod passes; each restricted rule is reported', () => {
    expect(restrictedViolations(compliant())).toEqual([]);
    const pod: any = compliant();
    delete pod.securityContext.seccompProfile;
    pod.hostNetwork = true;
    pod.volumes.push({ name: 'host', hostPath: { path: '/var' } });
    pod.containers[0].securityContext = { privileged: true, runAsUser: 0, capabilities: { drop: ['NET_RAW'], add: ['NET_ADMIN', 'NET_BIND_SERVICE'] } };
    expect(restrictedViolations(pod)).toEqual([
      'hostNetwork is true',
      'volume "host" is of type hostPath',
      'container "app" is privileged',
      'container "app" does not set allowPrivilegeEscalation: false',
      'container "app" runs as UID 0',
      'container "app" has no seccompProfile RuntimeDefault or Localhost (pod or container)',
      'container "app" does not drop capability ALL',
      'container "app" adds capabilities NET_ADMIN (only NET_BIND_SERVICE is allowed)',
    ]);
    const unconfined: any = compliant();
    unconfined.containers[0].securityContext.seccompProfile = { type: 'Unconfined' };
    expect(restrictedViolations(unconfined)).toEqual(['container "app" has no seccompProfile RuntimeDefault or Localhost (pod or container), got Unconfined']);
  });

  test('only namespaces of the set that enforce restricted are checked', () => {
    const bad: any = compliant();
    delete bad.securityContext.seccompProfile;
    expect(run(podSecurityAnalyzer, [namespace('a', 'restricted'), deployment('a', bad)])).toEqual([{
      code: 'MESH0301', severity: Severity.ERROR, resource: 'Deployment a/app',
      message: expect.stringMatching(/^runs in namespace a, which enforces Pod Security "restricted", but its pods violate it: container "app" has no seccompProfile .*Fix: /),
    }]);
    expect(run(podSecurityAnalyzer, [namespace('a', 'baseline'), deployment('a', bad)])).toEqual([]);
    expect(run(podSecurityAnalyzer, [deployment('a', bad)])).toEqual([]);
  });

  test('every pod the library creates is admitted in a restricted namespace (ServiceWorkloads, Jaeger)', () => {
    const chart = meshChart(Mesh.CILIUM, 'shop');
    const ns = new StrictMtlsNamespace(chart, 'shop');
    expect(ns.podSecurity).toBe(PodSecurityLevel.RESTRICTED);
    const svc = new MeshService(chart, 'web', { ports: [ServicePort.http(8080)], versions: ['v1'] });
    new ServiceWorkloads(chart, 'web-workloads', { service: svc, versions: [{ version: 'v1', image: 'ghcr.io/stefanprodan/podinfo:6.9.2' }] });
    new JaegerAllInOne(chart, 'jaeger', { namespace: 'shop' });
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind === 'Deployment')).toHaveLength(2);
    expect(analyze(objects).filter((f) => f.code === 'MESH0301')).toEqual([]);
  });
});
