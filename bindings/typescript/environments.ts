// docs/gitops.md's environments: a typed Environment subclass read by one builder, two environments
// and the Argo CD objects that apply them. Python and Java subclass Environment the same way; Go,
// which cannot subclass a jsii class, keeps the typed values in its builder by environment name.
import { App, Chart } from 'cdk8s';
import {
  ArgoCdDestination, CanaryService, Environment, EnvironmentProps, GitOpsEnvironments, IEnvironmentBuilder, MeshService, ServicePort,
} from '../../src';

interface ShopEnvironmentProps extends EnvironmentProps {
  readonly namespace: string;
  readonly canaryStage: number;
}

class ShopEnvironment extends Environment {
  public readonly namespace: string;
  public readonly canaryStage: number;
  public constructor(props: ShopEnvironmentProps) {
    super(props);
    this.namespace = props.namespace;
    this.canaryStage = props.canaryStage;
  }
}

class ShopBuilder implements IEnvironmentBuilder {
  public buildEnvironment(app: App, env: ShopEnvironment): void {
    const chart = new Chart(app, 'shop', { namespace: env.namespace });
    const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
    new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', stage: env.canaryStage });
  }
}

new GitOpsEnvironments({
  name: 'shop',
  outdir: process.env.CDK8S_OUTDIR ?? 'dist/shop',
  environments: [
    new ShopEnvironment({ name: 'dev', namespace: 'shop-dev', canaryStage: 4, destination: ArgoCdDestination.toCluster('nonprod') }),
    new ShopEnvironment({ name: 'prod', namespace: 'shop', canaryStage: 1, destination: ArgoCdDestination.toCluster('prod'), syncPolicy: { automated: false } }),
  ],
  builder: new ShopBuilder(),
  argoCd: { repoUrl: 'https://github.com/acme/deploy.git', targetRevision: 'main', path: 'shop' },
}).synth();
