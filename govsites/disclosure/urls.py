from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("disclosure/", views.index, name="index"),
    path("disclosure/status/", views.status, name="status"),
    path("disclosure/platform/", views.platform, name="platform"),
    path("disclosure/platform/catalogue.csv", views.platform_csv, name="platform_csv"),
    path("disclosure/status/<str:reference>/<str:code>/notice.pdf", views.notice_pdf,
         name="notice_pdf"),
    path("disclosure/download/<str:token>/", views.download, name="download"),
    path("disclosure/<int:body_id>/", views.guide, name="guide"),
    path("disclosure/<int:body_id>/catalogue/", views.catalogue, name="catalogue"),
    path("disclosure/<int:body_id>/apply/", views.apply, name="apply"),
    path("disclosure/<int:body_id>/reports/<int:year>/", views.annual_report, name="report"),
    path("disclosure/<int:body_id>/reports/<int:year>/report.pdf", views.annual_report_pdf,
         name="report_pdf"),
]
