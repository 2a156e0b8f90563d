from django.urls import path

from organisations.views import portal

app_name = "organisations"

urlpatterns = [
    path("ny/", portal.register, name="register"),
    path("ny/ga-med/", portal.join_request, name="join_request"),
    path("inbjudan/<str:token>/", portal.invitation, name="invitation"),
    path("<int:pk>/", portal.detail, name="detail"),
    path("<int:pk>/andra/", portal.edit, name="edit"),
    path("<int:pk>/personer/<int:membership_pk>/roll/", portal.member_role, name="member_role"),
    path(
        "<int:pk>/personer/<int:membership_pk>/ta-bort/",
        portal.member_remove,
        name="member_remove",
    ),
    path(
        "<int:pk>/forfragningar/<int:request_pk>/",
        portal.join_request_decide,
        name="join_request_decide",
    ),
    path("<int:pk>/bjud-in/", portal.invite, name="invite"),
    path(
        "<int:pk>/inbjudningar/<int:invitation_pk>/aterkalla/",
        portal.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:pk>/utbetalningskonto/", portal.payout_account, name="payout_account"),
    path("<int:pk>/dokument/", portal.documents, name="documents"),
    path(
        "<int:pk>/dokument/<int:document_pk>/",
        portal.document_download,
        name="document_download",
    ),
]
