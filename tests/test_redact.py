"""Secrets in URLs are masked wherever listwatch copies a URL; the rest stays as written."""

from __future__ import annotations

import pytest

from listwatch.redact import has_secret, redact_text, redact_url, shareable


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pass@host.example/p?token=abc&x=1#f",
         "https://user:REDACTED@host.example/p?token=REDACTED&x=1#f"),
        ("https://h.example/f?X-Amz-Signature=ff&X-Amz-Credential=c&X-Amz-Expires=60",
         "https://h.example/f?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED"
         "&X-Amz-Expires=60"),
        ("https://h.example/?api_key=1;sig=2;github_token=3;Password=4",
         "https://h.example/?api_key=REDACTED;sig=REDACTED;github_token=REDACTED;"
         "Password=REDACTED"),
        ("https://ghp_abcdefabcdefabcdefabcdefabcd@github.com/o/r",
         "https://REDACTED@github.com/o/r"),
        ("http://h.example/cb#access_token=q&state=1",
         "http://h.example/cb#access_token=REDACTED&state=1"),
        # Nothing secret: every byte kept, even odd ones.
        ("https://git@github.com/o/r", "https://git@github.com/o/r"),
        ("https://h.example/a%20b?q=key&sort=token", "https://h.example/a%20b?q=key&sort=token"),
        ("https://h.example/?token=", "https://h.example/?token="),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    assert has_secret(url) == (url != shown)


def test_redact_text_keeps_markdown_and_punctuation_around_urls() -> None:
    text = ("see [1](https://h.example/?sig=zz) and (https://u:p@h.example/x?key=k). "
            "Also <https://h.example/w_(x)?token=t>")
    assert redact_text(text) == (
        "see [1](https://h.example/?sig=REDACTED) and (https://u:REDACTED@h.example/x?"
        "key=REDACTED). Also <https://h.example/w_(x)?token=REDACTED>")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/paper", True),
        ("http://10.1.2.3/x", False),
        ("http://[::1]/x", False),
        ("http://169.254.169.254/latest/meta-data", False),
        ("https://intranet/x", False),
        ("https://wiki.corp/x", False),
        ("http://localhost:8080/x", False),
        ("https://example.org/x?token=1", False),
        ("https://u:p@example.org/x", False),
        ("ftp://example.org/x", False),
    ],
)
def test_shareable(url: str, ok: bool) -> None:
    assert shareable(url) is ok
