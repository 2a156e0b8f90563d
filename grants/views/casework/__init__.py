"""The officer workspace under /handlaggning/: the queue, the case page and handling.

Every view here is for caseworkers (culture officers, decision makers and committee secretaries):
``caseworker_required`` lets them in and gives everyone else 403 (or the login page). The case
itself is fetched with ``selectors.application_for_caseworker``, which refuses jäv. The services
check every permission again.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from grants import permissions


def caseworker_required(view):
    """Let only logged-in caseworkers in; anyone else logged in gets 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.is_caseworker(request.user):
            raise PermissionDenied(_("This page is for the region's culture officers."))
        return view(request, *args, **kwargs)

    return wrapper
