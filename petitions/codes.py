"""Tracking codes: random, at least 40 bits, easy to read aloud over the phone.

Ten symbols from Crockford's base-32 alphabet (no I, L, O, U) give 50 random bits, shown as
two groups of five (`7KQ2M-X9D4T`). Look-ups normalise what a citizen types: lower case,
spaces and dashes, and the letters I/L/O that people type for 1 and 0.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_tracking_code() -> str:
    """Return a new random tracking code (50 bits of entropy), without its display dash."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_tracking_code(raw: str) -> str | None:
    """Return the canonical form of a code a citizen typed, or None if it cannot be a code."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    cleaned = re.sub(r"[\s\-_.]", "", raw).upper().translate(_CONFUSABLE)
    return cleaned if _VALID.match(cleaned) else None


def display_tracking_code(code: str) -> str:
    """Return the code as shown to people: two groups of five."""
    return f"{code[:5]}-{code[5:]}" if len(code) == LENGTH else code
