"""docker-compose.yml ships no secret: each comes from the .env that `make env` writes once."""

from __future__ import annotations

import re
import runpy
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SECRETS = runpy.run_path(str(REPO / "deploy" / "new_env.py"))["SECRETS"]
FROM_ENV = re.compile(r"\$\{(?P<name>[A-Z_]+):\?[^}]+\}")


def make_env(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "-s", "-C", str(REPO), "env", f"ENV_FILE={path}"],
                          capture_output=True, text=True, timeout=60, check=True)


def read_env(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_make_env_writes_long_random_secrets_once(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    make_env(path)
    first = read_env(path)
    assert set(first) == set(SECRETS)
    assert all(len(value) >= 32 for value in first.values())
    assert len(set(first.values())) == len(first)  # five different secrets
    assert path.stat().st_mode & 0o777 == 0o600
    make_env(path)
    assert read_env(path) == first  # never overwritten: running it again changes nothing

    other = tmp_path / "other.env"
    make_env(other)
    assert set(read_env(other).values()).isdisjoint(first.values())  # random, not derived


def test_make_env_leaves_a_file_someone_wrote_alone(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("PIXGATE_SECRET_KEY=mine\n")
    make_env(path)
    assert path.read_text() == "PIXGATE_SECRET_KEY=mine\n"


def test_compose_takes_every_secret_from_env_and_holds_none() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    used: set[str] = set()
    for service in compose["services"].values():
        for name, value in (service.get("environment") or {}).items():
            found = {m["name"] for m in FROM_ENV.finditer(str(value))}
            used |= found
            if re.search(r"SECRET|PASSWORD", name) and name != "MYSQL_RANDOM_ROOT_PASSWORD":
                assert found, f"{name} is fixed in docker-compose.yml: {value!r}"
            if "mysql+pymysql://" in str(value):
                assert "MYSQL_PASSWORD" in found, "the database URL carries a fixed password"
    assert used == set(SECRETS)
    assert compose["services"]["mysql"]["environment"]["MYSQL_RANDOM_ROOT_PASSWORD"] == "yes"


def test_env_file_is_ignored_by_git() -> None:
    result = subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q", ".env"],
                            timeout=30, check=False)
    assert result.returncode == 0, ".env is not in .gitignore"
