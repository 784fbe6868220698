"""Email addresses as the service stores them: trimmed and lowercased, so each has one account."""

MAX_EMAIL_LENGTH = 320
# What `checked_email` accepts, for schemas to state: one `@` between two non-empty parts,
# without spaces or control characters. Spelled out, not `\s`: regex dialects disagree on it.
NOT_IN_AN_EMAIL = r"@\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
EMAIL_PATTERN = rf"^[^{NOT_IN_AN_EMAIL}]+@[^{NOT_IN_AN_EMAIL}]+$"


def canonical_email(text: str) -> str:
    return text.strip().lower()


def checked_email(text: str) -> str:
    """The canonical form of an address: one `@` between two non-empty parts, no spaces.

    Raises ValueError, with a sentence to show, for anything else.
    """
    email = canonical_email(text)
    local, _, domain = email.partition("@")
    if (
        not local
        or not domain
        or "@" in domain
        or any(character.isspace() for character in email)
        or len(email) > MAX_EMAIL_LENGTH
    ):
        raise ValueError(f"{text!r} is not an email address")
    return email
