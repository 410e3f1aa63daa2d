from django.urls import path

from . import api, views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("search/go/<int:page_id>/", views.follow, name="follow"),
    path("api/v1/search", api.search, name="api"),
    path("api/v1/search/openapi.json", api.openapi, name="openapi"),
]
