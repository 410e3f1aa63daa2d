from django.urls import path

from . import (
    api,
    citizen_views,
    consultation_views,
    hotline_api,
    interview_views,
    survey_views,
    views,
)

app_name = "interaction"
urlpatterns = [
    path("interact/", views.index, name="index"),
    path("interact/mailbox/<slug:slug>/", views.write, name="write"),
    path("interact/follow/", views.follow, name="follow"),
    path("interact/follow/rate/", views.rate, name="rate"),
    path("interact/mine/", citizen_views.mine, name="mine"),
    path("interact/mine/<int:enquiry_id>/follow/", citizen_views.follow_mine, name="follow_mine"),
    path("interact/replies/", views.replies, name="replies"),
    path("interact/replies/<int:enquiry_id>/", views.reply_detail, name="reply"),
    path("interact/statistics/", views.statistics, name="statistics"),
    path("interact/error-report/", views.error_report, name="error_report"),
    path("interact/consultations/", consultation_views.consultation_list, name="consultations"),
    path("interact/consultations/<int:consultation_id>/", consultation_views.consultation_detail,
         name="consultation"),
    path("interact/surveys/", survey_views.survey_list, name="surveys"),
    path("interact/surveys/<int:survey_id>/", survey_views.survey_detail, name="survey"),
    path("interact/interviews/", interview_views.interview_list, name="interviews"),
    path("interact/interviews/<int:interview_id>/", interview_views.interview_detail,
         name="interview"),
    path("interact/interviews/<int:interview_id>/live.json", interview_views.interview_live,
         name="interview_live"),
    path("interact/hotline/results", hotline_api.hotline_results, name="hotline_results"),
    path("api/v1/qa", api.qa, name="qa"),
]
