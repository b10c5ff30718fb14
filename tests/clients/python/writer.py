"""A redis-py application that finds the master through the Sentinels, writing one key at a time across failovers.

With "url" in its settings it is instead an application that knows one address, as most REDIS_URL settings do: it
connects to the resource's master endpoint with redis.Redis.from_url and nothing else (no Sentinel).

Driven by tests/Redoubt.Integration.Tests/Connecting/ClientFailoverTests.cs and `bench clients`. Run it with Debian's
/usr/bin/python3 (package python3-redis, redis-py 4.3), not a python3 from pyenv, which lacks that package.

Settings come as one line of JSON on stdin, never on the command line or in the environment, where other users of
the machine could read the password:
    {"sentinels": ["127.20.0.1:26379", ...], "masterName": "mymaster", "password": "...", "prefix": "redis-py"}
    {"url": "redis://:<password>@127.20.255.1:6379", "prefix": "redis-py-url"}
Writes <prefix>:<n> = n for n = 1, 2, ... one at a time; an error is reported and the same n is retried after 10 ms.
Prints, flushing each line:
    ok <n> <unix-ms>           the write of n was acknowledged at unix-ms
    err <unix-ms> <message>    a write failed
Stops on SIGTERM or when stdin closes.
"""

import json
import signal
import sys
import threading
import time

from redis import Redis
from redis.exceptions import RedisError
from redis.sentinel import Sentinel

# Bounds every call on a node or a Sentinel that accepts connections but does not answer; the figure the task names.
SOCKET_TIMEOUT = 0.5
RETRY_PAUSE = 0.01


def now_ms():
    return int(time.time() * 1000)


def address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def main():
    settings = json.loads(sys.stdin.readline())
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def wait_for_stdin_to_close():
        # The rest of stdin is nothing but the signal to stop: its end.
        sys.stdin.read()
        stop.set()

    threading.Thread(target=wait_for_stdin_to_close, daemon=True).start()

    master = connect(settings)
    prefix = settings["prefix"]
    out = sys.stdout
    n = 1
    while not stop.is_set():
        try:
            master.set(f"{prefix}:{n}", n)
            out.write(f"ok {n} {now_ms()}\n")
            out.flush()
            n += 1
        except RedisError as e:
            # Connection refused, timeouts, READONLY from a demoted master, no master named: all retried alike.
            message = f"{type(e).__name__}: {e}".replace("\n", " ")
            out.write(f"err {now_ms()} {message}\n")
            out.flush()
            stop.wait(RETRY_PAUSE)


def connect(settings):
    if settings.get("url"):
        # One address: a connection that fails is dropped, and the next command opens a new one to the same address.
        return Redis.from_url(settings["url"], socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT)

    password = settings.get("password")
    # redis-py's documented way: the Sentinels (with their own connection settings: a password given here is not
    # passed on to them otherwise), then master_for, whose pool asks the Sentinels for the master on every new
    # connection and drops its connections when a node it took for the master answers as a replica.
    sentinel = Sentinel(
        [address(s) for s in settings["sentinels"]],
        socket_timeout=SOCKET_TIMEOUT,
        sentinel_kwargs={"password": password, "socket_timeout": SOCKET_TIMEOUT, "socket_connect_timeout": SOCKET_TIMEOUT},
    )
    return sentinel.master_for(
        settings["masterName"], password=password, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT
    )


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        # The reader went away first: nothing is left to report to.
        sys.exit(0)
