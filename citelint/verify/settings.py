"""How cited pages are fetched: limits, politeness, caps and the cache, in one frozen record."""
from __future__ import annotations

from dataclasses import dataclass

from citelint import __version__


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

    def __post_init__(self) -> None:
        if self.max_concurrency < 1 or self.per_host < 1 or self.retries < 0 or self.max_redirects < 0:
            raise ValueError("max_concurrency and per_host must be at least 1, retries and max_redirects at least 0")
        if min(self.timeout, self.connect_timeout, self.read_timeout) <= 0:
            raise ValueError("timeouts must be positive")
