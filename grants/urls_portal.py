from django.urls import path

from grants.views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.dashboard, name="dashboard"),
    path("<int:pk>/", portal.application, name="application"),
    path("<int:pk>/komplettera/", portal.complete, name="complete"),
    path("<int:pk>/meddelanden/", portal.message, name="message"),
    path("<int:pk>/aterta/", portal.withdraw, name="withdraw"),
]
