from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Swedish addresses that are never sent to a language-prefixed copy.
UNPREFIXED_PATHS = ("/admin/", "/static/", "/media/", "/i18n/")


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Choose the language from the URL (/en/…) or the visitor's own choice, never the browser.

    A Swedish authority's service is in Swedish unless the visitor asks for English: many
    browsers in Sweden send an English Accept-Language header. Swedish pages have no prefix;
    a visitor who chose English (the language cookie, or a logged-in user's saved language when
    there is no cookie) and asks for a Swedish address is sent to its /en/ copy, so that every
    address they see and share is in the language they read.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD"):
            return None
        path = request.path_info
        if translation.get_language_from_path(path) or path.startswith(UNPREFIXED_PATHS):
            return None
        language = self.chosen_language(request)
        if language in (None, settings.LANGUAGE_CODE):
            return None
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        with translation.override(language):
            if not is_valid_path(f"/{language}{path}", urlconf):
                return None
        script_prefix = get_script_prefix()
        redirect = HttpResponseRedirect(
            request.get_full_path().replace(script_prefix, f"{script_prefix}{language}/", 1)
        )
        patch_vary_headers(redirect, ("Cookie",))
        return redirect

    @staticmethod
    def chosen_language(request) -> str | None:
        """Return the language the visitor chose: the cookie first, then the saved account."""
        languages = dict(settings.LANGUAGES)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in languages:
            return cookie
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in languages:
            return user.language
        return None
