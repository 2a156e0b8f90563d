from django.contrib.auth import views as auth_views
from django.urls import path

from organisations.views import accounts

app_name = "accounts"

urlpatterns = [
    path("", accounts.account, name="account"),
    path("logga-in/", accounts.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", accounts.language, name="language"),
    path("skapa-konto/", accounts.signup, name="signup"),
    path("skapa-konto/skickat/", accounts.signup_done, name="signup_done"),
    path("skicka-lanken-igen/", accounts.resend_activation, name="resend_activation"),
    path("aktivera/<uidb64>/<token>/", accounts.activate, name="activate"),
    path("glomt-losenord/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "glomt-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "glomt-losenord/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("byt-losenord/", accounts.PasswordChangeView.as_view(), name="password_change"),
]
