"""Certificates a client must refuse: self-signed, expired, issued for another name.

The proxy normally presents a certificate for the requested name signed by its CA
(which the clients trust). For a host declared with ``tls=...`` the addon swaps in
one of these instead, made with the same CA key where the fault is not the issuer.
"""

from __future__ import annotations

import datetime
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

MODES = ("self-signed", "expired", "wrong-host")
WRONG_NAME = "wrong-name.invalid"


@cache
def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def certificate(
    mode: str, host: str, ca_key: rsa.RSAPrivateKey, ca_cert: x509.Certificate
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A leaf certificate for ``host`` with the fault ``mode``, and its key."""
    if mode not in MODES:
        raise ValueError(f"unknown tls fault {mode!r}; one of {MODES}")
    now = datetime.datetime.now(datetime.UTC)
    name = WRONG_NAME if mode == "wrong-host" else host
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    if mode == "expired":
        start, end = now - datetime.timedelta(days=800), now - datetime.timedelta(days=400)
    else:
        start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)
    key = _key()
    if mode == "self-signed":
        issuer, signer = subject, key
    else:
        issuer, signer = ca_cert.subject, ca_key
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(signer, hashes.SHA256())
    )
    return cert, key
