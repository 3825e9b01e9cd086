"""How cited pages are fetched: limits, politeness, caps and the cache, in one frozen record."""
from __future__ import annotations

import math
from dataclasses import dataclass

from citelint import __version__

# Seconds options: (lowest allowed, is the lowest itself allowed, highest). Beyond these a value
# is a typo or an attack on the deadline watchdog (inf, nan), never a setting.
SECONDS = {
    "timeout": (0.0, False, 3600.0),
    "host-interval": (0.0, True, 60.0),
    "verify-budget": (0.0, False, 7 * 86_400.0),
}


def seconds_problem(key: str, value: float) -> str | None:
    """Why ``value`` is not usable for the seconds option ``key`` (None when it is)."""
    low, inclusive, high = SECONDS[key]
    if not math.isfinite(value):
        return f"must be a finite number of seconds, not {value}"
    if value < low or value == low and not inclusive:
        return f"must be {'at least' if inclusive else 'more than'} {low:g} seconds, not {value:g}"
    if value > high:
        return f"must be at most {high:g} seconds, not {value:g}"
    return None


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch: limits, politeness, caps and the cache."""

    timeout: float = 20.0  # total deadline per URL, all retries and redirects included
    connect_timeout: float = 5.0
    read_timeout: float = 10.0  # per socket read
    max_concurrency: int = 16  # worker threads
    per_host: int = 4  # concurrent requests per host
    min_interval: float = 0.1  # seconds between request starts to one host
    retries: int = 2  # for connection errors, timeouts, 429 and 5xx
    retry_after_cap: float = 30.0  # longest Retry-After honoured; beyond it: "blocked (rate-limited)"
    backoff: float = 0.5  # base of exponential backoff with jitter
    max_bytes: int = 5_000_000  # body cap (streamed), compressed bytes on the wire
    max_decompressed: int = 20_000_000  # cap after gzip/deflate decoding (gzip bombs)
    max_redirects: int = 10
    user_agent: str = f"citelint/{__version__} (+https://github.com/citelint/citelint; source-citation checker)"
    allow_hosts: frozenset[str] = frozenset()  # hostnames or IP literals exempt from the address policy
    cache_dir: str | None = None  # None: platformdirs user cache dir / "citelint"
    use_cache: bool = True
    offline: bool = False  # cache only; uncached URLs get Verdict.ERROR "not in the cache (--offline)"
    cache_ttl: float = 86_400.0  # seconds a success stays fresh
    budget: float | None = None  # seconds for all the run's fetching; later URLs are "not checked"

    def __post_init__(self) -> None:
        if self.max_concurrency < 1 or self.per_host < 1 or self.retries < 0 or self.max_redirects < 0:
            raise ValueError("max_concurrency and per_host must be at least 1, retries and max_redirects at least 0")
        timeouts = (self.timeout, self.connect_timeout, self.read_timeout, self.min_interval, self.budget or 1.0)
        if not all(math.isfinite(t) for t in timeouts):
            raise ValueError("timeouts, intervals and budgets must be finite")
        if min(self.timeout, self.connect_timeout, self.read_timeout, self.budget or 1.0) <= 0 or self.min_interval < 0:
            raise ValueError("timeouts must be positive")


@dataclass(frozen=True)
class Progress:
    """Emitted (in the fetching run's scheduling thread) after each distinct URL completes."""

    done: int
    total: int
    host: str
    elapsed: float
