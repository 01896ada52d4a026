"""Tracking codes are the citizen's only secret: drawn from the operating system's CSPRNG, unpredictable.

A sequential counter, a timestamp, or `random` (Mersenne Twister, reproducible from its seed)
would pass every other test of the portal; each test here fails for at least one of them.
"""

import random
from collections import Counter

from petitions.codes import ALPHABET, LENGTH, new_tracking_code

MANY = 5000


def draw(n=MANY):
    return [new_tracking_code() for _ in range(n)]


def test_codes_are_ten_symbols_of_the_readable_alphabet():
    for code in draw(200):
        assert len(code) == LENGTH
        assert set(code) <= set(ALPHABET)


def test_many_codes_are_distinct_and_share_no_long_prefix():
    codes = draw()
    assert len(set(codes)) == MANY
    # 7 symbols are 35 bits: 5000 random codes share such a prefix with probability ~0.04 %;
    # consecutive or time-based codes share it all the time.
    prefixes = Counter(code[:7] for code in codes)
    assert prefixes.most_common(1)[0][1] == 1


def test_every_position_uses_the_whole_alphabet_and_the_bits_are_balanced():
    codes = draw()
    for position in range(LENGTH):
        assert {code[position] for code in codes} == set(ALPHABET), f"position {position}"
    bits = "".join(format(ALPHABET.index(symbol), "05b") for code in codes for symbol in code)
    ones = bits.count("1") / len(bits)
    assert 0.49 < ones < 0.51  # 250,000 bits: one standard deviation is 0.001


def test_reseeding_the_random_module_does_not_repeat_the_codes():
    random.seed(2200)
    first = draw(20)
    random.seed(2200)
    second = draw(20)
    assert set(first).isdisjoint(second)


def test_codes_are_drawn_from_the_operating_system_random_source(monkeypatch):
    # secrets → random.SystemRandom → os.urandom. With that source stuck at zero, so is every code.
    monkeypatch.setattr(random, "_urandom", lambda n: bytes(n))
    assert new_tracking_code() == ALPHABET[0] * LENGTH
