"""`make mutation` works in a fresh render: mutmut changes the token code one thing at a
time, runs the tests that reach it, and gives every change a verdict."""

import sys

from pytest_cookies.plugin import Cookies

from tests.conftest import assert_ok, bake, run_in

KILLED, SURVIVED = "\N{PARTY POPPER}", "\N{SLIGHTLY FROWNING FACE}"


def test_mutation_testing_runs_in_a_fresh_render(cookies: Cookies) -> None:
    project = bake(cookies)

    output = assert_ok(
        run_in(project, sys.executable, "-m", "mutmut", "run", "app.auth.tokens.*")
    )

    verdicts = [
        line.split()[0] for line in output.splitlines() if " app.auth.tokens.x_" in line
    ]
    assert len(verdicts) >= 40, output
    # Every change was tried (no timeouts, no mutant left unchecked)…
    assert set(verdicts) <= {KILLED, SURVIVED}, output
    # …and the suite noticed most: each survivor is a test still to write (docs/testing.md).
    assert verdicts.count(KILLED) >= 0.8 * len(verdicts), output
