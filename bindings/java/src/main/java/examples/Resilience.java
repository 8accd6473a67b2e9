// docs/resilience.md's circuit breakers, in Java (bindings/typescript/resilience.ts).
package examples;

import java.util.List;

import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Duration;
import org.cdk8smesh.CircuitBreakerPolicy;
import org.cdk8smesh.CircuitBreakerPreset;
import org.cdk8smesh.ConnectionPool;
import org.cdk8smesh.ConnectionPoolProps;
import org.cdk8smesh.MeshService;
import org.cdk8smesh.OutlierDetection;
import org.cdk8smesh.OutlierDetectionProps;
import org.cdk8smesh.ServicePort;

public final class Resilience {
    public static void main(final String[] args) {
        App app = new App();
        Chart chart = new Chart(app, "resilience", ChartProps.builder().namespace("bookinfo").build());
        MeshService reviews = MeshService.Builder.create(chart, "reviews")
                .ports(List.of(ServicePort.http(9080))).versions(List.of("v1", "v2", "v3")).build();

        CircuitBreakerPolicy.Builder.create(chart, "reviews-cb").service(reviews).preset(CircuitBreakerPreset.STANDARD).build();
        CircuitBreakerPolicy.Builder.create(chart, "reviews-v3-cb")
                .service(reviews).version("v3").preset(CircuitBreakerPreset.AGGRESSIVE)
                .connectionPool(new ConnectionPool(ConnectionPoolProps.builder()
                        .maxConnections(10).connectTimeout(Duration.millis(500)).build()))
                .build();

        MeshService ratings = MeshService.Builder.create(chart, "ratings").ports(List.of(ServicePort.http(9080))).build();
        CircuitBreakerPolicy.Builder.create(chart, "ratings-cb")
                .service(ratings)
                .outlierDetection(new OutlierDetection(OutlierDetectionProps.builder()
                        .consecutiveGatewayErrors(3).interval(Duration.seconds(10))
                        .baseEjectionTime(Duration.seconds(30)).maxEjectionPercent(100).build()))
                .build();

        app.synth();
    }
}
