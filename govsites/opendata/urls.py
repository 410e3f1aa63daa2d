from django.urls import path

from . import api, views

app_name = "opendata"
urlpatterns = [
    path("data/catalog.jsonld", views.catalog, name="catalog"),
    path("data/download/<int:version_id>/<str:filename>", views.download, name="download"),
    path("api/v1/datasets", api.datasets, name="datasets"),
    path("api/v1/datasets/<int:dataset_id>", api.dataset, name="dataset"),
    path("api/v1/datasets/<int:dataset_id>/rows", api.rows, name="rows"),
    # CKAN clients call /api/action/<name> (ckanapi) or /api/3/action/<name>.
    *[path(f"api/{prefix}action/{name}", api.ckan_action(name), name=f"ckan_{prefix[:1]}{name}")
      for name in api.CKAN_ACTIONS for prefix in ("3/", "")],
]
