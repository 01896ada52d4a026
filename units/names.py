"""How a person's name is written: family name first in Vietnamese ("Lê Thu Hà").

An account keeps the family name (with any middle name) in `last_name` and the given name in
`first_name`. Vietnamese writes the family name first; other languages use Django's "first last".
Every page, e-mail, admin column, history and timeline names people through `display_name`.
"""

from django.utils import translation


def display_name(user, language: str | None = None) -> str:
    """Return `user`'s full name in the order of `language` (default: the active one), else their
    username; '' for no user."""
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    language = language or translation.get_language() or "vi"
    if language.split("-")[0] == "vi":
        name = f"{last} {first}".strip()
    else:
        name = f"{first} {last}".strip()
    return name or user.get_username()
