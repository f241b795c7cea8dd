"""Settings of the point_values pack (百分制考核).

Defaults: seed 000 篇七 “十一、政务服务中心工作人员考核实施细则” (categories 20/30/20/10/20, the violation
catalogue), its “政务服务中心工作人员办理办法” 第三条 (late: 1st 1 point, 2nd 2, 3rd return to unit), “十二、退回制度”
(return-to-unit triggers), and seed 002 “窗口人员日常管理考核办法” 四 (pay 150 yuan / 100 x score; 30 points a year
-> no awards).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from govhall.packs import PackSettings, SettingsProblem, label

KEY = r"^[a-z][a-z0-9_]{0,39}$"
Period = Literal["month", "quarter", "year"]
Subject = Literal["staff", "window", "department"]
Sanction = Literal["verbal_warning", "written_self_criticism", "public_criticism", "efficiency_warning",
                   "removed_from_window", "referred_to_discipline"]
AwardBar = Literal["", "person", "window", "both"]
Finding = Literal["late", "early_leave", "missed_punch", "off_post", "absence_half_day", "absence_day", "leave_day",
                  "converted_absence"]
Unit = Literal["occurrence", "half_day", "day"]

SANCTION_NAMES: dict[str, tuple[str, str]] = {
    "verbal_warning": ("警告（口头批评）", "Warning"),
    "written_self_criticism": ("书面检查", "Written self-criticism"),
    "public_criticism": ("通报批评", "Public criticism"),
    "efficiency_warning": ("效能告诫", "Efficiency warning"),
    "removed_from_window": ("调离窗口", "Removed from the window"),
    "referred_to_discipline": ("移送纪检监察", "Referred to the discipline authorities"),
}


SanctionItem = Annotated[Sanction, msgspec.Meta(extra_json_schema={
    "oneOf": [{"const": k, "title": zh, "x-title-en": e} for k, (zh, e) in SANCTION_NAMES.items()]})]


def _choice(title: str, en: str, values: dict[str, tuple[str, str]]) -> msgspec.Meta:
    return msgspec.Meta(title=title, extra_json_schema={
        "x-title-en": en, "oneOf": [{"const": k, "title": zh, "x-title-en": e} for k, (zh, e) in values.items()]})


LEAVE_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "personal": ("事假", "Personal"), "sick": ("病假", "Sick"), "annual": ("年休假（公休假）", "Annual"),
    "marriage": ("婚假", "Marriage"), "maternity": ("产假", "Maternity"), "family_visit": ("探亲假", "Family visit"),
    "bereavement": ("丧假", "Bereavement"), "official": ("公假", "Official"),
}
"""The leave types (govhall.packs.types.LEAVE_TYPES) by their Chinese names, for the form's pickers."""
_LEAVE_CHOICES = [{"const": k, "title": zh, "x-title-en": en} for k, (zh, en) in LEAVE_TYPE_NAMES.items()]
LeaveTypeChoice = Annotated[str, msgspec.Meta(extra_json_schema={"oneOf": _LEAVE_CHOICES})]

REF_CATEGORY = {"widget": "ref", "ref": "categories", "label-field": "name"}
REF_VIOLATION = {"widget": "ref", "ref": "violations", "label-field": "name"}
REFS_VIOLATION = {"widget": "refs", "ref": "violations", "label-field": "name"}


class Category(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    key: Annotated[str, label("代码", "Key", x={"widget": "code"}, pattern=KEY)]
    name: Annotated[str, label("名称", "Name", min_length=1, max_length=30)]
    name_en: Annotated[str, label("英文名称", "Name (English)", max_length=60)] = ""
    max_points: Annotated[float, label("满分", "Maximum", gt=0, le=100)]


class Violation(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    key: Annotated[str, label("代码", "Key", x={"widget": "code"}, pattern=KEY)]
    name: Annotated[str, label("名称", "Name", min_length=1, max_length=60)]
    name_en: Annotated[str, label("英文名称", "Name (English)", max_length=100)] = ""
    category: Annotated[str, label("所属类别", "Category", x=REF_CATEGORY, pattern=KEY)]
    points: Annotated[tuple[float, ...], label(
        "扣分（按当月第几次）", "Points by occurrence in the month", "第 1 次、第 2 次……；超出部分按最后一个值",
        "1st, 2nd, ...; later ones repeat the last value", min_length=1, max_length=10)]
    ladder_group: Annotated[str, label(
        "与哪些项目合并计次", "Counted together with", "同组违规合并计算第几次（如迟到、早退）；不选则单独计次",
        "Violations of one group share the occurrence count (e.g. late and early leave); none: counted alone",
        x={"widget": "group", "ref": "violations", "label-field": "name"}, max_length=40)] = ""
    zeroes_category: Annotated[bool, label("该类别当月不得分", "Category scores 0 for the month")] = False
    zeroes_month_at: Annotated[float, label("当月累计达到即当月考核为零分", "This many in a month: month scores 0",
                                            "0 表示不适用", "0: never", ge=0)] = 0
    stops_pay: Annotated[bool, label("停发当月考核资金", "No assessment pay for the month")] = False
    clause: Annotated[str, label("依据条款", "Clause", "如 000 篇七 十一(二)3", "e.g. 000 篇七 十一(二)3",
                                 max_length=80)] = ""
    subject: Annotated[Subject, _choice("考核对象", "Subject", {
        "staff": ("工作人员", "Staff member"), "window": ("窗口", "Window"),
        "department": ("部门", "Department")})] = "staff"
    evidence_required: Annotated[bool, label("须上传证据", "Evidence required")] = False
    warn_first: Annotated[bool, label("当月首次仅警告不扣分", "First time in the month: warning only",
                                      "虽经指出但不及时纠正的才扣分", "Points only if not corrected after a warning")] = False
    points_min: Annotated[float, label("视情节扣分下限", "Range: minimum points", "0 表示按次扣分",
                                       "0: the ladder applies", ge=0, le=100)] = 0
    points_max: Annotated[float, label("视情节扣分上限", "Range: maximum points", ge=0, le=100)] = 0
    fine_yuan: Annotated[float, label("罚款（元/次）", "Fine (yuan each)", ge=0, le=100000)] = 0
    bars_awards: Annotated[AwardBar, _choice("取消评先资格", "Bars awards", {
        "": ("不取消", "No"), "person": ("本人", "The person"), "window": ("所在窗口", "The window"),
        "both": ("本人和所在窗口", "The person and the window")})] = ""
    sanction: Annotated[tuple[SanctionItem, ...], label(
        "处理方式（按当月第几次）", "Sanction by occurrence", "如 第1次警告、第2次书面检查",
        "e.g. 1st a warning, 2nd a written self-criticism", max_length=10)] = ()


class Bonus(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    key: Annotated[str, label("代码", "Key", x={"widget": "code"}, pattern=KEY)]
    name: Annotated[str, label("名称", "Name", min_length=1, max_length=60)]
    name_en: Annotated[str, label("英文名称", "Name (English)", max_length=100)] = ""
    category: Annotated[str, label("所属类别", "Category", x=REF_CATEGORY, pattern=KEY)]
    points: Annotated[float, label("每次加分", "Points each", gt=0, le=100)]
    monthly_cap: Annotated[float, label("每月最多加分", "Monthly cap", gt=0, le=100)]
    points_min: Annotated[float, label("视情加分下限", "Range: minimum", "0 表示固定分值", "0: fixed points",
                                       ge=0, le=100)] = 0
    points_max: Annotated[float, label("视情加分上限", "Range: maximum", ge=0, le=100)] = 0
    clause: Annotated[str, label("依据条款", "Clause", max_length=80)] = ""


class ReturnTrigger(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """退回原单位: when the listed violations together reach ``count`` within the period."""

    name: Annotated[str, label("情形", "Case", min_length=1, max_length=60)]
    name_en: Annotated[str, label("英文", "Case (English)", max_length=100)] = ""
    violations: Annotated[tuple[str, ...], label("违规情形", "Violations", x=REFS_VIOLATION, min_length=1)]
    count: Annotated[float, label("达到次数（含）", "Count (inclusive)", gt=0)]
    period: Annotated[Period, msgspec.Meta(title="期间", extra_json_schema={
        "x-title-en": "Period", "oneOf": [{"const": "month", "title": "当月", "x-title-en": "month"},
                                          {"const": "quarter", "title": "当季", "x-title-en": "quarter"},
                                          {"const": "year", "title": "当年", "x-title-en": "year"}]})] = "month"
    clause: Annotated[str, label("依据条款", "Clause", max_length=80)] = ""
    immediate: Annotated[bool, label("记录即立案（不等月末）", "Open a case at once (not at month close)")] = False


class AttendanceMap(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """考勤结果转为扣分记录: which attendance finding becomes which violation, and how it is counted."""

    finding: Annotated[Finding, _choice("考勤结果", "Attendance finding", {
        "late": ("迟到（每次）", "Late (each)"), "early_leave": ("早退（每次）", "Early leave (each)"),
        "missed_punch": ("未录入考勤（每次）", "Missed punch (each)"),
        "off_post": ("脱岗（按时长）", "Off post (by length)"),
        "absence_half_day": ("旷工半天", "Absent half a day"), "absence_day": ("旷工一天", "Absent a whole day"),
        "leave_day": ("请假（按类型）", "Leave (by type)"),
        "converted_absence": ("月度折算旷工（如迟到4次计旷工半天）", "Converted absence (e.g. 4 lates = half a day)")})]
    violation: Annotated[str, label("扣分项目", "Violation", x=REF_VIOLATION, pattern=KEY)]
    unit: Annotated[Unit, _choice("计算单位", "Unit", {
        "occurrence": ("每次", "Each occurrence"), "half_day": ("每半天", "Each half day"),
        "day": ("每天", "Each day")})] = "occurrence"
    min_minutes: Annotated[int, label("脱岗时长超过（分钟）", "Off post longer than (minutes)",
                                      "仅用于脱岗；取满足条件的最长一档", "Off post only; the longest matching band wins",
                                      ge=0, le=1440)] = 0
    leave_type: Annotated[str, msgspec.Meta(title="请假类型", description="仅用于“请假（按类型）”；不选则各类请假都适用",
                                            max_length=32, extra_json_schema={
        "x-title-en": "Leave type", "x-description-en": "Leave only; none chosen: every type",
        "oneOf": [{"const": "", "title": "（各类请假）", "x-title-en": "(any type)"}, *_LEAVE_CHOICES]})] = ""


def _v(key: str, name: str, en: str, cat: str, *points: float, clause: str, group: str = "",
       zero_cat: bool = False, zero_month: float = 0, sanction: tuple[Sanction, ...] = ()) -> Violation:
    return Violation(key=key, name=name, name_en=en, category=cat, points=points, ladder_group=group,
                     zeroes_category=zero_cat, zeroes_month_at=zero_month, clause=f"000 篇七 {clause}",
                     sanction=sanction)


DEFAULT_CATEGORIES = (
    Category(key="schedule", name="作息规范", name_en="Work schedule", max_points=20),
    Category(key="service", name="服务标准", name_en="Service standards", max_points=30),
    Category(key="hygiene_safety", name="卫生安全", name_en="Hygiene and safety", max_points=20),
    Category(key="integrity", name="廉洁勤政", name_en="Integrity and diligence", max_points=10),
    Category(key="performance", name="工作绩效", name_en="Work performance", max_points=20),
)

_LATE: tuple[Sanction, ...] = ("verbal_warning", "written_self_criticism")  # 办理办法 第三条: 第一次提出警告，第二次写出书面检查
DEFAULT_VIOLATIONS = (
    # (一) 作息规范 20
    _v("late", "迟到", "Late", "schedule", 1, 2, group="late_early", clause="十一(一)1; 办理办法 第三条",
       sanction=_LATE),
    _v("early_leave", "早退", "Early leave", "schedule", 1, 2, group="late_early", clause="十一(一)1; 办理办法 第三条",
       sanction=_LATE),
    _v("missed_punch", "上、下班未录入考勤", "Missed punch", "schedule", 0.5, clause="十一(一)1"),
    _v("off_post", "脱岗（未超过 0.5 小时）", "Off post (up to 30 min)", "schedule", 1, group="off_post",
       clause="十一(一)2; 办理办法 第四条"),
    _v("off_post_long", "脱岗超过 1 小时", "Off post over 1 hour", "schedule", 2, group="off_post",
       clause="十一(一)2 (办理办法 第四条: 3)"),
    _v("absence_half_day", "旷工半天（含脱岗超过 1.5 小时）", "Absent half a day (incl. off post over 1.5 h)",
       "schedule", 3, clause="十一(一)2"),
    _v("absence_day", "旷工（每天）", "Absence (per day)", "schedule", 3, zero_month=3, clause="十一(一)2-3",
       sanction=("public_criticism",)),
    _v("unclosed_leave", "假满未销假（按旷工一天）", "Leave not closed (a day of absence)", "schedule", 3,
       clause="十一(一)3"),
    _v("no_substitute_day", "请假未安排顶岗（每天）", "Leave without substitute (per day)", "schedule", 2,
       clause="十一(一)4"),
    _v("meeting_late", "例会等集体活动迟到、早退", "Late for a meeting", "schedule", 0.5, clause="十一(一)5"),
    _v("meeting_absent", "旷会", "Missed a meeting", "schedule", 1, clause="十一(一)5"),
    _v("inspection_late", "被上级暗查迟到、早退", "Late at an inspection from above", "schedule", 3,
       clause="十一(一)6"),
    _v("inspection_off_post", "被上级暗查脱岗", "Off post at an inspection from above", "schedule", 5,
       clause="十一(一)6"),
    # (二) 服务标准 30
    _v("no_badge", "不佩证上岗", "No badge", "service", 1, clause="十一(二)1"),
    _v("dress", "穿背心、短裤、拖鞋、超短裙上班", "Improper dress", "service", 1, clause="十一(二)1"),
    _v("makeup", "浓妆艳抹、上班照镜子、化妆", "Heavy make-up or grooming at work", "service", 1, clause="十一(二)1"),
    _v("long_hair", "男同志留长发、长胡须", "Long hair or beard (men)", "service", 1, clause="十一(二)1"),
    _v("uncivil_language", "用语不文明", "Uncivil language", "service", 1, clause="十一(二)2"),
    _v("ignored_inquiry", "服务对象咨询不理睬", "Ignored an applicant's question", "service", 1, clause="十一(二)2"),
    _v("quarrel", "在工作区与人争吵", "Quarrel", "service", 4, clause="十一(二)2"),
    _v("ten_prohibitions", "违反“十项禁令”", "Broke one of the ten prohibitions", "service", 3,
       clause="十一(二)3; 办理办法 第五条"),
    _v("inspection_ten_prohibitions", "暗访检查发现违反“十项禁令”", "Ten prohibitions, found by an inspection",
       "service", 3, clause="十一(二)3; 十二.9"),
    _v("physical_conflict", "在办公区与人发生肢体冲突", "Physical conflict", "service", 0, zero_cat=True,
       clause="十一(二)3; 十二.4; 四.8", sanction=("written_self_criticism",)),
    _v("lingering", "下班后在大厅滞留半小时以上未报告", "Stayed in the hall 30 min after hours unreported", "service", 1,
       clause="十一(二)3"),
    _v("cold_attitude", "脸色冷漠、态度生硬", "Cold attitude", "service", 1, clause="十一(二)3"),
    _v("complaint", "被服务对象投诉（本人原因）", "Complaint by an applicant", "service", 5,
       clause="十一(二)3 (原文“赞扬”); 十二.5"),
    _v("rating_device_off", "未启用服务评价器", "Rating device not used", "service", 1, clause="十一(二)3"),
    _v("first_inquiry", "不按首问负责制办事", "First-inquiry responsibility not followed", "service", 2,
       clause="十一(二)3"),
    _v("one_time_notice", "不执行一次性告知制", "One-time notification not followed", "service", 3,
       clause="十一(二)3"),
    _v("time_limit", "不执行限时办结制", "Time-limited completion not followed", "service", 2, clause="十一(二)3"),
    _v("ab_post", "不落实AB岗工作制", "AB backup post not kept", "service", 2, clause="十一(二)3"),
    _v("service_pledge", "不落实服务承诺制", "Service pledge not kept", "service", 2, clause="十一(二)3"),
    _v("insubordination", "不服从中心管理、顶撞管理人员", "Insubordination", "service", 3, clause="十一(二)3; 十二.6"),
    _v("exposed", "被“两代表一委员”、行风监督员、媒体批评曝光", "Criticised publicly by deputies, monitors or media",
       "service", 0, clause="十二.8"),
    # (三) 卫生安全 20
    _v("untidy", "桌面不整齐、有灰尘、纸团", "Untidy counter", "hygiene_safety", 1, clause="十一(三)1"),
    _v("power_left_on", "下班后不切断电源、私拉电线", "Power left on / private wiring", "hygiene_safety", 1,
       clause="十一(三)2"),
    _v("electrical_accident", "用电不当发生事故或火灾", "Electrical accident or fire", "hygiene_safety", 0,
       zero_cat=True, clause="十一(三)2; 十二.10"),
    _v("bad_website", "访问黄色、黑色网站", "Visited an improper website", "hygiene_safety", 2, clause="十一(三)2"),
    _v("outsider_computer", "带外来人员或小孩使用电脑或网络设备", "Outsiders or children used office computers",
       "hygiene_safety", 1, clause="十一(三)2"),
    _v("subversive_content", "下载打印反党反社会及邪教内容", "Downloaded or printed subversive content",
       "hygiene_safety", 0, zero_cat=True, clause="十一(三)2"),
    # (四) 廉洁勤政 10
    _v("shirking", "敷衍塞责、推诿扯皮", "Shirking", "integrity", 2, clause="十一(四)1"),
    _v("abuse_of_power", "以权谋私、吃拿卡要", "Abuse of power", "integrity", 3, clause="十一(四)2"),
    _v("retaliation", "打击报复举报人或投诉人", "Retaliation", "integrity", 3, clause="十一(四)3; 办理办法 第六条"),
    _v("disciplinary_punishment", "因违规违纪受党纪政纪处分", "Party or government disciplinary punishment",
       "integrity", 0, clause="十二.11"),
    # (五) 工作绩效 20
    _v("few_cases", "当月办件未达到 2 件", "Fewer than 2 cases in the month", "performance", 1, clause="十一(五)1"),
    _v("no_cases", "当月未办理任何审批服务事项", "No cases at all in the month", "performance", 2, clause="十一(五)1"),
    _v("wrong_process", "未按流程在协同办公平台录入", "Not entered by the process", "performance", 2,
       clause="十一(五)2"),
    _v("not_entered", "办件未在协同办公平台录入（每件）", "Case not entered (each)", "performance", 2,
       clause="十一(五)2"),
    _v("late_entry", "办件录入不及时（每件）", "Case entered late (each)", "performance", 1, clause="十一(五)2"),
    _v("city_notified", "录入不及时或不录入被市通报", "Named by the city for late or missing entries", "performance",
       5, clause="十一(五)2"),
    _v("late_report", "不按时上交月统计表", "Monthly report late", "performance", 2, clause="十一(五)3"),
    _v("missed_activity", "不参加中心安排的活动", "Missed a center activity", "performance", 1, clause="十一(五)4"),
)


def _t(name: str, en: str, keys: tuple[str, ...], count: float, clause: str, period: Period = "month",
       immediate: bool = False) -> ReturnTrigger:
    return ReturnTrigger(name=name, name_en=en, violations=keys, count=count, period=period,
                         clause=f"000 篇七 {clause}", immediate=immediate)


DEFAULT_RETURN_TRIGGERS = (
    _t("迟到或早退 3 次（含）以上", "Late or early 3 times or more", ("late", "early_leave"), 3, "十二.1; 办理办法 第三条"),
    _t("脱岗 2 次（含）以上", "Off post twice or more", ("off_post", "off_post_long"), 2, "十二.2; 办理办法 第四条"),
    _t("旷工 3 天（含）以上", "Absent 3 days or more", ("absence_day",), 3, "十二.3"),
    _t("在工作区与人发生肢体冲突", "A physical conflict", ("physical_conflict",), 1, "十二.4; 四.8", immediate=True),
    _t("一季度内被服务对象投诉 2 次以上", "Two complaints within a quarter", ("complaint",), 2, "十二.5",
       period="quarter"),
    _t("与中心管理人员顶撞 2 次以上", "Insubordinate twice or more", ("insubordination",), 2, "十二.6"),
    _t("违反“十项禁令”2 次以上", "Ten prohibitions twice or more", ("ten_prohibitions",), 2, "十二.7"),
    _t("被“两代表一委员”、行风监督员、媒体等批评曝光", "Criticised publicly", ("exposed",), 1, "十二.8", immediate=True),
    _t("暗访检查发现违反“十项禁令”", "Ten prohibitions found by an inspection", ("inspection_ten_prohibitions",), 1,
       "十二.9", immediate=True),
    _t("因责任不到位造成安全事故", "A safety accident", ("electrical_accident",), 1, "十二.10", immediate=True),
    _t("因违规违纪受党纪政纪处分", "A disciplinary punishment", ("disciplinary_punishment",), 1, "十二.11",
       immediate=True),
    _t("打击报复造成不良后果", "Retaliation", ("retaliation",), 1, "办理办法 第六条", immediate=True),
)

DEFAULT_ATTENDANCE_MAPPING = (
    AttendanceMap(finding="late", violation="late"),
    AttendanceMap(finding="early_leave", violation="early_leave"),
    AttendanceMap(finding="missed_punch", violation="missed_punch"),
    AttendanceMap(finding="off_post", violation="off_post", min_minutes=0),
    AttendanceMap(finding="off_post", violation="off_post_long", min_minutes=60),
    AttendanceMap(finding="off_post", violation="absence_half_day", min_minutes=90),
    AttendanceMap(finding="absence_half_day", violation="absence_half_day"),
    AttendanceMap(finding="absence_day", violation="absence_day", unit="day"),
)

DEFAULT_BONUSES = (
    Bonus(key="praise_letter", name="群众送锦旗或感谢信", name_en="Banner or thank-you letter", category="service",
          points=2, monthly_cap=4, clause="中心自定（种子未规定分值）"),
    Bonus(key="article_published", name="信息被刊用", name_en="Article published", category="performance",
          points=1, monthly_cap=3, clause="中心自定（种子未规定分值）"),
)


class PointValuesSettings(PackSettings, frozen=True, kw_only=True):
    categories: Annotated[tuple[Category, ...], label(
        "考核类别", "Categories", "各类别满分合计须为 100", "The maxima must add up to 100", min_length=1,
        x={"add": "添加考核类别", "add-en": "Add a category", "label-field": "name"})] = (
        DEFAULT_CATEGORIES)
    violations: Annotated[tuple[Violation, ...], label("扣分项目", "Violations", x={
        "add": "添加扣分项", "add-en": "Add a violation", "label-field": "name"})] = DEFAULT_VIOLATIONS
    bonuses: Annotated[tuple[Bonus, ...], label(
        "加分项目", "Bonus items", "加分在所属类别内抵扣扣分，类别得分不超过满分",
        "Bonuses make up deductions within their category; no category exceeds its maximum",
        x={"add": "添加加分项", "add-en": "Add a bonus item", "label-field": "name"})] = DEFAULT_BONUSES
    return_triggers: Annotated[tuple[ReturnTrigger, ...], label(
        "退回原单位情形", "Return-to-unit triggers",
        x={"add": "添加退回情形", "add-en": "Add a return trigger", "label-field": "name"})] = DEFAULT_RETURN_TRIGGERS
    pay_base_yuan: Annotated[float, label("考核资金（元/人/月）", "Assessment pay (yuan a month)",
                                          "个人考核资金 = 该金额 ÷ 100 × 个人得分", "Pay = this / 100 x score",
                                          ge=0, le=100000)] = 150
    sanctions_only: Annotated[bool, label(
        "只记处理方式，不计分", "Sanctions only, no points",
        "乡镇便民服务中心等无百分制考核的中心：同样记录违规，按次给予批评教育、效能告诫等处理（001 四(二)），不扣分、无考核资金",
        "Centers without a 100-point assessment (001 townships): the same records, each with its sanction by "
        "occurrence; no points, no pay")] = False
    appeal_working_days: Annotated[int, label(
        "申诉期限（工作日）", "Appeal deadline (working days)", "自记录之日起；种子未规定，中心自定",
        "From the day of the record; the seeds set none", ge=1, le=30)] = 5
    attendance_mapping: Annotated[tuple[AttendanceMap, ...], label(
        "考勤结果转扣分", "Attendance findings to violations",
        "考勤月结后，各项结果按此生成扣分记录（来源：考勤）",
        "When the month's attendance is final, findings become violation records (source: attendance)",
        x={"add": "添加考勤转扣分规则", "add-en": "Add a finding-to-violation rule"})] = (
        DEFAULT_ATTENDANCE_MAPPING)
    annual_award_threshold: Annotated[float, label(
        "全年扣分达到即不得评先评优", "Annual deductions that bar awards", "0 表示不适用", "0: never",
        ge=0, le=1200)] = 30
    unit_scorecards: Annotated[tuple[Literal["window", "department"], ...], label(
        "同时考核窗口/部门", "Also score windows / departments",
        "月结时另存窗口（及部门）月考核，作为红旗窗口等评比依据（000 篇七 工作制度 十一 序、十.1）",
        "At month close also store window (and department) scorecards, e.g. for the red-flag window (000 十一, 十.1)",
        max_length=2)] = ("window",)
    unit_counts_members: Annotated[Literal["none", "chief", "all"], msgspec.Meta(
        title="窗口分值计入人员扣分", extra_json_schema={
            "x-title-en": "Members' deductions counted for the window",
            "description": "000 篇七 服务制度 六(五)2：首席代表月考核计算在本窗口分值；004 考勤 五：临时上岗人员违纪扣窗口分",
            "oneOf": [{"const": "none", "title": "不计入", "x-title-en": "None"},
                      {"const": "chief", "title": "首席代表的扣分计入", "x-title-en": "The chief representative's"},
                      {"const": "all", "title": "全部人员的扣分计入", "x-title-en": "Every member's"}]})] = "chief"
    annual_leave_limit_days: Annotated[float, label(
        "全年病事假累计超过（天）取消年度考核奖", "Annual sick+personal leave over (days) cancels the annual bonus",
        "000 篇七 工作制度 二.5：全年病事假累计超过三十天；0 表示不适用", "000 工作制度 二.5: over 30 days; 0: never",
        ge=0, le=366)] = 30
    annual_leave_types: Annotated[tuple[LeaveTypeChoice, ...], msgspec.Meta(
        title="计入上述天数的请假类型", max_length=8,
        extra_json_schema={"x-title-en": "Leave types counted", "uniqueItems": True})] = ("sick", "personal")
    annual_absence_limit_days: Annotated[float, label(
        "全年累计旷工达到（天）取消年度考核奖", "Annual absence (days) that cancels the annual bonus",
        "000 篇七 工作制度 二.5：累计旷工三天以上；0 表示不适用", "000 工作制度 二.5: 3 days or more; 0: never",
        ge=0, le=366)] = 3
    chief_award_candidates: Annotated[int, label(
        "“优秀首席代表”候选人数", "Candidates for 优秀首席代表",
        "000 篇七 服务制度 六(五)2：年度授予“优秀首席代表”（名额种子未规定，中心自定）；0 表示不评",
        "000 服务制度 六(五)2 (the seed sets no number); 0: none", ge=0, le=50)] = 3
    return_authority: Annotated[str, label(
        "退回原单位的批准机关", "Who approves a return to the home unit",
        "000 篇七 十二：中心；002 首问负责 4：中心报县协调领导小组批准", "000 十二: the center; 002: the county group",
        max_length=100)] = "中心主任办公会"
    return_authority_outside: Annotated[bool, label(
        "批准机关在中心以外（须上传批准文件扫描件）", "The authority is outside the center (a scan is required)")] = False

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        cats = [c.key for c in self.categories]
        for i, k in enumerate(cats):
            if cats.count(k) > 1:
                out.append(SettingsProblem(f"categories[{i}].key", f"代码 {k} 重复", f"key {k} is used twice"))
                break
        total = sum(c.max_points for c in self.categories)
        if abs(total - 100) > 1e-9:
            out.append(SettingsProblem("categories", f"各类别满分合计为 {total:g}，应为 100",
                                       f"the maxima add up to {total:g}, not 100"))
        keys: set[str] = set()
        for i, v in enumerate(self.violations):
            if v.key in keys:
                out.append(SettingsProblem(f"violations[{i}].key", f"代码 {v.key} 重复", f"key {v.key} is used twice"))
            keys.add(v.key)
            if v.category not in cats:
                out.append(SettingsProblem(f"violations[{i}].category", f"没有代码为 {v.category} 的考核类别",
                                           f"no category with key {v.category}"))
            if any(p < 0 for p in v.points):
                out.append(SettingsProblem(f"violations[{i}].points", "扣分不能为负数", "points cannot be negative"))
            if v.points_max < v.points_min:
                out.append(SettingsProblem(f"violations[{i}].points_max", "扣分上限小于下限",
                                           "the range maximum is below its minimum"))
            if self.sanctions_only and not v.sanction:
                out.append(SettingsProblem(f"violations[{i}].sanction", "只记处理方式的中心，每个项目须有处理方式",
                                           "with sanctions only, every item needs its sanction"))
        for i, b in enumerate(self.bonuses):
            if b.points_max < b.points_min:
                out.append(SettingsProblem(f"bonuses[{i}].points_max", "加分上限小于下限",
                                           "the range maximum is below its minimum"))
        for i, m in enumerate(self.attendance_mapping):
            if m.violation not in keys:
                out.append(SettingsProblem(f"attendance_mapping[{i}].violation", f"没有代码为 {m.violation} 的扣分项目",
                                           f"no violation with key {m.violation}"))
        for i, b in enumerate(self.bonuses):
            if b.category not in cats:
                out.append(SettingsProblem(f"bonuses[{i}].category", f"没有代码为 {b.category} 的考核类别",
                                           f"no category with key {b.category}"))
            if b.points > b.monthly_cap:
                out.append(SettingsProblem(f"bonuses[{i}].monthly_cap", "每月上限小于每次加分",
                                           "the monthly cap is below the points of one item"))
        for i, t in enumerate(self.return_triggers):
            for k in t.violations:
                if k not in keys:
                    out.append(SettingsProblem(f"return_triggers[{i}].violations", f"没有代码为 {k} 的扣分项目",
                                               f"no violation with key {k}"))
        from govhall.packs.types import LEAVE_TYPES

        for i, lt in enumerate(self.annual_leave_types):
            if lt not in LEAVE_TYPES:
                out.append(SettingsProblem(f"annual_leave_types[{i}]", f"没有请假类型 {lt}（可选：{'、'.join(LEAVE_TYPES)}）",
                                           f"no leave type {lt}"))
        if self.return_authority_outside and not self.return_authority.strip():
            out.append(SettingsProblem("return_authority", "请填写中心以外的批准机关", "name the outside authority"))
        return out
