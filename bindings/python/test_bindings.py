"""The Python binding: each example program runs as a user would run it (its own process,
CDK8S_OUTDIR set) and must write the same bytes as the TypeScript program, whose output
bindings/run-tests.sh writes to bindings/out/typescript first. A MeshConfigError must reach
Python with its whole message."""
import difflib
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).parent
OUT = pathlib.Path(os.environ.get("BINDINGS_OUT", HERE.parent / "out"))
PROGRAMS = {"first-service": "first_service", "resilience": "resilience", "security": "security", "observability": "observability", "environments": "environments"}


def files(root: pathlib.Path) -> list:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", PROGRAMS)
def test_same_yaml_as_typescript(name):
    expected = OUT / "typescript" / name
    assert expected.is_dir(), f"no TypeScript output in {expected}: run bindings/run-tests.sh"
    actual = OUT / "python" / name
    shutil.rmtree(actual, ignore_errors=True)
    run = subprocess.run([sys.executable, str(HERE / "programs" / f"{PROGRAMS[name]}.py")],
                         env={**os.environ, "CDK8S_OUTDIR": str(actual)}, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert files(actual) == files(expected)
    for f in files(expected):
        want, got = (expected / f).read_bytes(), (actual / f).read_bytes()
        assert got == want, "".join(difflib.unified_diff(want.decode().splitlines(True), got.decode().splitlines(True), "typescript/" + f, "python/" + f))


def test_mesh_config_error_reaches_python_with_path_prop_and_fix():
    from cdk8s import App, Chart
    from cdk8s_mesh import CanaryService, MeshService, ServicePort

    chart = Chart(App(), "reviews")
    reviews = MeshService(chart, "reviews", ports=[ServicePort.http(9080)], versions=["v1", "v2"])
    with pytest.raises(RuntimeError) as error:
        CanaryService(chart, "reviews-canary", service=reviews, stable_version="v1", canary_version="v9", stage=2)
    assert 'reviews/reviews-canary: canaryVersion names version "v9"' in str(error.value)
    assert 'Fix: add it with reviews.addVersion("v9")' in str(error.value)
