from django.urls import path, re_path
from wagtail import views as wagtail_views

from . import views

app_name = "content"
urlpatterns = [
    path("site-map/", views.site_map, name="site_map"),
    # Items' short addresses (content/addresses.py) end in a file name, which Wagtail's own
    # pattern (directories only) does not take; the column's route() finds the item.
    re_path(r"^((?:[\w\-]+/)+[\w\-]+\.html)$", wagtail_views.serve, name="item"),
]
