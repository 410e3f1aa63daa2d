from django.urls import path, re_path
from wagtail import views as wagtail_views

from . import views

app_name = "content"
urlpatterns = [
    path("site-map/", views.site_map, name="site_map"),
    # 内容订阅 (dynamic: /_govsites/ is proxied to the application by nginx)
    path("_govsites/subscribe/", views.subscribe, name="subscribe"),
    path("_govsites/subscribe/confirm/<str:token>/", views.subscription_confirm,
         name="subscription_confirm"),
    path("_govsites/subscribe/cancel/<str:token>/", views.subscription_unsubscribe,
         name="subscription_unsubscribe"),
    # Items' short addresses (content/addresses.py) end in a file name, which Wagtail's own
    # pattern (directories only) does not take; the column's route() finds the item.
    re_path(r"^((?:[\w\-]+/)+[\w\-]+\.html)$", wagtail_views.serve, name="item"),
]
