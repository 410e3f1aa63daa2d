"""Public citizen-account URLs, under /_govsites/account/ (proxied to the application)."""

from django.urls import path

from . import citizen_views

app_name = "citizen"
urlpatterns = [
    path("login/", citizen_views.login, name="login"),
    path("register/", citizen_views.register, name="register"),
    path("sso/", citizen_views.sso, name="sso"),
    path("logout/", citizen_views.logout, name="logout"),
    path("me/", citizen_views.me, name="me"),
    path("idp/start/", citizen_views.idp_start, name="idp_start"),
    path("idp/callback/", citizen_views.idp_callback, name="idp_callback"),
    path("idp/dev/", citizen_views.idp_development, name="idp_development"),
]
