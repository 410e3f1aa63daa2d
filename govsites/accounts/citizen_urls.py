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
]
