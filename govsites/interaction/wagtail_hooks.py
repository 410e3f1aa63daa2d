"""Admin wiring: the 政民互动 menu (留言办理, 找错留言, 信箱设置)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views, interview_admin_views, survey_admin_views
from .models import Consultation, FaqEntry, Interview, Mailbox, Survey, UnansweredQuestion


class MailboxViewSet(SnippetViewSet):
    model = Mailbox
    icon = "mail"
    menu_label = "信箱设置"
    add_to_admin_menu = False
    list_display = ["name", "site", "organisation", "reply_working_days", "is_open"]
    panels = [FieldPanel("site"), FieldPanel("organisation"), FieldPanel("name"),
              FieldPanel("slug"), FieldPanel("kind"), FieldPanel("description"),
              FieldPanel("reply_working_days"), FieldPanel("hotline_forwarding"),
              FieldPanel("is_open"), FieldPanel("order")]


class ConsultationViewSet(SnippetViewSet):
    model = Consultation
    icon = "doc-full"
    menu_label = "意见征集"
    add_to_admin_menu = False
    list_display = ["title", "site", "organisation", "opens_on", "closes_on", "adoption_due"]
    panels = [FieldPanel("site"), FieldPanel("organisation"), FieldPanel("title"),
              FieldPanel("draft"), FieldPanel("attachment"), FieldPanel("opens_on"),
              FieldPanel("closes_on")]


class SurveyViewSet(SnippetViewSet):
    """The questionnaire builder: dates, login, and the questions (single, multiple, text)."""

    model = Survey
    icon = "list-ul"
    menu_label = "在线调查"
    add_to_admin_menu = False
    list_display = ["title", "site", "organisation", "opens_on", "closes_on"]
    panels = [FieldPanel("site"), FieldPanel("organisation"), FieldPanel("title"),
              FieldPanel("intro"), FieldPanel("opens_on"), FieldPanel("closes_on"),
              FieldPanel("login_required"),
              InlinePanel("questions", label="问题", min_num=1,
                          panels=[FieldPanel("text"), FieldPanel("kind"), FieldPanel("options"),
                                  FieldPanel("required")])]


class InterviewViewSet(SnippetViewSet):
    """在线访谈: the event (title, guests, times); its questions are handled on its own page."""

    model = Interview
    icon = "group"
    menu_label = "在线访谈"
    add_to_admin_menu = False
    list_display = ["title", "site", "organisation", "starts_at", "ends_at"]
    panels = [FieldPanel("site"), FieldPanel("organisation"), FieldPanel("title"),
              FieldPanel("summary"), FieldPanel("guests"), FieldPanel("starts_at"),
              FieldPanel("ends_at")]


class FaqEntryViewSet(SnippetViewSet):
    model = FaqEntry
    icon = "help"
    menu_label = "常见问题"
    add_to_admin_menu = False
    list_display = ["question", "site", "organisation", "is_published", "updated_at"]
    search_fields = ["question"]
    panels = [FieldPanel("site"), FieldPanel("question"), FieldPanel("answer"),
              FieldPanel("organisation"), FieldPanel("is_published")]


class UnansweredQuestionViewSet(SnippetViewSet):
    model = UnansweredQuestion
    icon = "help"
    menu_label = "未解答的问题"
    add_to_admin_menu = False
    list_display = ["question", "site", "times", "last_asked_at"]
    panels = [FieldPanel("site"), FieldPanel("question")]


register_snippet(MailboxViewSet)
register_snippet(FaqEntryViewSet)
register_snippet(UnansweredQuestionViewSet)
register_snippet(ConsultationViewSet)
register_snippet(SurveyViewSet)
register_snippet(InterviewViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def fix_adoption_due(request: Any, instance: Any) -> None:
    """Fix a consultation's 采纳情况 deadline from its closing date (rule data)."""
    if isinstance(instance, Consultation):
        from .consultations import refresh_adoption_due

        refresh_adoption_due(consultation=instance)


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [
        path("interaction/", admin_views.enquiry_list, name="interaction_enquiries"),
        path("interaction/<int:enquiry_id>/", admin_views.enquiry_detail,
             name="interaction_enquiry"),
        path("interaction/<int:enquiry_id>/attachment/<int:attachment_id>/",
             admin_views.enquiry_attachment, name="interaction_enquiry_attachment"),
        path("interaction/<int:enquiry_id>/<str:action>/", admin_views.enquiry_action,
             name="interaction_enquiry_action"),
        path("interaction/consultations/", admin_views.consultation_list,
             name="interaction_consultations"),
        path("interaction/consultations/<int:consultation_id>/", admin_views.consultation_detail,
             name="interaction_consultation"),
        path("interaction/consultations/<int:consultation_id>/<str:action>/",
             admin_views.consultation_action, name="interaction_consultation_action"),
        path("interaction/surveys/", survey_admin_views.survey_list,
             name="interaction_surveys"),
        path("interaction/surveys/<int:survey_id>/", survey_admin_views.survey_detail,
             name="interaction_survey"),
        path("interaction/surveys/<int:survey_id>/export.<str:fmt>",
             survey_admin_views.survey_export, name="interaction_survey_export"),
        path("interaction/interviews/", interview_admin_views.interview_list,
             name="interaction_interviews"),
        path("interaction/interviews/<int:interview_id>/", interview_admin_views.interview_detail,
             name="interaction_interview"),
        path("interaction/interviews/<int:interview_id>/<str:action>/",
             interview_admin_views.interview_action, name="interaction_interview_action"),
        path("interaction/error-reports/", admin_views.error_report_list,
             name="interaction_error_reports"),
        path("interaction/error-reports/import/", admin_views.error_report_import,
             name="interaction_error_report_import"),
        path("interaction/error-reports/<int:report_id>/<str:action>/",
             admin_views.error_report_action, name="interaction_error_report_action"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu() -> MenuItem:
    return SubmenuMenuItem("政民互动", Menu(items=[
        MenuItem("留言办理", reverse("interaction_enquiries"), icon_name="mail", order=1),
        MenuItem("找错留言", reverse("interaction_error_reports"), icon_name="warning", order=2),
        MenuItem("意见征集", reverse("interaction_consultations"), icon_name="doc-full",
                 order=3),
        MenuItem("在线调查", reverse("interaction_surveys"), icon_name="list-ul", order=3),
        MenuItem("在线访谈", reverse("interaction_interviews"), icon_name="group", order=3),
        MenuItem("常见问题", reverse("wagtailsnippets_govsites_interaction_faqentry:list"),
                 icon_name="help", order=5),
        MenuItem("未解答的问题",
                 reverse("wagtailsnippets_govsites_interaction_unansweredquestion:list"),
                 icon_name="help", order=6),
        MenuItem("信箱设置", reverse("wagtailsnippets_govsites_interaction_mailbox:list"),
                 icon_name="cog", order=4),
    ]), icon_name="mail", order=460)
