from django.urls import path

from decisions.views import open_data

app_name = "open_data"

urlpatterns = [
    path("", open_data.register, name="register"),
]
