"""probe stage: is a link alive? HTTP engine, politeness, retries, verifiers, flakiness."""

from listwatch.probe.context import ProbeContext
from listwatch.probe.engine import probe_urls
from listwatch.probe.flakiness import assess, fresh_ok, needs_history

__all__ = ["ProbeContext", "assess", "fresh_ok", "needs_history", "probe_urls"]
