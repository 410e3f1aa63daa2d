"""wagtail.users with the platform's user forms.

Use "govsites.accounts.users_app.GovsitesUsersAppConfig" in INSTALLED_APPS instead of
"wagtail.users" (Wagtail's documented way to swap the user viewset).
"""

from wagtail.users.apps import WagtailUsersAppConfig


class GovsitesUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "govsites.accounts.viewsets.UserViewSet"
