"""A Redis cache that treats Redis being down, hung or refusing a write as a cache miss, never as an error.

Every cache on the site is an optimisation (pages, fragments, API throttles) or has its own fallback (the POST
rate limits, ``CacheUnavailable`` below), so a Redis outage costs speed, not answers. After a connection error or
a timeout the cache is not asked again for ``RETRY_SECONDS``: a hung Redis then costs one short socket timeout
per process every few seconds instead of one per cache call. A ``clear()`` that could not reach Redis is done as
soon as Redis answers again, so pages kept from before an editor's change or a restore are not served afterwards.
"""

import logging
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, RedisError, TimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0

# Per server and process, shared by every alias on that server and every thread: when Redis may be tried again.
_down_until: dict[str, float] = {}
# Server addresses whose clear() failed and is still owed.
_clear_owed: set[str] = set()


class CacheUnavailable(Exception):
    """A counter could not be read or changed: the cache's caller decides whether to go on without it."""


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache whose reads miss and whose writes are dropped, with a logged warning, while Redis fails.

    ``incr`` and ``decr`` raise ``CacheUnavailable`` instead, since a missing count is not a zero.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._server = ",".join(urlsplit(server).netloc or server for server in self._servers)
        self._address = ",".join(self._servers)

    def _call(self, method, *args, miss):
        if time.monotonic() < _down_until.get(self._server, 0.0):
            return miss
        try:
            if self._address in _clear_owed:
                super().clear()
                _clear_owed.discard(self._address)
            return method(*args)
        except (ConnectionError, TimeoutError) as error:
            _down_until[self._server] = time.monotonic() + RETRY_SECONDS
            logger.warning("Cache %s unreachable (%s); treated as empty for %s s", self._address, error, RETRY_SECONDS)
        except RedisError as error:  # refused commands, e.g. a write past maxmemory under noeviction
            logger.warning("Cache %s refused a command (%s); treated as a miss", self._address, error)
        return miss

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, key, value, timeout, version, miss=False)

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, miss=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, key, value, timeout, version, miss=None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, miss=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, miss=False)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, miss={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, miss=False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, miss=list(data))

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, keys, version, miss=None)

    def clear(self):
        cleared = self._call(super().clear, miss=None)
        if cleared is None:
            _clear_owed.add(self._address)
        return bool(cleared)

    def incr(self, key, delta=1, version=None):
        failed = object()
        count = self._call(super().incr, key, delta, version, miss=failed)
        if count is failed:
            raise CacheUnavailable(f"The cache {self._address} could not count {key!r}.")
        return count
