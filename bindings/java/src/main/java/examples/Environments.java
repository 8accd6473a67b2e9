// docs/gitops.md's environments, in Java (bindings/typescript/environments.ts): Environment
// subclassed with typed values, which the builder reads from the same object.
package examples;

import java.util.List;

import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8smesh.ArgoCdDestination;
import org.cdk8smesh.ArgoCdSyncPolicy;
import org.cdk8smesh.CanaryService;
import org.cdk8smesh.Environment;
import org.cdk8smesh.EnvironmentProps;
import org.cdk8smesh.GitOpsArgoCdOptions;
import org.cdk8smesh.GitOpsEnvironments;
import org.cdk8smesh.GitOpsEnvironmentsProps;
import org.cdk8smesh.IEnvironmentBuilder;
import org.cdk8smesh.MeshService;
import org.cdk8smesh.ServicePort;

public final class Environments {
    static final class ShopEnvironment extends Environment {
        final String namespace;
        final int canaryStage;

        ShopEnvironment(final EnvironmentProps props, final String namespace, final int canaryStage) {
            super(props);
            this.namespace = namespace;
            this.canaryStage = canaryStage;
        }
    }

    static final class ShopBuilder implements IEnvironmentBuilder {
        @Override
        public void buildEnvironment(final App app, final Environment environment) {
            ShopEnvironment env = (ShopEnvironment) environment;
            Chart chart = new Chart(app, "shop", ChartProps.builder().namespace(env.namespace).build());
            MeshService reviews = MeshService.Builder.create(chart, "reviews")
                    .ports(List.of(ServicePort.http(9080))).versions(List.of("v1", "v2")).build();
            CanaryService.Builder.create(chart, "reviews-canary")
                    .service(reviews).stableVersion("v1").canaryVersion("v2").stage(env.canaryStage).build();
        }
    }

    public static void main(final String[] args) {
        String outdir = System.getenv().getOrDefault("CDK8S_OUTDIR", "dist/shop");
        new GitOpsEnvironments(GitOpsEnvironmentsProps.builder()
                .name("shop")
                .outdir(outdir)
                .environments(List.of(
                        new ShopEnvironment(EnvironmentProps.builder().name("dev").destination(ArgoCdDestination.toCluster("nonprod")).build(), "shop-dev", 4),
                        new ShopEnvironment(EnvironmentProps.builder().name("prod").destination(ArgoCdDestination.toCluster("prod"))
                                .syncPolicy(ArgoCdSyncPolicy.builder().automated(false).build()).build(), "shop", 1)))
                .builder(new ShopBuilder())
                .argoCd(GitOpsArgoCdOptions.builder().repoUrl("https://github.com/acme/deploy.git").targetRevision("main").path("shop").build())
                .build()).synth();
    }
}
