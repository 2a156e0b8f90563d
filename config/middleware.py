from django.middleware.locale import LocaleMiddleware


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Choose the language from the URL (/en/…) or the visitor's own choice, never the browser.

    A Swedish authority's service is in Swedish unless the visitor asks for English: many
    browsers in Sweden send an English Accept-Language header.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
