from django.urls import path

from decisions.views import letters

app_name = "decisions"

urlpatterns = [
    path("<int:pk>/beslutsbrev.pdf", letters.letter, name="letter"),
]
