from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from grants.views import public

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", public.start, name="start"),
    path("tillganglighet/", public.accessibility, name="accessibility"),
    path("utlysningar/", include("grants.urls_calls")),
    path("statistik/kulturstatistik/", include("decisions.urls_national_statistics")),
    path("statistik/", include("grants.urls_statistics")),
    path("beviljade-bidrag/", include("decisions.urls_open_data")),
    path("konto/", include("organisations.urls")),
    path("mina-sidor/organisationer/", include("organisations.urls_portal")),
    path("mina-sidor/ansokningar/", include("grants.urls_apply")),
    path("mina-sidor/beslut/", include("decisions.urls")),
    path("mina-sidor/", include("grants.urls_portal")),
    path("handlaggning/", include("decisions.urls_casework")),
    path("handlaggning/", include("grants.urls_casework")),
    path("ekonomi/", include("decisions.urls_finance")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
