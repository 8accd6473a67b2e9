// The README's first service, in Java (bindings/typescript/first-service.ts is the same program).
package examples;

import java.util.List;

import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Duration;
import org.cdk8smesh.CanaryService;
import org.cdk8smesh.Match;
import org.cdk8smesh.MeshService;
import org.cdk8smesh.RouteOptions;
import org.cdk8smesh.RouteTo;
import org.cdk8smesh.ServicePort;

public final class FirstService {
    public static void main(final String[] args) {
        App app = new App();
        Chart chart = new Chart(app, "reviews", ChartProps.builder().namespace("bookinfo").build());

        MeshService reviews = MeshService.Builder.create(chart, "reviews")
                .ports(List.of(ServicePort.http(9080)))
                .versions(List.of("v1", "v2", "v3"))
                .serviceAccountName("bookinfo-reviews")
                .build();

        reviews.addRoute(RouteOptions.builder()
                .matches(List.of(Match.header("end-user").exact("jason")))
                .to(RouteTo.version("v3"))
                .timeout(Duration.seconds(2))
                .build());
        CanaryService.Builder.create(chart, "reviews-canary")
                .service(reviews).stableVersion("v1").canaryVersion("v2").stage(2)
                .build();

        app.synth();
    }
}
