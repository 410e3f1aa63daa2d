"""The permissions each role's group holds, kept in code so they can be reviewed.

Page permissions sit on the tree root; the page permission policy moves them onto the pages
of the user's own organisation (page_permissions.py). Collection permissions (images and
documents) sit on the root collection. Applied after every `migrate` and only ever added:
a permission an administrator grants a group by hand is left alone.
"""

from __future__ import annotations

from typing import Any

from .roles import Role, group_name

ADMIN_ACCESS = "wagtailadmin.access_admin"

#: Django model permissions ("app_label.codename") per role. The platform administrator
#: gets every model permission except writing the audit trail (see PLATFORM_ADMIN_EXCLUDED).
_FORCE_VIEW = "govsites_workflow.view_forcepublication"
# --- monitoring (站点监测): a 监管员 sees and acts on the inspections, 整改单 and uptime alerts
# of the sites they supervise (where: govsites/monitoring/policies.py). ---
_MONITORING_SUPERVISION = frozenset({
    "monitoring.view_inspection", "monitoring.start_inspection",
    "monitoring.view_ticket", "monitoring.open_ticket", "monitoring.recheck_ticket",
    "monitoring.view_uptimeprobe", "monitoring.view_uptimealert", "monitoring.acknowledge_alert",
})
# --- end monitoring ---
ROLE_MODEL_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.EDITOR: frozenset({ADMIN_ACCESS}),
    Role.REVIEWER: frozenset({ADMIN_ACCESS}),
    # Leaders give the retrospective approval of a force publication (先审后发 exception).
    Role.DEPUTY_HEAD: frozenset({ADMIN_ACCESS, _FORCE_VIEW,
                                 "govsites_workflow.approve_force_publication"}),
    Role.HEAD: frozenset({ADMIN_ACCESS, _FORCE_VIEW,
                          "govsites_workflow.approve_force_publication"}),
    # A site administrator may force publish (with a reason) and set the site's review policy.
    Role.SITE_ADMIN: frozenset({ADMIN_ACCESS, _FORCE_VIEW, "govsites_workflow.force_publish",
                                "govsites_workflow.change_reviewpolicy"}),
    Role.SUPERVISOR: frozenset({ADMIN_ACCESS, "core.view_auditrecord", _FORCE_VIEW})
    | _MONITORING_SUPERVISION,
    Role.DUTY_OFFICER: frozenset({ADMIN_ACCESS}),
}
PLATFORM_ADMIN_EXCLUDED = frozenset({
    "core.add_auditrecord", "core.change_auditrecord", "core.delete_auditrecord",
    "core.add_auditchainhead", "core.change_auditchainhead", "core.delete_auditchainhead",
})

#: Wagtail page permission actions per role, granted on the root page.
ROLE_PAGE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.EDITOR: frozenset({"add", "change"}),
    Role.REVIEWER: frozenset({"change", "lock"}),
    Role.SITE_ADMIN: frozenset({"add", "change", "publish", "bulk_delete", "lock", "unlock"}),
    Role.PLATFORM_ADMIN: frozenset({"add", "change", "publish", "bulk_delete", "lock",
                                    "unlock"}),
}

_MEDIA_USE = frozenset({"wagtailimages.add_image", "wagtailimages.choose_image",
                        "wagtaildocs.add_document", "wagtaildocs.choose_document"})
_MEDIA_MANAGE = _MEDIA_USE | {"wagtailimages.change_image", "wagtailimages.delete_image",
                              "wagtaildocs.change_document", "wagtaildocs.delete_document"}

#: Collection permissions per role, granted on the root collection.
ROLE_COLLECTION_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.EDITOR: _MEDIA_USE,
    Role.REVIEWER: _MEDIA_USE,
    Role.SITE_ADMIN: frozenset(_MEDIA_MANAGE),
    Role.PLATFORM_ADMIN: frozenset(_MEDIA_MANAGE),
}


def _permission(permission_model: Any, dotted: str) -> Any:
    app_label, codename = dotted.split(".", 1)
    return permission_model.objects.filter(content_type__app_label=app_label,
                                           codename=codename).first()


def ensure_role_permissions() -> None:
    """Add every permission listed above to its role's group (groups that exist only)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for role in Role:
        group = Group.objects.filter(name=group_name(role)).first()
        if group is None:
            # Groups come from migration 0003; after a test flush they are gone, and
            # recreating them here would collide with the rows a serialized rollback restores.
            continue
        if role == Role.PLATFORM_ADMIN:
            wanted = [p for p in Permission.objects.select_related("content_type")
                      if f"{p.content_type.app_label}.{p.codename}" not in PLATFORM_ADMIN_EXCLUDED]
        else:
            wanted = [p for p in (_permission(Permission, d)
                                  for d in sorted(ROLE_MODEL_PERMISSIONS.get(role, ())))
                      if p is not None]
        group.permissions.add(*wanted)
        if root_page is not None:
            for action in sorted(ROLE_PAGE_PERMISSIONS.get(role, ())):
                permission = _permission(Permission, f"wagtailcore.{action}_page")
                if permission is not None:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root_page, permission=permission)
        if root_collection is not None:
            for dotted in sorted(ROLE_COLLECTION_PERMISSIONS.get(role, ())):
                permission = _permission(Permission, dotted)
                if permission is not None:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission)


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: make sure all permissions exist, then grant the role defaults."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from .permission_names import translate_permission_names

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    translate_permission_names()
    ensure_role_permissions()
