// docs/observability.md's SLOs, in Java (bindings/typescript/observability.ts).
package examples;

import java.util.List;

import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Duration;
import org.cdk8smesh.MeshService;
import org.cdk8smesh.ServiceLevelIndicator;
import org.cdk8smesh.ServiceLevelObjective;
import org.cdk8smesh.ServicePort;

public final class Observability {
    public static void main(final String[] args) {
        App app = new App();
        Chart chart = new Chart(app, "observability", ChartProps.builder().namespace("bookinfo").build());
        MeshService reviews = MeshService.Builder.create(chart, "reviews").ports(List.of(ServicePort.http(9080))).build();

        ServiceLevelObjective.Builder.create(chart, "reviews-availability").service(reviews).objectivePercent(99.9).build();
        ServiceLevelObjective.Builder.create(chart, "reviews-latency")
                .service(reviews).objectivePercent(95).window(Duration.days(28))
                .indicator(ServiceLevelIndicator.latency(Duration.millis(250)))
                .build();

        app.synth();
    }
}
