"""`requires_redis` probes where REDIS_URL points, not a fixed 127.0.0.1:6379."""

import socket

from tests.conftest import redis_address, redis_reachable


def test_redis_address_is_read_from_the_url():
    assert redis_address("redis://10.1.2.3:6380/4") == ("10.1.2.3", 6380)
    assert redis_address("rediss://:secret@cache.internal:6390/0") == ("cache.internal", 6390)
    assert redis_address("redis://cache.internal/2") == ("cache.internal", 6379)


def test_redis_is_reachable_only_where_the_url_points():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert redis_reachable(f"redis://127.0.0.1:{port}/3")
    # Nothing listens there any more, whatever runs on 6379.
    assert not redis_reachable(f"redis://127.0.0.1:{port}/3")
    assert not redis_reachable("")
