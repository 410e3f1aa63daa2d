"""The audit action names opendata writes (registered with core's vocabulary at startup)."""

from govsites.core.audit_actions import register_action

VERSION_UPLOAD = "opendata.version.upload"
VERSION_HOLD = "opendata.version.hold"
DATASET_CREATE = "opendata.dataset.create"
DATASET_SUBMIT = "opendata.dataset.submit"
FRESHNESS_CHECK = "opendata.freshness.check"


def register() -> None:
    """Register opendata's audit actions; called from OpendataConfig.ready()."""
    register_action(VERSION_UPLOAD, "上传数据表新版本（校验通过，加入待审发布）")
    register_action(VERSION_HOLD, "数据表含个人信息，已扣留")
    register_action(DATASET_CREATE, "新建数据集")
    register_action(DATASET_SUBMIT, "数据集发布提交审核")
    register_action(FRESHNESS_CHECK, "数据集更新及时性检查")
