// Istio's bookinfo sample and the scenarios of its traffic-management tasks, written with
// cdk8s-mesh: one chart (one file in dist/bookinfo/) for the app and one per scenario, with the
// resource names the tasks use. `npm run synth` writes them; `cdk8s synth` runs this file.
import { App } from 'cdk8s';
import { writeDiagrams } from '../../src/diagram/write';
import { addApplication } from './application';
import { addEdge } from './edge';
import { addFaultInjection } from './fault-injection';
import { addGatewayApi } from './gateway-api';
import { addLinkerd } from './linkerd';
import { addProduction } from './production';
import { addProgressiveDelivery } from './progressive-delivery';
import { addFlaggerDelivery } from './progressive-delivery-flagger';
import { addRequestRouting } from './request-routing';
import { addTrafficShifting } from './traffic-shifting';
import { MeshTarget, useTarget } from '../../src/target/mesh-target';

export function createApp(outdir: string, target?: MeshTarget): App {
  const app = new App({ outdir });
  if (target) useTarget(app, target);
  addApplication(app);
  addRequestRouting(app);
  addTrafficShifting(app);
  addFaultInjection(app);
  addEdge(app);
  addGatewayApi(app);
  addLinkerd(app);
  addProduction(app);
  addProgressiveDelivery(app);
  addFlaggerDelivery(app);
  return app;
}

if (require.main === module) {
  // `cdk8s synth` runs this file: write the YAML and the traffic diagrams beside it.
  const app = createApp(process.env.CDK8S_OUTDIR ?? 'dist/bookinfo');
  app.synth();
  writeDiagrams(app);
}
