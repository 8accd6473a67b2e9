import { App } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { Environment, EnvironmentProps, IEnvironmentBuilder } from '../../src/gitops';
import { IngressGateway } from '../../src/ingress/ingress-gateway';
import { IngressTls } from '../../src/ingress/ingress-tls';
import { CanaryService } from '../../src/patterns/canary-service';
import { Caller } from '../../src/security/caller';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { HttpMethod } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { addWorkloads, BOOKINFO_PORT, declareServices, DEPLOYED_VERSIONS } from '../bookinfo/bookinfo';
import { bookinfoChart } from '../bookinfo/charts';
import { productpageMatches } from '../bookinfo/edge';

/** What differs between bookinfo's environments, typed: the builder reads these, nothing is templated. */
export interface BookinfoEnvironmentProps extends EnvironmentProps {
  /** The namespace bookinfo runs in. */
  readonly namespace: string;
  /** The host the ingress gateway serves. */
  readonly host: string;
  /** Replicas of every Deployment that no HorizontalPodAutoscaler scales. */
  readonly replicas: number;
  /** The reviews v3 canary stage (CanaryService: 1 = 5%, 2 = 10%, 3 = 30%, 4 = 50%, 5 = 100%). */
  readonly canaryStage: number;
  /** Scale productpage with a HorizontalPodAutoscaler (its replicas are then the HPA's, and Argo CD ignores them). */
  readonly autoscaleProductpage?: boolean;
}

/** One environment of bookinfo. */
export class BookinfoEnvironment extends Environment {
  public readonly namespace: string;
  public readonly host: string;
  public readonly replicas: number;
  public readonly canaryStage: number;
  public readonly autoscaleProductpage: boolean;

  public constructor(props: BookinfoEnvironmentProps) {
    super(props);
    this.namespace = props.namespace;
    this.host = props.host;
    this.replicas = props.replicas;
    this.canaryStage = props.canaryStage;
    this.autoscaleProductpage = props.autoscaleProductpage ?? false;
  }
}

/**
 * bookinfo in one environment: a STRICT mTLS namespace that denies by default, the call graph
 * allowed, HTTPS at the edge for the environment's host, and reviews v3 as a canary at the
 * environment's stage.
 */
export class BookinfoBuilder implements IEnvironmentBuilder {
  public buildEnvironment(app: App, env: BookinfoEnvironment): void {
    const chart = bookinfoChart(app, 'bookinfo', Mesh.ISTIO, env.namespace);
    new StrictMtlsNamespace(chart, 'namespace', { name: env.namespace, cni: true });
    const services = declareServices(chart, DEPLOYED_VERSIONS);
    addWorkloads(chart, services, { replicas: env.replicas, autoscaling: env.autoscaleProductpage ? { productpage: {} } : {} });
    const { productpage, details, reviews, ratings } = services as Required<typeof services>;

    new IngressGateway(chart, 'bookinfo', { hosts: [env.host], tls: IngressTls.simple(`bookinfo-${env.name}-credential`), httpsRedirect: true })
      .addRoute({ matches: productpageMatches(), to: RouteTo.service(productpage, { port: BOOKINFO_PORT }) });

    const authz = new ServiceAuthorization(chart, 'authorization');
    authz.allow({ from: [Caller.ingressGateway()], to: productpage, methods: [HttpMethod.GET, HttpMethod.POST] });
    authz.allow({ from: [productpage], to: details, methods: [HttpMethod.GET] });
    authz.allow({ from: [productpage], to: reviews, methods: [HttpMethod.GET] });
    authz.allow({ from: [reviews], to: ratings, methods: [HttpMethod.GET] });

    productpage.setDefaultRoute(RouteTo.version('v1'));
    details.setDefaultRoute(RouteTo.version('v1'));
    ratings.setDefaultRoute(RouteTo.version('v1'));
    new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v3', stage: env.canaryStage });
  }
}
