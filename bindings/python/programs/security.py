# docs/security.md's allow graph, in Python (bindings/typescript/security.ts).
from cdk8s import App, Chart
from cdk8s_mesh import Caller, HttpMethod, MeshService, RequestPath, ServiceAuthorization, ServicePort

app = App()
chart = Chart(app, "security", namespace="bookinfo")
productpage = MeshService(chart, "productpage", ports=[ServicePort.http(9080)])
reviews = MeshService(chart, "reviews", ports=[ServicePort.http(9080)])
ratings = MeshService(chart, "ratings", ports=[ServicePort.http(9080)])

authz = ServiceAuthorization(chart, "authz")
authz.allow(from_=[Caller.ingress_gateway()], to=productpage, methods=[HttpMethod.GET, HttpMethod.POST])
authz.allow(from_=[Caller.service(productpage)], to=reviews, methods=[HttpMethod.GET], paths=[RequestPath.prefix("/reviews")])
authz.allow(from_=[Caller.service_named("reviews")], to=ratings, methods=[HttpMethod.GET])

app.synth()
