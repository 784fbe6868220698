"""A newcomer's first session with a default service (jwt, multi-tenant): two users in two
tenants made with the CLI, logged in over real HTTP, each blind to the other's items, and a
logged-out token refused."""

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import assert_ok, bake, free_port, python_in, serving

PASSWORD = "a long enough password"


def create_user(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return python_in(project, "-m", "app.cli", "create-user", *arguments)


def user_count(project: Path) -> int:
    database = next(project.glob("*.db"))
    with sqlite3.connect(database) as connection:
        count: int = connection.execute("SELECT count(*) FROM users").fetchone()[0]
    return count


@pytest.fixture(scope="module")
def served(cookies_session: Cookies) -> Iterator[tuple[Path, httpx.Client]]:
    """A default service with two users, served by uvicorn on a free port."""
    project = bake(cookies_session)
    created = assert_ok(
        create_user(project, "alice@acme.example", "--password", PASSWORD, "--tenant", "acme")
    )
    assert created.strip() == "Created member alice@acme.example in tenant acme."
    created = assert_ok(create_user(project, "Bob@Globex.example", "--password", PASSWORD))
    assert created.strip() == "Created member bob@globex.example in tenant bob@globex.example."
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    with (
        serving([*command, "--port", str(port)], cwd=project, port=port) as url,
        httpx.Client(base_url=url) as client,
    ):
        yield project, client


def log_in(client: httpx.Client, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login/", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_two_tenants_cannot_see_each_others_items(served: tuple[Path, httpx.Client]) -> None:
    _, client = served
    alice, bob = log_in(client, "alice@acme.example"), log_in(client, "bob@globex.example")
    item = {"title": "Anvil", "price": "9.99"}

    created = client.post("/api/v1/items/", json=item, headers=alice)
    assert created.status_code == 201
    url = f"/api/v1/items/{created.json()['id']}/"

    assert client.get(url, headers=alice).status_code == 200
    assert client.get(url, headers=bob).status_code == 404
    assert client.get("/api/v1/items/", headers=bob).json() == {"data": [], "count": 0}
    bobs = client.post("/api/v1/items/", json=item, headers=bob)  # same title, other tenant
    assert bobs.status_code == 201
    alices_list = client.get("/api/v1/items/", headers=alice).json()["data"]
    assert [row["id"] for row in alices_list] == [created.json()["id"]]


def test_a_logged_out_token_is_refused(served: tuple[Path, httpx.Client]) -> None:
    _, client = served
    alice = log_in(client, "alice@acme.example")
    assert client.get("/api/v1/users/me/", headers=alice).status_code == 200

    assert client.post("/api/v1/auth/logout/", headers=alice).status_code == 204

    refused = client.get("/api/v1/items/", headers=alice)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Not authenticated.", "code": "not_authenticated"}


REJECTED_USERS = {
    "duplicate-email": (["ALICE@acme.example", "--password", PASSWORD], "already exists"),
    "short-password": (["carol@acme.example", "--password", "short"], "at least 8 characters"),
    "not-an-email": (["carol", "--password", PASSWORD], "'carol' is not an email address"),
    "blank-tenant": (["carol@x.example", "--password", PASSWORD, "--tenant", " "], "must not be"),
}


@pytest.mark.parametrize(
    ("arguments", "message"), REJECTED_USERS.values(), ids=REJECTED_USERS.keys()
)
def test_a_rejected_user_changes_nothing(
    served: tuple[Path, httpx.Client], arguments: list[str], message: str
) -> None:
    project, _ = served
    before = user_count(project)

    result = create_user(project, *arguments)

    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert user_count(project) == before
