from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("mode.css", views.mode_css, name="mode_css"),
    path("mode/<str:mode>/", views.switch_mode, name="switch_mode"),
]
