"""Account pages: sign up and confirm the e-mail address, log in, passwords, the account page."""

import math
from urllib.parse import urlencode, urlsplit

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from organisations import forms, services
from organisations.errors import WorkflowError
from organisations.models import User
from organisations.throttle import email_allowed

# --- Helpers shared by the pages ---------------------------------------------------------------


def _safe_next(request) -> str:
    """Return the ``next`` address of the request if it stays on this site, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


def in_language(url: str, language: str) -> str:
    """Return the address of the same page in ``language`` (``/en/…`` for English)."""
    path_language = translation.get_language_from_path(urlsplit(url).path)
    with translation.override(path_language or settings.LANGUAGE_CODE):
        return translate_url(url, language)


def remember_language(response, language: str):
    """Set the language cookie, so that the visitor's next pages are in ``language``."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _absolute(request, name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))


def _send_activation(request, user: User, next_url: str) -> None:
    url = _absolute(
        request,
        "accounts:activate",
        user.language,
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=services.account_activation_token.make_token(user),
    )
    services.user_activation_email_send(user=user, activation_url=_with_next(url, next_url))


def _send_account_exists(request, user: User) -> None:
    services.user_exists_email_send(
        user=user,
        login_url=_absolute(request, "accounts:login", user.language),
        password_reset_url=_absolute(request, "accounts:password_reset", user.language),
    )


def _user_from_activation_link(uidb64: str, token: str) -> User | None:
    """Return the pending user the link was made for, or None if it is wrong, used or old."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
        user = User.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
        return None
    if user.is_active or not services.account_activation_token.check_token(user, token):
        return None
    return user


# --- Sign-up and confirmation --------------------------------------------------------------------


def signup(request):
    """Create an account; the same "check your e-mail" page follows whether or not it existed."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "portal:dashboard")
    form = forms.SignUpForm(
        request.POST if request.method == "POST" else None,
        initial={"language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = redirect(_with_next(reverse("accounts:signup_done"), next_url))
        if not email_allowed(request, data["email"], "sign-up"):
            return done
        try:
            user = services.user_sign_up(
                full_name=data["full_name"],
                email=data["email"],
                password=data["password1"],
                language=data["language"],
                phone=data["phone"],
            )
        except WorkflowError as error:
            if error.code != "email_registered":
                for problem in error.problems or [str(error)]:
                    form.add_error(None, problem)
                return _signup_page(request, form, next_url)
            # Take as long as a real sign-up does, so the time taken does not tell either.
            User().set_password(data["password1"])
            existing = User.objects.filter(email__iexact=data["email"]).first()
            if existing is not None:
                _send_account_exists(request, existing)
        else:
            _send_activation(request, user, next_url)
        return done
    return _signup_page(request, form, next_url)


def _signup_page(request, form, next_url: str):
    login_url = _with_next(reverse("accounts:login"), next_url)
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": next_url, "login_url": login_url},
    )


def signup_done(request):
    """Tell the visitor to look for the confirmation e-mail."""
    return render(
        request,
        "accounts/signup_done.html",
        {"next": _safe_next(request), "days": services.link_valid_days()},
    )


def resend_activation(request):
    """Send the confirmation link again; the page reads the same whatever the address."""
    next_url = _safe_next(request)
    form = forms.ResendActivationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if email_allowed(request, email, "confirmation link"):
            user = User.objects.filter(email__iexact=email).first()
            if user is not None and services.user_is_pending(user):
                _send_activation(request, user, next_url)
            elif user is not None and user.is_active:
                _send_account_exists(request, user)
        return redirect(_with_next(reverse("accounts:signup_done"), next_url))
    return render(request, "accounts/resend_activation.html", {"form": form, "next": next_url})


def _link_invalid(request, next_url: str):
    return render(
        request,
        "accounts/activate_invalid.html",
        {"next": next_url, "days": services.link_valid_days()},
    )


def activate(request, uidb64, token):
    """Confirm the e-mail address with the link's button, then log in (POST activates).

    The page asks for one click: mail scanners that open links must not use up the link.
    """
    next_url = _safe_next(request)
    user = _user_from_activation_link(uidb64, token)
    if user is None:
        return _link_invalid(request, next_url)
    if request.method == "POST":
        try:
            services.user_activate(user=user)
        except WorkflowError:
            return _link_invalid(request, next_url)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        with translation.override(user.language):
            messages.success(
                request, _("Your e-mail address is confirmed and you are logged in. Welcome!")
            )
        target = in_language(next_url or reverse("portal:dashboard"), user.language)
        return remember_language(redirect(target), user.language)
    return render(request, "accounts/activate.html", {"email": user.email, "next": next_url})


# --- Logging in and passwords --------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Log in by e-mail; continue in the language saved on the account."""

    authentication_form = forms.EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        response["Location"] = in_language(response["Location"], language)
        return remember_language(response, language)


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows instead of logging in, once there were too many wrong tries."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to choose a new password (nothing tells whether the address exists)."""

    form_class = forms.AccountPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not email_allowed(self.request, form.cleaned_data["email"], "password reset"):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password with the e-mailed link."""

    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        services.user_password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            actor=form.user,
            via="reset",
        )
        # The owner of the address chose a new password: end a login lockout on the account.
        axes_reset(username=form.user.email.lower())
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password, knowing the current one; stay logged in."""

    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        services.user_password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            actor=self.request.user,
            via="change",
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password is changed."))
        return HttpResponseRedirect(self.get_success_url())


# --- The account page and the language -----------------------------------------------------------


@login_required
def account(request):
    """Show and change the user's own details, with links to their organisations."""
    user = request.user
    form = forms.AccountForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": user.full_name, "phone": user.phone, "language": user.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=user, actor=user, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            with translation.override(user.language):
                messages.success(request, _("Your details are saved."))
            target = in_language(reverse("accounts:account"), user.language)
            return remember_language(redirect(target), user.language)
    memberships = user.memberships.select_related("organisation").order_by("organisation__name")
    return render(request, "accounts/account.html", {"form": form, "memberships": memberships})


@require_POST
def language(request):
    """Switch the language of the pages; a logged-in user's choice is saved on the account."""
    response = set_language(request)
    code = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and code in dict(settings.LANGUAGES) and code != user.language:
        services.user_update(user=user, actor=user, language=code)
    return response
