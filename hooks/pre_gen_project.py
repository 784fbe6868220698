"""Refuse bad answers before anything is kept: one clear sentence, a non-zero exit, no directory.

Cookiecutter deletes the half-made directory when this hook exits non-zero. The answers are
read from JSON in a raw string, so no answer, quotes and all, can break this script's syntax.
"""

import json
import keyword
import re
import sys

ANSWERS: dict[str, str] = json.loads(r"""{{ cookiecutter | jsonify }}""")

# Free text, and how long it may be: the name is a title, the description one sentence.
LONGEST_TEXT = {"project_name": 60, "description": 300, "author_name": 100}
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13", "3.14")
SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
# PostgreSQL names are at most 63 bytes, and the tools' scratch databases add up to 24
# characters to the slug's.
LONGEST_SLUG = 39
EMAIL = re.compile(r'[^@\s"\\]+@[^@\s"\\]+\.[^@\s"\\]+')
# Names the service's modules or dependencies use (`test` is absent from stdlib_module_names).
TAKEN_NAMES = {
    "aiosqlite", "alembic", "app", "asyncpg", "fastapi", "httpx", "lockstep", "mypy",
    "pydantic", "pydantic_settings", "pytest", "ruff", "sqlalchemy", "sqlmodel",
    "starlette", "test", "tests", "uvicorn",
}  # fmt: skip


def slug_problem(slug: str) -> str | None:
    if not SLUG.fullmatch(slug):
        return (
            f"project_slug {slug!r} is not valid: use lowercase letters, digits and single "
            "hyphens, starting with a letter (for example 'billing-service')"
        )
    if len(slug) > LONGEST_SLUG:
        return (
            f"project_slug is {len(slug)} characters long; at most {LONGEST_SLUG}, because it "
            "also names the service's PostgreSQL databases"
        )
    return None


def package_name_problem(name: str) -> str | None:
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"the name {name!r} is a Python keyword; choose another project_slug"
    if name in sys.stdlib_module_names or name in TAKEN_NAMES:
        return (
            f"the name {name!r} would shadow the module of the same name that the service "
            "imports; choose another project_slug"
        )
    return None


def email_problem(email: str) -> str | None:
    if not EMAIL.fullmatch(email):
        return f"author_email {email!r} is not an email address (it needs a name, '@' and a domain)"
    return None


def python_problem(version: str) -> str | None:
    if version not in SUPPORTED_PYTHONS:
        return (
            f"python_version {version!r} is not supported: choose one of "
            f"{', '.join(SUPPORTED_PYTHONS)}"
        )
    return None


def free_text_problem(field: str, text: str) -> str | None:
    """These answers are written into Python and TOML strings, where quotes would end them."""
    if not text.strip():
        return f"{field} must not be empty"
    if any(character in text for character in '"\\\n'):
        return f"{field} must not contain double quotes, backslashes or line breaks"
    if len(text) > LONGEST_TEXT[field]:
        return f"{field} is {len(text)} characters long; at most {LONGEST_TEXT[field]}"
    return None


def option_clash_problem(auth: str, multi_tenant: str) -> str | None:
    if auth == "none" and multi_tenant == "yes":
        return (
            "multi_tenant=yes needs auth=jwt or auth=oauth2_proxy, because a request's tenant "
            "comes from its signed-in user and auth=none has no users"
        )
    return None


def problems() -> list[str]:
    found = [
        *(free_text_problem(field, ANSWERS[field]) for field in LONGEST_TEXT),
        slug_problem(ANSWERS["project_slug"]),
        email_problem(ANSWERS["author_email"]),
        python_problem(ANSWERS["python_version"]),
        option_clash_problem(ANSWERS["auth"], ANSWERS["multi_tenant"]),
    ]
    # The package name derives from the slug: judge it only once the slug itself is sound.
    if slug_problem(ANSWERS["project_slug"]) is None:
        found.append(package_name_problem(ANSWERS["__package_name"]))
    return [problem for problem in found if problem]


def main() -> None:
    found = problems()
    if found:
        print(f"lockstep: {found[0]}.", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
