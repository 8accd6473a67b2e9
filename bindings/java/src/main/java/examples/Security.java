// docs/security.md's allow graph, in Java (bindings/typescript/security.ts).
package examples;

import java.util.List;

import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8smesh.AllowOptions;
import org.cdk8smesh.Caller;
import org.cdk8smesh.HttpMethod;
import org.cdk8smesh.MeshService;
import org.cdk8smesh.RequestPath;
import org.cdk8smesh.ServiceAuthorization;
import org.cdk8smesh.ServicePort;

public final class Security {
    public static void main(final String[] args) {
        App app = new App();
        Chart chart = new Chart(app, "security", ChartProps.builder().namespace("bookinfo").build());
        MeshService productpage = MeshService.Builder.create(chart, "productpage").ports(List.of(ServicePort.http(9080))).build();
        MeshService reviews = MeshService.Builder.create(chart, "reviews").ports(List.of(ServicePort.http(9080))).build();
        MeshService ratings = MeshService.Builder.create(chart, "ratings").ports(List.of(ServicePort.http(9080))).build();

        ServiceAuthorization authz = new ServiceAuthorization(chart, "authz");
        authz.allow(AllowOptions.builder().from(List.of(Caller.ingressGateway())).to(productpage)
                .methods(List.of(HttpMethod.GET, HttpMethod.POST)).build());
        authz.allow(AllowOptions.builder().from(List.of(Caller.service(productpage))).to(reviews)
                .methods(List.of(HttpMethod.GET)).paths(List.of(RequestPath.prefix("/reviews"))).build());
        authz.allow(AllowOptions.builder().from(List.of(Caller.serviceNamed("reviews"))).to(ratings)
                .methods(List.of(HttpMethod.GET)).build());

        app.synth();
    }
}
