"""Static files storage: WhiteNoise's compressed, content-hashed files, minus source maps.

The vendored minified Bootstrap names source maps (``//# sourceMappingURL=...``) that are
not shipped. Django's manifest storage would try to hash those and fail ``collectstatic``;
leaving the comments alone costs nothing but a 404 in a developer's browser tools.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage

__all__ = ["HashedStaticFilesStorage"]


def _without_source_maps(patterns):
    """Django's reference patterns for CSS and JS, minus the sourceMappingURL ones."""

    def is_source_map(pattern) -> bool:
        regex = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" in regex

    return tuple(
        (glob, tuple(pattern for pattern in group if not is_source_map(pattern)))
        for glob, group in patterns
    )


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Compressed copies with hashed names (far-future caching); source maps not followed."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
