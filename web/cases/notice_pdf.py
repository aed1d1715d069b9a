"""The inspection notice as a PDF (reportlab, with its built-in CID font STSong-Light for Chinese:
no font file to ship, every PDF reader has it)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

if TYPE_CHECKING:
    from web.cases.notice import Notice

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1, spaceAfter=4),
        "number": ParagraphStyle("number", parent=base, alignment=1, spaceAfter=10),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
        "right": ParagraphStyle("right", parent=base, alignment=2),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def render_pdf(notice: Notice, draft_mark: str = "草稿") -> bytes:
    """The notice as PDF bytes (A4)."""
    font = _font()
    st = _styles(font)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="随机抽查通知书",
        author=notice.lead_department or "联查",
    )
    title = "随机抽查通知书" + (f"（{draft_mark}）" if notice.draft else "")
    story = [_p(title, st["title"]), _p(notice.number, st["number"])]
    story.append(_p(f"{notice.enterprise}（统一社会信用代码：{notice.uscc}）：", st["body"]))
    when = notice.visit_date or "另行通知的日期"
    story.append(
        _p(
            f"根据“双随机、一公开”部门联合抽查工作安排（{notice.title}），经随机抽取，你单位被确定为"
            f"本次联合抽查对象。{notice.lead_department}牵头，会同下列部门于{when}"
            f"{'在' + notice.place if notice.place else ''}对你单位进行检查，请予配合。",
            st["body"],
        )
    )
    if notice.address:
        story.append(_p(f"检查地址：{notice.address}", st["body"]))
    story.append(Spacer(1, 6))
    rows = [[_p(h, st["cell"]) for h in ("部门", "抽查事项", "执法检查人员（执法证号）")]]
    for d in notice.departments:
        items = "\n".join(f"{i.get('code', '')} {i.get('name', '')}" for i in d.items) or "—"
        people = (
            "\n".join(
                f"{i.get('name', '')}（{i.get('cert_no') or '—'}）{'  组长' if i.get('leader') else ''}"
                for i in d.inspectors
            )
            or "—"
        )
        rows.append(
            [
                _p(d.name + ("（牵头）" if d.lead else ""), st["cell"]),
                _p(items, st["cell"]),
                _p(people, st["cell"]),
            ]
        )
    table = Table(rows, colWidths=[40 * mm, 65 * mm, 65 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 8)]
    if notice.leader:
        leader = notice.leader
        story.append(
            _p(
                f"检查组组长：{leader.get('name', '')}（执法证号：{leader.get('cert_no') or '—'}）",
                st["body"],
            )
        )
    if notice.notes:
        story.append(_p(notice.notes, st["body"]))
    story.append(
        _p("执法检查人员将出示执法证件。你单位如认为检查人员与你单位有利害关系，可以申请回避。", st["body"])
    )
    story += [Spacer(1, 16), _p(notice.lead_department, st["right"]), _p(notice.issued_on, st["right"])]
    doc.build(story)
    return out.getvalue()
