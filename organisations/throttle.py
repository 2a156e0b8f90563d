"""Limits on the public account pages: the client's address, and counters in Django's cache.

The e-mail throttle keeps the sign-up, confirmation and password reset pages from being used to
bomb an inbox: past the limit the page reads the same, but nothing is sent. The login lockout is
django-axes' (config/settings.py); it reads the client address and the e-mail address from here.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

HOUR = 60 * 60


def allow(key: str, limit: int, window: int) -> bool:
    """Count one more event for ``key``; return whether it is within ``limit`` per ``window``.

    The window (seconds) starts at the first event, and the count starts over when it ends.
    """
    cache_key = "throttle:" + hashlib.sha256(key.encode()).hexdigest()
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The window ended between add and incr.
        cache.add(cache_key, 1, timeout=window)
        return True
    return count <= limit


def client_ip(request) -> str:
    """Return the client's address: REMOTE_ADDR, or the one the proxies put in X-Forwarded-For.

    With ``PROXY_COUNT`` proxies, each appending the address it got the request from, the
    client's address is the ``PROXY_COUNT``-th from the right; anything left of it the client
    may have written itself.
    """
    count = settings.PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def login_username(request, credentials: dict | None) -> str:
    """Return the e-mail address a login is tried for, as django-axes counts it (small letters).

    The login ignores case, so "Anna@…" and "anna@…" must share one count.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field)
    if value is None:
        value = getattr(request, "POST", {}).get(field, "")
    return str(value).strip().lower()


def email_allowed(request, email: str, purpose: str) -> bool:
    """Count an e-mail asked for to ``email``; return whether it may be sent.

    At most ``EMAIL_LIMIT_PER_IP`` an hour from one client and ``EMAIL_LIMIT_PER_ADDRESS`` an
    hour to one address. A refusal is logged; the caller shows the usual page and sends nothing.
    """
    ip = client_ip(request)
    if not allow(f"email-ip:{ip}", settings.EMAIL_LIMIT_PER_IP, HOUR):
        logger.warning(
            "Too many account e-mails asked for from %s; %s e-mail not sent", ip, purpose
        )
        return False
    if not allow(f"email-to:{email.strip().lower()}", settings.EMAIL_LIMIT_PER_ADDRESS, HOUR):
        logger.warning(
            "Too many account e-mails asked for to one address (last from %s); %s e-mail not sent",
            ip,
            purpose,
        )
        return False
    return True
