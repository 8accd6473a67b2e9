# docs/observability.md's SLOs, in Python (bindings/typescript/observability.ts).
from cdk8s import App, Chart, Duration
from cdk8s_mesh import MeshService, ServiceLevelIndicator, ServiceLevelObjective, ServicePort

app = App()
chart = Chart(app, "observability", namespace="bookinfo")
reviews = MeshService(chart, "reviews", ports=[ServicePort.http(9080)])

ServiceLevelObjective(chart, "reviews-availability", service=reviews, objective_percent=99.9)
ServiceLevelObjective(chart, "reviews-latency",
    service=reviews, objective_percent=95, window=Duration.days(28),
    indicator=ServiceLevelIndicator.latency(Duration.millis(250)),
)

app.synth()
