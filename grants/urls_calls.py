from django.urls import path

from grants.views import public

app_name = "calls"

urlpatterns = [
    path("<int:pk>/", public.call_detail, name="detail"),
]
