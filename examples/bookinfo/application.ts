import { App } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { SidecarInjection } from '../../src/service/service-workloads';
import { addWorkloads, declareServices, DEPLOYED_VERSIONS } from './bookinfo';
import { bookinfoChart } from './charts';

/**
 * The application (samples/bookinfo/platform/kube/bookinfo.yaml and bookinfo-versions.yaml):
 * ServiceAccounts, Services, Deployments and the per-version Services the Gateway API routes use.
 *
 * The chart describes workloads only, so it is rendered for the Gateway API mesh profile: its
 * services' versions become per-version Services (`reviews-v1`, ...) and no routing resources,
 * which the scenario charts hold. The pods are still injected with Istio's sidecar.
 */
export function addApplication(app: App): void {
  const chart = bookinfoChart(app, 'bookinfo', Mesh.GATEWAY_API);
  addWorkloads(chart, declareServices(chart, DEPLOYED_VERSIONS), { sidecarInjection: SidecarInjection.ISTIO });

  // samples/bookinfo/platform/kube/bookinfo-details-v2.yaml: details v2, which calls
  // www.googleapis.com (used by the details-v2 and egress scenarios). Its chart repeats the
  // details ServiceAccount and Service unchanged so that it can be applied on its own.
  const detailsV2 = bookinfoChart(app, 'bookinfo-details-v2', Mesh.GATEWAY_API);
  addWorkloads(detailsV2, declareServices(detailsV2, { details: ['v1', 'v2'] }), {
    sidecarInjection: SidecarInjection.ISTIO,
    versions: { details: ['v2'] },
  });
}
