"""Sign people up and activate their accounts; change their details and passwords."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import log_action
from organisations.errors import WorkflowError
from organisations.models import User
from organisations.notifications import email_on_commit
from organisations.services.checks import _validation_problem

USER_EDITABLE_FIELDS = ("full_name", "phone", "language")


class AccountActivationTokenGenerator(PasswordResetTokenGenerator):
    """Make and check the link that confirms a new account's e-mail address.

    The hash covers ``is_active`` (and, through the parent, the password and the last login), so a
    link works once: activating the account changes what it was made from. Links expire after
    ``PASSWORD_RESET_TIMEOUT``.
    """

    key_salt = "organisations.services.AccountActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


account_activation_token = AccountActivationTokenGenerator()


def user_is_pending(user: User) -> bool:
    """Return whether the account was signed up for and its e-mail address never confirmed.

    A pending account has never been used: it is inactive, nobody ever logged in with it and it
    acts for no organisation. An account that staff switched off is inactive but not pending.
    """
    return (
        not user.is_active
        and user.last_login is None
        and not user.is_staff
        and not user.memberships.exists()
    )


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise _validation_problem(error) from error


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise WorkflowError(_("Choose Swedish or English as the language."), code="invalid")


@transaction.atomic
def user_sign_up(
    *, full_name: str, email: str, password: str, language: str, phone: str = ""
) -> User:
    """Create an inactive account that the link in the confirmation e-mail activates.

    If the address belongs to an account that is still pending, that sign-up is replaced by this
    one: nobody has proven the address yet, and only the newest link will work. If it belongs to
    any other account, raise WorkflowError with the code ``email_registered``; the page must not
    tell the visitor so (the caller e-mails the address instead).
    """
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = full_name.strip()
    phone = phone.strip()
    _check_language(language)
    if not full_name:
        raise WorkflowError(_("Write your name."), code="invalid")
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and not user_is_pending(existing):
        raise WorkflowError(
            _("An account with this e-mail address already exists."), code="email_registered"
        )
    user = existing or User(email=email, is_active=False)
    user.full_name, user.phone, user.language = full_name, phone, language
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        # Someone signed up with the same address a moment ago.
        raise WorkflowError(
            _("An account with this e-mail address already exists."), code="email_registered"
        ) from error
    log_action(
        user,
        "organisations.user.signed_up",
        actor=user,
        data={"email": email, "language": language, "replaced_pending": existing is not None},
    )
    return user


@transaction.atomic
def user_activate(*, user: User) -> User:
    """Activate a pending account whose owner followed the link in the confirmation e-mail."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not user_is_pending(locked):
        raise WorkflowError(
            _("This account is already confirmed. Log in with your e-mail address."),
            code="not_pending",
        )
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    log_action(locked, "organisations.user.activated", actor=locked, data={"email": locked.email})
    user.is_active = True
    return user


@transaction.atomic
def user_update(*, user: User, actor: User, **fields) -> User:
    """Change a person's name, phone or preferred language; record the old and new values.

    People change their own details; someone else needs the permission to change users.
    """
    unknown = sorted(set(fields) - set(USER_EDITABLE_FIELDS))
    if unknown:
        raise WorkflowError(
            _("These details cannot be changed here: %(fields)s.") % {"fields": ", ".join(unknown)},
            code="invalid",
        )
    if actor.pk != user.pk and not actor.has_perm("organisations.change_user"):
        raise WorkflowError(_("You can only change your own details."), code="forbidden")
    if "language" in fields:
        _check_language(fields["language"])
    if "full_name" in fields:
        fields["full_name"] = fields["full_name"].strip()
        if not fields["full_name"]:
            raise WorkflowError(_("Write your name."), code="invalid")
    if "phone" in fields:
        fields["phone"] = fields["phone"].strip()
    changes = {
        name: {"old": getattr(user, name), "new": value}
        for name, value in fields.items()
        if getattr(user, name) != value
    }
    if not changes:
        return user
    for name, change in changes.items():
        setattr(user, name, change["new"])
    user.save(update_fields=list(changes))
    log_action(user, "organisations.user.changed", actor=actor, data=changes)
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, actor: User, via: str) -> User:
    """Give the user a new password (``via`` says how: "change" or "reset"); never log it."""
    if actor.pk != user.pk:
        raise WorkflowError(_("You can only change your own password."), code="forbidden")
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    log_action(user, "organisations.user.password_changed", actor=actor, data={"via": via})
    return user


def link_valid_days() -> int:
    """Return for how many days confirmation and password links work."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


def user_activation_email_send(*, user: User, activation_url: str) -> None:
    """E-mail the link that confirms the address and activates the account, after commit."""
    email_on_commit(
        to=[user.email],
        template="account_activation",
        context={
            "name": user.full_name,
            "activation_url": activation_url,
            "days": link_valid_days(),
        },
        language=user.language,
    )


def user_exists_email_send(*, user: User, login_url: str, password_reset_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it again."""
    email_on_commit(
        to=[user.email],
        template="account_exists",
        context={
            "name": user.full_name,
            "login_url": login_url,
            "password_reset_url": password_reset_url,
        },
        language=user.language,
    )


def user_password_reset_email_send(*, user: User, reset_url: str, language: str) -> None:
    """E-mail the link that lets the user choose a new password, after commit."""
    email_on_commit(
        to=[user.email],
        template="account_password_reset",
        context={"name": user.full_name, "reset_url": reset_url, "days": link_valid_days()},
        language=language,
    )
