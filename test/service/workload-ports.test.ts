import { Testing } from 'cdk8s';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { meshChart } from '../support/charts';

// Two Service ports may send to one container port (Kubernetes allows it); the container lists
// that port once instead of failing inside cdk8s-plus ("Port with number 3000 already exists").
test('two Service ports with one target port render one container port', () => {
  const c = meshChart();
  const s = new MeshService(c, 'web', { ports: [ServicePort.http(80, { targetPort: 3000 }), ServicePort.http(3000, { name: 'http-alt' })], versions: ['v1'] });
  new ServiceWorkloads(c, 'w', { service: s, versions: [{ version: 'v1', image: 'ghcr.io/example/web:1.0' }] });
  const out = Testing.synth(c);
  const [deployment] = out.filter((o) => o.kind === 'Deployment');
  expect(deployment.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 3000, name: 'http' }]);
  const [svc] = out.filter((o) => o.kind === 'Service' && o.metadata.name === 'web');
  expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['http', 80, 3000], ['http-alt', 3000, 3000]]);
});
