"""The finance workspace under /ekonomi/: bank-detail verification, payable payments, payment
batches and their files, and repayment claims (DESIGN §6).

Every view here is for finance officers: ``finance_required`` lets them in and gives everyone else
403 (or the login page). Selectors hide what a finance officer has jäv for, and the services check
every permission again.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from grants import permissions


def finance_required(view):
    """Let only logged-in finance officers in; anyone else logged in gets 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.is_finance(request.user):
            raise PermissionDenied(_("This page is for the region's finance officers."))
        return view(request, *args, **kwargs)

    return wrapper
