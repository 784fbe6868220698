"""websockets=yes: sockets on /api/v1/ws/changes/ hear the changes of the example resource and of
every resource `add-resource` writes, within their tenant, across app instances through the real
Redis; websockets=no leaves none of it."""

from pathlib import Path

from pytest_cookies.plugin import Cookies

from tests.conftest import (
    assert_lint_clean,
    assert_ok,
    bake,
    python_in,
    reachable_redis,
    run_generated_suite,
)
from tests.test_generator import ITEM_FIELDS, RENDER_ITEM

# Added to the service after `add-resource Note`: its changes are heard like the example's.
NOTE_CHANGES_TEST = '''"""A resource written by add-resource announces its changes like the example."""

from tests.factories.note import create_note
from tests.realtime.live import LiveApp, change, listening


def test_a_socket_hears_a_generated_resource(live: LiveApp, signed_in: dict[str, str]) -> None:
    with live.connect(signed_in) as socket:
        listening(socket)
        note = live.call(signed_in, create_note)
        assert socket.receive_json() == change("created", "notes", note)
'''


def test_every_resource_broadcasts_its_changes(cookies: Cookies) -> None:
    project = bake(cookies, websockets="yes")

    # The example is still the generator's own output, its repository mixing in the broadcast.
    report = assert_ok(python_in(project, "-c", RENDER_ITEM, *ITEM_FIELDS))
    assert all(line.endswith(": same") for line in report.splitlines()), report
    repository = (project / "app" / "repositories" / "item.py").read_text()
    assert "class ItemRepository(BroadcastChanges[Item], TenantRepository[Item]):" in repository

    assert_ok(python_in(project, "-m", "toolkit", "add-resource", "Note", "body:text"))
    (project / "tests" / "realtime" / "test_note_changes.py").write_text(NOTE_CHANGES_TEST)

    assert_lint_clean(project)
    assert_ok(python_in(project, "-m", "mypy"))
    assert_ok(python_in(project, "-m", "toolkit", "check"))
    tests = run_generated_suite(project)  # with Redis here, its two-instance test runs too
    if reachable_redis():
        assert "SKIPPED" not in tests, tests


def test_without_websockets_nothing_of_them_is_rendered(default_service: Path) -> None:
    assert not (default_service / "app" / "realtime").exists()
    assert not (default_service / "tests" / "realtime").exists()
    repository = (default_service / "app" / "repositories" / "item.py").read_text()
    assert "class ItemRepository(TenantRepository[Item]):" in repository
    assert "realtime" not in (default_service / "app" / "main.py").read_text()
