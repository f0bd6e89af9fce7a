"""The proxy itself: it forwards, refuses when down, and holds replies when hung."""

import socket

import pytest
import redis

from tests.faults.proxy import HANG


def client_for(proxy, timeout: float = 0.3) -> redis.Redis:
    return redis.Redis(
        host="127.0.0.1", port=proxy.port, socket_timeout=timeout, socket_connect_timeout=timeout
    )


def test_forwards_to_the_server(redis_proxy):
    assert client_for(redis_proxy).ping() is True


def test_down_resets_open_connections_and_refuses_new_ones(redis_proxy):
    client = client_for(redis_proxy)
    client.ping()
    with redis_proxy.outage():
        with pytest.raises(redis.ConnectionError):
            client.ping()
        with pytest.raises(redis.ConnectionError):
            client_for(redis_proxy).ping()
    assert client.ping() is True  # back without a restart


def test_hang_accepts_but_never_answers(redis_proxy):
    client = client_for(redis_proxy)
    client.ping()
    with redis_proxy.outage(HANG), pytest.raises((redis.TimeoutError, socket.timeout)):
        client.ping()
    assert client_for(redis_proxy).ping() is True
