# The README's first service, in Python (bindings/typescript/first-service.ts is the same program).
from cdk8s import App, Chart, Duration
from cdk8s_mesh import CanaryService, Match, MeshService, RouteTo, ServicePort

app = App()
chart = Chart(app, "reviews", namespace="bookinfo")

reviews = MeshService(chart, "reviews",
    ports=[ServicePort.http(9080)],
    versions=["v1", "v2", "v3"],
    service_account_name="bookinfo-reviews",
)

reviews.add_route(matches=[Match.header("end-user").exact("jason")], to=RouteTo.version("v3"), timeout=Duration.seconds(2))
CanaryService(chart, "reviews-canary", service=reviews, stable_version="v1", canary_version="v2", stage=2)

app.synth()
