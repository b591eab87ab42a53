"""Signing out of the identity provider too (OpenID Connect RP-initiated logout).

Signing out of the dashboard alone would leave the provider's session open: on a shared
computer the next person pressing "Sign in with ..." would be signed straight back in as
the previous user. So a user who signed in through single sign-on is sent on to the
provider's ``end_session_endpoint`` (from its discovery document), which ends its session
and sends the browser back to the dashboard's login page. A provider that has no such
endpoint (Google) leaves only the dashboard's sign-out, and an unreachable one must not
stop anyone signing out: both fall back to the dashboard's own login page.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode, urlsplit

import requests
from allauth.account.authentication import get_authentication_records
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.http import HttpRequest

__all__ = ["provider_logout_url"]

logger = logging.getLogger(__name__)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _signed_in_through_sso(request: HttpRequest) -> bool:
    return any(
        record.get("method") == "socialaccount"
        and record.get("provider") == settings.SSO_PROVIDER_ID
        for record in get_authentication_records(request, request.user)
    )


def provider_logout_url(request: HttpRequest, *, then: str) -> str | None:
    """Where to send a user signing out so the provider ends its session too, coming back
    to ``then`` (a path of this site); None when there is nothing to end there."""
    if not (settings.SSO_ENABLED and settings.SSO_END_PROVIDER_SESSION):
        return None
    if not request.user.is_authenticated or not _signed_in_through_sso(request):
        return None
    try:
        provider = get_social_adapter().get_provider(request, settings.SSO_PROVIDER_ID)
        discovery = OpenIDConnectOAuth2Adapter(request, settings.SSO_PROVIDER_ID).openid_config
        endpoint = discovery.get("end_session_endpoint")
    except (requests.RequestException, ValueError) as error:
        # Signing out here still works; the provider's session is left as it is.
        logger.warning(
            "single sign-on: the provider's discovery document could not be read (%s); "
            "signed out of the dashboard only",
            type(error).__name__,
        )
        return None
    form_action = {
        source.lower() for source in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]
    }
    if not isinstance(endpoint, str) or _origin(endpoint) not in form_action:
        # None, or somewhere the Content-Security-Policy's form-action (the issuer's origin)
        # does not allow: browsers hold the sign-out form's redirect to it, and would stop
        # on a blocked page instead.
        if endpoint:
            logger.warning(
                "single sign-on: the provider's end_session_endpoint is not on the issuer's "
                "origin; signed out of the dashboard only"
            )
        return None
    # client_id rather than id_token_hint: the dashboard keeps no token from the provider
    # (SOCIALACCOUNT_STORE_TOKENS off), and RP-initiated logout accepts either.
    query = urlencode(
        {
            "client_id": provider.app.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(then),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
