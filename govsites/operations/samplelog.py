"""A generated visit log in the `govsites_visits` format, for the demo, tests and the benchmark.

Deterministic for a seed: page views by people on phones and computers, some 繁体 and 适老化
readers, search-engine and on-site search terms, outside referrers, crawlers and 404s.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence

from .visitlog import BEIJING, format_line

AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15",
)
BOTS = ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)")
TERMS = ("政府信息公开", "办事指南", "营业执照", "社保查询", "招聘公告", "义务教育入学")
REFERRERS = ("https://www.baidu.com/s?wd=%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97",
             "https://www.so.com/s?q=%E6%8B%9B%E8%81%98%E5%85%AC%E5%91%8A",
             "https://www.gov.cn/", "https://mp.weixin.qq.com/s/abc")


def sample_lines(*, hosts: Sequence[str], paths: Sequence[str], start: dt.date, days: int,
                 per_day: int, seed: int = 2026) -> Iterator[str]:
    """Yield `per_day` lines a day per host for `days` days from `start`, in time order."""
    rng = random.Random(seed)
    paths = list(paths) or ["/"]
    visitors = [(f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                 rng.choice(AGENTS)) for _ in range(max(per_day // 3, 1))]
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        for n in range(per_day):
            seconds = n * 86400 // per_day
            when = dt.datetime.combine(day, dt.time(), tzinfo=BEIJING) + dt.timedelta(seconds=seconds)
            for host in hosts:
                yield _one(rng, when, host, paths, visitors)


def _one(rng: random.Random, when: dt.datetime, host: str, paths: list[str],
         visitors: list[tuple[str, str]]) -> str:
    address, agent = rng.choice(visitors)
    roll = rng.random()
    uri, status, referrer, mode = rng.choice(paths), 200, "", ""
    if roll < 0.04:
        agent = rng.choice(BOTS)
    elif roll < 0.07:
        uri, status = f"/old/page{rng.randrange(20)}.html", 404
    elif roll < 0.10:
        uri = "/search/?q=" + rng.choice(TERMS)
    elif roll < 0.16:
        referrer = rng.choice(REFERRERS)
    if rng.random() < 0.08:
        uri = "/zh-hant" + uri
    if rng.random() < 0.05:
        mode = "care"
    return format_line(when=when, site=host, address=address, method="GET", uri=uri,
                       status=status, referrer=referrer, agent=agent, mode=mode)
