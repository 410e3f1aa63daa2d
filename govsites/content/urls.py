from django.urls import path

from . import views

app_name = "content"
urlpatterns = [
    path("site-map/", views.site_map, name="site_map"),
]
