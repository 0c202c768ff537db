"""Request bodies checked against the OpenAPI description, answered in GitHub's words.

GitHub validates JSON bodies against its schema before any handler runs: a body that is
not JSON is a 400 ``Problems parsing JSON``; a missing required key or a value of the
wrong type is a 422 ``Invalid request.`` followed by what was wrong, e.g.
``"sha" wasn't supplied.`` (wording as seen in GitHub's answers).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from jsonschema import Draft4Validator

if TYPE_CHECKING:
    from .wire import Req


def _openapi_to_jsonschema(schema: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` is JSON Schema's ``type: [t, "null"]``."""
    if isinstance(schema, list):
        return [_openapi_to_jsonschema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _openapi_to_jsonschema(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable"):
        if "type" in out:
            kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*kinds, "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


@lru_cache(maxsize=256)
def _validator(schema_json: str) -> Draft4Validator:
    return Draft4Validator(_openapi_to_jsonschema(json.loads(schema_json)))


def _where(path: Any) -> str:
    parts = ["properties/" + str(p) if isinstance(p, str) else str(p) for p in path]
    return "/".join(parts) or "body"


def check_body(req: Req, schema: dict[str, Any] | None) -> tuple[int, str] | None:
    """``(status, message)`` when GitHub would refuse the body, else None."""
    if schema is None:
        return None
    raw = req.body.strip()
    if not raw:
        data: Any = {}
    else:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return 400, "Problems parsing JSON"
    errors = sorted(
        _validator(json.dumps(schema, sort_keys=True)).iter_errors(data),
        key=lambda e: (len(e.path), list(map(str, e.path))),
    )
    if not errors:
        return None
    err = errors[0]
    if err.validator == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        if len(missing) == 1 and not err.path:
            return 422, f'Invalid request.\n\n"{missing[0]}" wasn\'t supplied.'
        keys = ", ".join(sorted(err.instance)) if isinstance(err.instance, dict) else ""
        return 422, (
            f'Invalid request.\n\nMissing required keys "{", ".join(missing)}" in object; '
            f'keys are "{keys}".'
        )
    value = json.dumps(err.instance)
    if err.validator == "type":
        wanted = err.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return 422, f"Invalid request.\n\nFor '{_where(err.path)}', {value} is not {_a(wanted)}."
    if err.validator == "enum":
        options = ", ".join(json.dumps(v) for v in err.validator_value)
        return 422, (
            f"Invalid request.\n\nFor '{_where(err.path)}', {value} is not a member of [{options}]."
        )
    return 422, f"Invalid request.\n\nFor '{_where(err.path)}', {err.message}."


def _a(kind: str) -> str:
    return ("an " if kind[:1] in "aeiou" else "a ") + kind
