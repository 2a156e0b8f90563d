"""Remember at login whether the user works cases, so every page can link to the workspace
without asking the database for the user's permissions on each request."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from grants import permissions

#: Session key: whether the logged-in user may use /handlaggning/. Only the link depends on it;
#: every officer page checks the permissions again.
CASEWORKER_SESSION_KEY = "bidrag_caseworker"
#: Session key: whether the logged-in user may use /ekonomi/ (only the link depends on it).
FINANCE_SESSION_KEY = "bidrag_finance"


@receiver(user_logged_in)
def remember_caseworker(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[CASEWORKER_SESSION_KEY] = permissions.is_caseworker(user)
        request.session[FINANCE_SESSION_KEY] = permissions.is_finance(user)
