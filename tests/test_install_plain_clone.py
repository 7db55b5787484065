"""A plain `git clone`, with no ../shared beside it, passes the README's test command.

The clone's .venv sees this interpreter's packages (a .pth file), so the command's install step finds every
pinned dependency already there and installs only karavan itself: the test costs one suite run, not a
download. Deselect it with `-m "not clone"` while iterating; CI runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NESTED = "KARAVAN_CLONE_TEST"  # set inside the clone's run: the clone does not clone itself again


def readme_commands() -> list[str]:
    """The commands of the README's first sh block (install, then test)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("```sh") + 1
    block = lines[start : lines.index("```", start)]
    return [line.split("#")[0].strip() for line in block if line.strip()]


def test_install_readme_names_the_two_commands() -> None:
    install, test = readme_commands()
    assert (install, test) == ("scripts/quickstart", "scripts/test")
    for script in (install, test, ".ci/run"):
        assert os.access(ROOT / script, os.X_OK), script
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.clone
@pytest.mark.skipif(os.environ.get(NESTED) == "1", reason="already inside the plain-clone run")
def test_install_plain_clone_passes_the_readme_test_command(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout to clone")
    clone = tmp_path / "karavan"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    assert not (clone.parent / "shared").exists()
    subprocess.run([sys.executable, "-m", "venv", str(clone / ".venv")], check=True, timeout=120)
    site = sysconfig.get_path("purelib", vars={"base": str(clone / ".venv")})
    Path(site, "_karavan_outer_packages.pth").write_text(sysconfig.get_path("purelib") + "\n")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "KARAVAN_", "VIRTUAL_ENV"))}
    env[NESTED] = "1"
    command = readme_commands()[1]
    run = subprocess.run(
        ["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=900
    )
    tail = (run.stdout + run.stderr)[-3000:]
    assert run.returncode == 0, tail
    summary = re.search(
        r"(\d+) passed(?:, (\d+) skipped)?", run.stdout.splitlines()[-1] if run.stdout else ""
    )
    assert summary, tail
    assert int(summary.group(1)) > 500 and int(summary.group(2) or 0) > 0, tail  # ../shared's tests skipped
    assert " failed" not in run.stdout.splitlines()[-1], tail


def test_install_readme_links_resolve_in_the_repository() -> None:
    """Every relative link and image of the README points at a file of the repository (none into ../shared)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?!https?://|#)[^)\s]+)\)", text)
    assert "docs/FACTS.md" in targets and "docs/dashboard.png" in targets
    assert [t for t in targets if not (ROOT / t).exists() or t.startswith("..")] == []
