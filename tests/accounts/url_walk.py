"""Every URL in the URLconf, with sample arguments, so access tests cover views added later."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

__all__ = ["WalkedUrl", "urlconf_walk"]

# Sample values by argument name, then by converter; regex groups in the admin need real
# app and model names to resolve.
SAMPLE_BY_NAME = {
    "app_label": "auth",
    "model_name": "user",
    "object_id": "1",
    "url": "nowhere/",
}
SAMPLE_UUID = str(uuid.UUID(int=1))


@dataclass(frozen=True)
class WalkedUrl:
    name: str  # "namespace:name", or the pattern text when unnamed
    path: str


def _sample(param: str, converter) -> str:
    if param == "content_type_id":
        # A model with a table: the dashboard's permission holder has none.
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType

        return str(ContentType.objects.get_for_model(get_user_model()).pk)
    if param in SAMPLE_BY_NAME:
        return SAMPLE_BY_NAME[param]
    kind = type(converter).__name__ if converter is not None else ""
    return {"IntConverter": "1", "UUIDConverter": SAMPLE_UUID}.get(kind, "x")


def _walk(patterns, prefix: str, namespace: str, converters: dict):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                ns,
                {**converters, **getattr(entry.pattern, "converters", {})},
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else prefix + str(entry.pattern)
            yield (
                name,
                prefix + str(entry.pattern),
                {
                    **converters,
                    **getattr(entry.pattern, "converters", {}),
                },
            )


def _concrete(route: str, converters: dict) -> str:
    """Turn ``customers/<uuid:uuid>/`` or ``^(?P<app_label>auth)/$`` into a sample path."""

    def group(match: re.Match) -> str:
        param, body = match["param"], match["body"]
        if param in SAMPLE_BY_NAME:
            return SAMPLE_BY_NAME[param]
        alternatives = body.split("|")
        return alternatives[0] if alternatives[0].isidentifier() else "1"

    # Regex groups first: their ``<name>`` would otherwise look like a route converter.
    path = re.sub(r"\(\?P<(?P<param>\w+)>(?P<body>[^)]*)\)", group, route)
    path = re.sub(
        r"<(?:(?P<conv>[^>:]+):)?(?P<param>[^>]+)>",
        lambda m: _sample(m["param"], converters.get(m["param"])),
        path,
    )
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def urlconf_walk() -> tuple[list[WalkedUrl], list[str]]:
    """All URLs that resolve with sample arguments, and the routes that could not be made."""
    walked, unresolvable = [], []
    for name, route, converters in _walk(get_resolver().url_patterns, "", "", {}):
        path = _concrete(route, converters)
        try:
            resolve(path)
        except Resolver404:
            unresolvable.append(route)
            continue
        walked.append(WalkedUrl(name=name, path=path))
    return walked, unresolvable
