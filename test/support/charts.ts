import { App, Chart, Testing } from 'cdk8s';
import { Mesh, useMesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';

/** A fresh chart rendered for `mesh` (Istio by default). */
export function meshChart(mesh: Mesh = Mesh.ISTIO, namespace = 'bookinfo'): Chart {
  const app: App = Testing.app();
  useMesh(app, mesh);
  return new Chart(app, 'test', { namespace });
}

/** bookinfo's reviews service: port 9080, versions v1..v3, ServiceAccount bookinfo-reviews. */
export function reviewsService(chart: Chart): MeshService {
  return new MeshService(chart, 'reviews', {
    ports: [ServicePort.http(9080)],
    versions: ['v1', 'v2', 'v3'],
    serviceAccountName: 'bookinfo-reviews',
  });
}

/** The synthesized objects of a chart, one kind. */
export function ofKind(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}
