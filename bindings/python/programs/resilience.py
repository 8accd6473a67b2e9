# docs/resilience.md's circuit breakers, in Python (bindings/typescript/resilience.ts).
from cdk8s import App, Chart, Duration
from cdk8s_mesh import CircuitBreakerPolicy, CircuitBreakerPreset, ConnectionPool, MeshService, OutlierDetection, ServicePort

app = App()
chart = Chart(app, "resilience", namespace="bookinfo")
reviews = MeshService(chart, "reviews", ports=[ServicePort.http(9080)], versions=["v1", "v2", "v3"])

CircuitBreakerPolicy(chart, "reviews-cb", service=reviews, preset=CircuitBreakerPreset.STANDARD)
CircuitBreakerPolicy(chart, "reviews-v3-cb",
    service=reviews, version="v3", preset=CircuitBreakerPreset.AGGRESSIVE,
    connection_pool=ConnectionPool(max_connections=10, connect_timeout=Duration.millis(500)),
)

ratings = MeshService(chart, "ratings", ports=[ServicePort.http(9080)])
CircuitBreakerPolicy(chart, "ratings-cb",
    service=ratings,
    outlier_detection=OutlierDetection(consecutive_gateway_errors=3, interval=Duration.seconds(10), base_ejection_time=Duration.seconds(30), max_ejection_percent=100),
)

app.synth()
