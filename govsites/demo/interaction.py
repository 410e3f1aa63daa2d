"""Demo 政民互动: mailboxes on the portal and the education site, and messages in every state.

Built through interaction's services, so `make run` shows the casework as users make it: a
message answered after a transfer (listed publicly), one being handled, one waiting to be
accepted, one held by screening, and a 找错 report. Loaded once (skipped when the demo
already has messages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from govsites.accounts.models import User
from govsites.interaction import consultations, error_reports, faq, services
from govsites.interaction.models import Consultation, Enquiry, FaqEntry, Mailbox

from .interaction_events import load_surveys_and_interviews

Say = Callable[[str], None]

MAILBOXES = [
    # site key, organisation key, name, slug, kind, description
    ("portal", "office", "市长信箱", "mayor", "leader",
     "欢迎您就本市经济社会发展和政府工作提出咨询、投诉、建议。涉及具体部门职责的留言将转交相关部门办理。"),
    ("edu", "edu", "局长信箱", "director", "leader", "受理有关本市教育工作的咨询、建议和投诉。"),
]


def _user(username: str) -> Any:
    return User.objects.get(username=username)


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def load_interaction(*, sites: dict[str, Any], orgs: dict[str, Any], say: Say) -> None:
    """Create the demo mailboxes and, the first time, their messages."""
    boxes: dict[str, Mailbox] = {}
    for site_key, org_key, name, slug, kind, description in MAILBOXES:
        box = Mailbox.objects.filter(site=sites[site_key], slug=slug).first()
        if box is None:
            box = services.save_mailbox(acting_user=None, mailbox=Mailbox(
                site=sites[site_key], organisation=orgs[org_key], name=name, slug=slug,
                kind=kind, description=description))
            say(f"  信箱：{sites[site_key].name} · {name}（/interact/mailbox/{slug}/）")
        boxes[slug] = box
    load_surveys_and_interviews(sites=sites, orgs=orgs, moderator=_user("office_editor"),
                                archiver=_user("admin"), say=say)
    if Enquiry.objects.exists():
        return
    office, office_reviewer = _user("office_editor"), _user("office_reviewer")
    jyj_editor, jyj_reviewer = _user("jyj_editor"), _user("jyj_reviewer")
    mayor = boxes["mayor"]

    answered = services.submit_enquiry(
        mailbox=mayor, kind="consult", subject="关于小学新生入学报名时间的咨询",
        content="孩子今年满六周岁，请问城区小学新生入学什么时候报名？需要准备哪些材料？"
                "我的联系电话13912345678。",
        name="陈先生", mobile="13912345678", publish_allowed=True, now=_days_ago(12)).enquiry
    services.accept_enquiry(enquiry=answered, acting_user=office)
    services.transfer_enquiry(enquiry=answered, acting_user=office,
                              to_organisation=orgs["edu"], note="属市教育局职责，请按期答复")
    reply = services.draft_reply(
        enquiry=answered, acting_user=jyj_editor,
        body="您好！本市城区小学新生入学网上报名定于每年6月上旬进行，具体时间以市教育局发布的"
             "招生公告为准。报名需准备户口簿、房产证明或租赁备案证明、儿童预防接种证。感谢您的关注！")
    services.approve_reply(reply=reply, acting_user=jyj_reviewer)

    handling = services.submit_enquiry(
        mailbox=mayor, kind="suggestion", subject="建议增加10路公交早高峰班次",
        content="10路公交早高峰时段非常拥挤，建议在7点至8点半之间增加班次。",
        name="刘女士", mobile="13700001111", publish_allowed=True, now=_days_ago(3)).enquiry
    services.accept_enquiry(enquiry=handling, acting_user=office)

    services.submit_enquiry(
        mailbox=mayor, kind="complaint", subject="夜间施工噪音扰民",
        content="某工地连续多日夜间施工至凌晨，严重影响周边居民休息，请有关部门查处。",
        name="赵先生", mobile="13600002222", email="zhao@example.com", publish_allowed=False,
        now=_days_ago(1))
    services.submit_enquiry(
        mailbox=boxes["director"], kind="report", subject="反映某培训机构问题",
        content="某培训机构工作人员泄露了学生信息，其中有身份证号110101199003070011。",
        name="孙女士", mobile="13500003333", publish_allowed=False, now=_days_ago(1))
    error_reports.submit_error_report(
        site=sites["portal"], page_url=f"http://{sites['portal'].site.hostname}/",
        error_type="typo", description="首页“政务公开”栏目中一条通知的标题有错别字。",
        now=_days_ago(0))
    answered.refresh_from_db()
    faq.curate_from_enquiry(enquiry=answered, acting_user=jyj_editor,
                            question="小学新生入学什么时候报名？需要哪些材料？")
    FaqEntry.objects.create(site=sites["portal"], organisation=orgs["data"],
                            question="如何查询个人住房公积金缴存情况？",
                            answer="可登录市住房公积金管理中心网站或携带身份证到服务大厅查询。")
    today = timezone.localdate()
    park = consultations.save_consultation(acting_user=None, consultation=Consultation(
        site=sites["portal"], organisation=orgs["office"],
        title="关于《示例市城市公园管理办法（征求意见稿）》公开征求意见的公告",
        draft="第一条　为加强城市公园管理，保护公园资源，根据有关法律法规，结合本市实际，制定本办法。\n"
              "第二条　本市行政区域内城市公园的规划、建设、保护和管理，适用本办法。",
        opens_on=today - dt.timedelta(days=5), closes_on=today + dt.timedelta(days=25)))
    comment = consultations.submit_comment(consultation=park,
                                           content="建议夏季延长公园夜间开放时间至22点。")
    consultations.moderate_comment(comment=comment, acting_user=_user("office_reviewer"),
                                   publish=True)
    consultations.save_consultation(acting_user=None, consultation=Consultation(
        site=sites["portal"], organisation=orgs["office"],
        title="关于《示例市养犬管理规定（征求意见稿）》公开征求意见的公告",
        draft="第一条　为规范养犬行为，维护市容环境和社会秩序，制定本规定。",
        opens_on=today - dt.timedelta(days=40), closes_on=today - dt.timedelta(days=10)))
    say(f"  留言：4 条（1 条已答复公开，审核人 {office_reviewer.real_name} 等可在后台办理）；找错留言 1 条；"
        "意见征集 2 项（1 项征集中，1 项待公布采纳情况）；常见问题 2 条")
