"""A dataset release: upload, validate, hold personal data, review, publish, keep versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from govsites.content.services import check_publishable
from govsites.opendata import services
from govsites.opendata.choices import VersionStatus
from govsites.opendata.ingest import TableInvalid
from govsites.opendata.models import DatasetPage, ResourceVersion

from .conftest import GDP_CSV, VALID_ID


def test_a_gbk_csv_is_decoded_validated_and_typed(bureau: Any) -> None:
    dataset = bureau.dataset()
    result = bureau.upload(dataset, GDP_CSV, encoding="gbk")
    version = result.version
    assert version.status == VersionStatus.CLEAN
    assert version.encoding == "GBK"
    assert version.row_count == 4
    types = {f["name"]: f["type"] for f in version.table_schema["fields"]}
    assert types == {"年份": "integer", "地区": "string", "地区生产总值": "number", "人口": "integer"}


@pytest.mark.parametrize("encoding,label", [("utf-8-sig", "UTF-8 (BOM)"), ("gb18030", "GBK"),
                                            ("utf-8", "UTF-8")])
def test_utf8_with_or_without_bom_and_gb18030_are_read(bureau: Any, encoding: str,
                                                       label: str) -> None:
    result = bureau.upload(bureau.dataset(), GDP_CSV, encoding=encoding)
    assert result.version.encoding == label


def test_validation_errors_name_the_row_and_column_and_nothing_is_kept(bureau: Any) -> None:
    dataset = bureau.dataset()
    schema = {"fields": [{"name": "年份", "type": "integer"}, {"name": "地区", "type": "string",
                                                            "constraints": {"required": True}},
                         {"name": "地区生产总值", "type": "number"}, {"name": "人口", "type": "integer"}]}
    bad = GDP_CSV + "2025,,90,11\n2025,南区,九十,11\n"
    with pytest.raises(TableInvalid) as caught:
        bureau.upload(dataset, bad, declared_schema=schema)
    messages = [str(e) for e in caught.value.errors]
    assert any(m.startswith("第6行“地区”列") for m in messages), messages
    assert any(m.startswith("第7行“地区生产总值”列") and "九十" in m for m in messages), messages
    assert not ResourceVersion.objects.filter(dataset=dataset).exists()
    dataset.refresh_from_db()
    assert dataset.get_latest_revision_as_object().resources.count() == 0


def test_an_inferred_schema_catches_a_bad_value_after_the_sample(bureau: Any) -> None:
    rows = "".join(f"{2000 + i % 20},东区,{i}.5,{i}\n" for i in range(1100))
    with pytest.raises(TableInvalid) as caught:
        bureau.upload(bureau.dataset(), "年份,地区,地区生产总值,人口\n" + rows + "2024,西区,未知,3\n")
    assert str(caught.value.errors[0]).startswith("第1102行“地区生产总值”列")


def test_a_table_with_a_resident_id_is_held_with_the_cell_named(bureau: Any) -> None:
    dataset = bureau.dataset()
    csv = f"姓名,证件号码,街道\n张某,,东城街道\n李某,{VALID_ID},西城街道\n"
    result = bureau.upload(dataset, csv, name="名单")
    assert result.held
    assert result.version.status == VersionStatus.HELD
    assert [str(c) for c in result.held_cells] == ["第3行“证件号码”列：110101********1233"]
    # the held version joins no release and keeps no data
    dataset.refresh_from_db()
    assert dataset.get_latest_revision_as_object().resources.count() == 0
    from govsites.opendata import storage

    assert not storage.parquet_path(result.version).exists()


def test_a_release_naming_a_held_version_is_refused(bureau: Any) -> None:
    dataset = bureau.dataset()
    held = bureau.upload(dataset, "姓名,手机\n王某,13812345678\n", name="名单").version
    draft = dataset.get_latest_revision_as_object()
    from govsites.opendata.models import DatasetResource

    draft.resources = [DatasetResource(name="名单", version=held)]
    with pytest.raises(ValidationError, match="含个人信息"):
        draft.full_clean()
    draft.save_revision(user=bureau.editor, clean=False)
    dataset.refresh_from_db()
    stored = dataset.get_latest_revision_as_object()
    with pytest.raises(ValidationError, match="含个人信息"):
        check_publishable(stored)


def test_a_release_is_public_only_after_the_review_chain_approves_it(bureau: Any,
                                                                     client: Any) -> None:
    dataset = bureau.dataset()
    version = bureau.upload(dataset).version
    services.submit_release(dataset=dataset, acting_user=bureau.editor)
    dataset.refresh_from_db()
    assert not dataset.live
    assert client.get(f"/api/v1/datasets/{dataset.pk}").status_code == 404
    assert client.get(f"/data/download/{version.pk}/x.csv").status_code == 404
    live = bureau.release(dataset, submit=False)
    assert live.live
    version.refresh_from_db()
    assert version.released_at is not None
    assert client.get(f"/api/v1/datasets/{dataset.pk}").status_code == 200
    assert client.get(f"/data/download/{version.pk}/x.csv").status_code == 200


def test_the_submitter_cannot_approve_their_own_release(bureau: Any) -> None:
    from govsites.workflow.exceptions import ReviewRefused

    dataset = bureau.dataset()
    bureau.upload(dataset)
    services.submit_release(dataset=dataset, acting_user=bureau.editor)
    dataset.refresh_from_db()
    state = dataset.current_workflow_task_state
    with pytest.raises(ReviewRefused):
        state.task.specific.on_action(state.specific, bureau.editor, "approve", comment="")


def test_every_version_is_kept_and_downloadable(bureau: Any, client: Any) -> None:
    dataset = bureau.dataset()
    first = bureau.upload(dataset).version
    bureau.release(dataset)
    second = bureau.upload(dataset, GDP_CSV + "2025,东区,120,14\n").version
    assert second.number == first.number + 1
    # the new version is not public until its release passes review
    assert client.get(f"/data/download/{second.pk}/x.csv").status_code == 404
    dataset = bureau.release(DatasetPage.objects.get(pk=dataset.pk))
    for version, rows in ((first, 4), (second, 5)):
        response = client.get(f"/data/download/{version.pk}/x.csv?as=csv")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).decode("utf-8").count("\n") == rows + 1
    page = client.get(dataset.url)
    assert "主要指标 v1" in page.content.decode() and "主要指标 v2" in page.content.decode()


def test_releasing_or_withdrawing_a_dataset_rewrites_the_cluster_catalogue(
        bureau: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> None:
    from govsites.opendata.models import DataCatalogPage
    from govsites.publishing import tasks

    home = bureau.portal.site.root_page.specific
    catalogue = home.add_child(instance=DataCatalogPage(title="数据开放", slug="data"))
    queued: list[list[int]] = []

    class RecordingTask:
        def enqueue(self, page_ids: list[int], container_ids: list[int]) -> None:
            queued.append(page_ids)

    monkeypatch.setattr(tasks, "publish_changes", RecordingTask())
    dataset = bureau.dataset()
    bureau.upload(dataset)
    with django_capture_on_commit_callbacks(execute=True):
        dataset = bureau.release(dataset)
    assert any(catalogue.pk in ids and dataset.pk in ids for ids in queued)
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dataset.unpublish()
    assert any(catalogue.pk in ids for ids in queued)
