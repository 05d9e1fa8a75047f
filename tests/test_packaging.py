"""The built wheel carries the templates: installed in a fresh venv and run from another
folder, `samplegen` finds them and generates every target."""
from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    build = tmp_path_factory.mktemp("build")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-w", str(dist), str(ROOT)], capture_output=True, text=True, timeout=300,
                          cwd=build)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels = list(dist.glob("samplegen-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("generator/templates/csharp/program.cs.j2", "generator/templates/python/snippet.py.j2",
                     "generator/templates/python-urllib/program.py.j2", "generator/templates/r/snippet.R.j2",
                     "generator/templates/common/header.j2", "generator/templates/common/README.md.j2"):
        assert template in names
    for schema in ("generator/schemas/output.schema.json", "generator/schemas/config.schema.json"):
        assert schema in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_runs_from_elsewhere(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # the dependencies come from the environment running the tests (a venv or not), after the
    # new environment's own packages: samplegen itself is the wheel's
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    parent = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    Path(site, "_test_dependencies.pth").write_text("".join(p + "\n" for p in parent), encoding="utf-8")
    proc = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "--quiet", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    samplegen = env_dir / "bin" / "samplegen"
    spec = ROOT / "specs" / "petstore.yaml"
    proc = subprocess.run([str(samplegen), "generate", str(spec), "-o", "out", "-t", "csharp", "-t", "python",
                           "-t", "python-urllib", "-t", "r"], capture_output=True, text=True, timeout=300, cwd=workdir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (workdir / "out" / "csharp" / "ListPets" / "Program.cs").is_file()
    assert (workdir / "out" / "r" / "list_pets.R").is_file()
    proc = subprocess.run([str(samplegen), "targets"], capture_output=True, text=True, timeout=60, cwd=workdir)
    assert proc.returncode == 0
    assert str(ROOT / "templates") not in proc.stdout
    assert "site-packages/generator/templates/python" in proc.stdout
    # a project file, checked with the schema the package carries; --json
    (workdir / "samplegen.toml").write_text(f'[[api]]\ndefinition = {json.dumps(str(spec))}\noutput = "cfg"\n'
                                            'targets = ["python"]\n', encoding="utf-8")
    proc = subprocess.run([str(samplegen), "generate", "--json"], capture_output=True, text=True, timeout=300,
                          cwd=workdir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["runs"][0]["api"] == "petstore"
    assert (workdir / "cfg" / "python" / "list_pets.py").is_file()


def test_every_dependency_is_pinned_by_the_constraints_file():
    """The install script installs with constraints.txt, and it pins every package it installs."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    names = {re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].lower().replace("_", "-") for req in wanted}
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[name.lower().replace("_", "-")] = version
    assert names - set(pins) == set(), "constraints.txt misses direct dependencies"
    script = (ROOT / "scripts" / "install-test-tools.sh").read_text(encoding="utf-8")
    assert "-c constraints.txt" in script
