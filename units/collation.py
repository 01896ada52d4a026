"""Vietnamese alphabetical order, for lists of wards people scan by eye.

Code-point order (the database's default in SQLite and in PostgreSQL's "C" collation) puts every
letter with a diacritic after "z": "Đông Ngạc" after "Xuân Đỉnh", "Ô Diên" at the very end. The
Vietnamese alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: ă, â, đ, ê, ô, ơ, ư
are letters of their own, each right after its base letter, while the five tone marks only decide
between words that are otherwise the same (ngang, huyền, hỏi, ngã, sắc, nặng).
"""

import unicodedata

# f, j, w and z are not Vietnamese letters but occur in names; they take their Latin place.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
RANK = {letter: number for number, letter in enumerate(ALPHABET)}
# Combining marks that make a letter of its own (breve, circumflex, horn).
LETTER_MARKS = frozenset("\u0306\u0302\u031b")
# Tone marks in the traditional order: none, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter_and_tone(char: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", char.lower())
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    letter_marks = ""
    for mark in marks:
        if mark in TONES:
            tone = TONES[mark]
        elif mark in LETTER_MARKS:
            letter_marks += mark
    letter = unicodedata.normalize("NFC", base + letter_marks)
    return letter, tone


def vietnamese_key(text: str) -> tuple:
    """Return a sort key putting `text` in Vietnamese alphabetical order (case- and tone-insensitive first)."""
    primary, tones, cases = [], [], []
    for char in unicodedata.normalize("NFC", text or ""):
        letter, tone = _letter_and_tone(char)
        if letter in RANK:
            primary.append((2, RANK[letter]))
        elif char.isdigit():
            primary.append((1, int(unicodedata.digit(char, 0))))
        elif char.isspace():
            primary.append((0, 0))
        else:
            primary.append((3, ord(letter)))
        tones.append(tone)
        cases.append(0 if char.islower() else 1)
    return (tuple(primary), tuple(tones), tuple(cases), text)
