from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path("<int:pk>/beslutsbrev.pdf", views.letter, name="letter"),
]
