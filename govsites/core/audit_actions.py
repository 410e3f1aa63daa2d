"""The one vocabulary of audit action names (dotted: app.object.verb).

Every service that changes state writes exactly one audit record with one of these names.
Add a name here before using it; `record()` refuses names it does not know.
"""

from typing import Final

ACTIONS: Final[dict[str, str]] = {
    # sites
    "sites.organisation.create": "新建单位",
    "sites.organisation.update": "修改单位",
    "sites.site.create": "新建网站",
    "sites.site.update": "修改网站",
    "sites.site.status": "变更网站状态",
    # core
    "core.calendar.update": "修改节假日安排",
    "core.notification_preference.update": "修改通知设置",
    "core.keys.rotate": "轮换个人信息加密密钥",
    # content
    "content.column.create": "新建栏目",
    "content.column.update": "修改栏目",
    "content.column.archive": "归档栏目",
    "content.home.create": "创建网站首页",
    "content.item.create": "新建信息",
    "content.item.update": "修改信息",
    "content.item.publish": "发布信息",
    "content.item.withdraw": "撤稿",
    "content.item.repeal": "变更有效性",
    "content.item.archive": "归档信息",
    "content.item.reprint": "转载信息",
    "content.index_number.allocate": "分配索引号",
    "content.import.run": "批量导入",
    "content.import.refuse": "批量导入校验未通过",
    "content.import.rollback": "撤销批量导入",
    "content.subscription.request": "申请订阅",
    "content.subscription.confirm": "确认订阅",
    "content.subscription.unsubscribe": "退订",
    "content.subscription.digest": "推送订阅摘要",
    # accounts
    "accounts.user.create": "新建账号",
    "accounts.user.update": "修改账号",
    "accounts.user.disable": "停用账号",
    "accounts.auth.login": "登录成功",
    "accounts.auth.login_failed": "登录失败",
    "accounts.auth.logout": "退出登录",
    "accounts.auth.lockout": "账号锁定",
    "accounts.password.change": "修改密码",
    "accounts.totp.enable": "启用双因素认证",
    # demo
    "demo.load": "加载演示数据",
}


def label_for(action: str) -> str:
    """Return the Chinese label of an audit action, or the action itself if unknown."""
    return ACTIONS.get(action, action)


def register_action(name: str, label: str) -> None:
    """Add an action name at import time (apps call this from their own modules)."""
    if name in ACTIONS and ACTIONS[name] != label:
        raise ValueError(f"audit action {name!r} is already registered with another label")
    ACTIONS[name] = label
