import { App, Chart } from 'cdk8s';
import { Mesh, useMesh } from '../../src/core/mesh';

/** The namespace bookinfo runs in, as in Istio's tasks. */
export const BOOKINFO_NAMESPACE = 'default';

/**
 * A chart of the bookinfo app: one output file. Scenario charts are alternatives, like the YAML
 * files of Istio's tasks: apply the app, then one scenario per service at a time.
 */
export function bookinfoChart(app: App, id: string, mesh: Mesh = Mesh.ISTIO, namespace: string = BOOKINFO_NAMESPACE): Chart {
  const chart = new Chart(app, id, { namespace });
  useMesh(chart, mesh);
  return chart;
}
