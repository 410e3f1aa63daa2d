"""Admin URLs of accounts (mounted under the admin by a wagtail hook)."""

from django.urls import path

from . import views

app_name = "govsites_accounts"

urlpatterns = [
    path("two-factor/setup/", views.totp_setup, name="totp_setup"),
    path("two-factor/verify/", views.totp_verify, name="totp_verify"),
    path("password/", views.password_change, name="password_change"),
    path("organisation/", views.organisation_accounts, name="organisation_accounts"),
    path("users/<int:user_id>/departure/", views.departure, name="departure"),
]
