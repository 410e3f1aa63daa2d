"""Audit action names that accounts writes besides those listed in core.audit_actions."""

from govsites.core.audit_actions import register_action

register_action("accounts.auth.unlock", "解除登录锁定")
register_action("accounts.user.depart", "人员离岗交接")
register_action("accounts.totp.enrol", "生成双因素认证密钥")
register_action("accounts.totp.verify", "双因素认证通过")
register_action("accounts.totp.fail", "双因素认证失败")
register_action("accounts.totp.reset", "重置双因素认证")
register_action("accounts.citizen.register", "公众用户注册")
register_action("accounts.citizen.logout", "公众用户退出（站群统一退出）")
