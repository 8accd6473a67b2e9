# docs/gitops.md's environments, in Python (bindings/typescript/environments.ts): Environment
# subclassed with typed values, which the builder reads from the same object.
import os

import jsii
from cdk8s import Chart
from cdk8s_mesh import (ArgoCdDestination, ArgoCdSyncPolicy, CanaryService, Environment, GitOpsArgoCdOptions, GitOpsEnvironments,
                        IEnvironmentBuilder, MeshService, ServicePort)


class ShopEnvironment(Environment):
    def __init__(self, *, namespace, canary_stage, **props):
        super().__init__(**props)
        self.namespace = namespace
        self.canary_stage = canary_stage


@jsii.implements(IEnvironmentBuilder)
class ShopBuilder:
    def build_environment(self, app, env):
        chart = Chart(app, "shop", namespace=env.namespace)
        reviews = MeshService(chart, "reviews", ports=[ServicePort.http(9080)], versions=["v1", "v2"])
        CanaryService(chart, "reviews-canary", service=reviews, stable_version="v1", canary_version="v2", stage=env.canary_stage)


GitOpsEnvironments(
    name="shop",
    outdir=os.environ.get("CDK8S_OUTDIR", "dist/shop"),
    environments=[
        ShopEnvironment(name="dev", namespace="shop-dev", canary_stage=4, destination=ArgoCdDestination.to_cluster("nonprod")),
        ShopEnvironment(name="prod", namespace="shop", canary_stage=1, destination=ArgoCdDestination.to_cluster("prod"),
                        sync_policy=ArgoCdSyncPolicy(automated=False)),
    ],
    builder=ShopBuilder(),
    argo_cd=GitOpsArgoCdOptions(repo_url="https://github.com/acme/deploy.git", target_revision="main", path="shop"),
).synth()
