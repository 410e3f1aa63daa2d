"""数据开放 (open data): the dataset catalogue, table versions, the query API and charts.

A dataset release is a Wagtail page (`DatasetPage`) under a column, so the review chain and
static publishing apply to it unchanged (docs/adr/0004-dataset-releases-are-pages.md).
"""
