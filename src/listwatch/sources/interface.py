"""What every source shares: its context, its interface and its result type.

A source is built with a ``SourceContext`` (the run's network, the facts cache,
the clock, how old a cached answer may be) and answers ``fetch(keys)`` with a
``SourceResult``: facts by key, the keys the service does not know, warnings,
and the requests it sent (read from the run's request accounting).
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Generic, TypeVar

from listwatch.model import FactCache
from listwatch.net import Network
from listwatch.net.services import Service

T = TypeVar("T")


@dataclass(frozen=True)
class SourceContext:
    """What a source needs from the run: network, facts cache, clock, freshness."""

    network: Network
    cache: FactCache | None
    now: datetime
    max_age_s: float


@dataclass(frozen=True)
class SourceResult(Generic[T]):
    """Facts by key; keys the service does not know; warnings; requests sent."""

    facts: Mapping[str, T] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    requests: int = 0


class Source(ABC, Generic[T]):
    """One remote service seen as ``keys → facts``."""

    service: ClassVar[Service]

    def __init__(self, context: SourceContext) -> None:
        self.context = context

    @property
    def network(self) -> Network:
        return self.context.network

    async def fetch(self, keys: Iterable[str]) -> SourceResult[T]:
        """Facts for ``keys``; ``requests`` counts what this call sent (retries included)."""
        log = self.network.requests
        before = log.count(self.service.key)
        result = await self._fetch(keys)
        return dataclasses.replace(result, requests=log.count(self.service.key) - before)

    @abstractmethod
    async def _fetch(self, keys: Iterable[str]) -> SourceResult[T]:
        """The work of ``fetch`` (its ``requests`` is filled in by ``fetch``)."""
