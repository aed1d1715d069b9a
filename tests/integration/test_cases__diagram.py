"""The diagram layout generated for BPMN files without one (web/cases/layout.py): every node gets
a shape, every flow an edge, subprocesses are expanded around their children, lanes are bands."""

from __future__ import annotations

from lxml import etree

from adapters.workflow import versions
from tests.unit.process_support import linear, tiny_model
from web.cases.layout import BPMN, BPMNDI, DC, containers, with_diagram

NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC}


def without_diagram(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for diagram in root.findall(f"{{{BPMNDI}}}BPMNDiagram"):
        root.remove(diagram)
    return etree.tostring(root)


def shipped_bpmn() -> bytes:
    return (versions.PROCESSES_DIR / "inspection_case" / "inspection_case.bpmn").read_bytes()


def bounds(root) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for shape in root.iterfind(".//bpmndi:BPMNShape", NS):
        b = shape.find("dc:Bounds", NS)
        out[shape.get("bpmnElement")] = tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))
    return out


def test_layout__every_node_and_flow_of_the_shipped_case_is_drawn():
    root = etree.fromstring(
        with_diagram(without_diagram(shipped_bpmn()), "inspection_case", {"lead": "牵头部门"})
    )
    nodes = {
        e.get("id")
        for e in root.iter()
        if isinstance(e.tag, str)
        and e.get("id")
        and etree.QName(e).localname.endswith(("Task", "Event", "Gateway", "subProcess"))
    }
    boxes = bounds(root)
    assert nodes <= set(boxes)
    flows = {e.get("id") for e in root.iterfind(".//bpmn:sequenceFlow", NS)}
    assert {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)} == flows
    expanded = {s.get("bpmnElement") for s in root.iterfind(".//bpmndi:BPMNShape[@isExpanded='true']", NS)}
    assert expanded == {"result_entry"}
    sx, sy, sw, sh = boxes["result_entry"]
    for child in ("department_check", "consolidate", "review", "correct"):
        x, y, width, height = boxes[child]
        assert sx <= x and x + width <= sx + sw and sy <= y and y + height <= sy + sh, child
    assert {lane.get("name") for lane in root.iterfind(".//bpmn:lane", NS)} >= {"牵头部门"}


def test_layout__nodes_do_not_overlap_and_flow_left_to_right():
    files = tiny_model(
        linear(
            '<bpmn:userTask id="e1" name="甲"/>',
            '<bpmn:scriptTask id="e2"><bpmn:script>a = 1</bpmn:script></bpmn:scriptTask>',
        )
    )
    root = etree.fromstring(with_diagram(files["p.bpmn"], "p"))
    boxes = bounds(root)
    xs = [boxes[i][0] for i in ("start", "e1", "e2", "end")]
    assert xs == sorted(xs) and len(set(xs)) == 4
    items = list(boxes.values())
    for i, (ax, ay, aw, ah) in enumerate(items):
        for bx, by, bw, bh in items[i + 1 :]:
            assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay


def test_layout__a_file_with_a_diagram_is_served_unchanged():
    xml = shipped_bpmn()
    once = with_diagram(without_diagram(xml), "inspection_case")
    assert with_diagram(once, "inspection_case") == once


def test_containers__tasks_inside_subprocesses():
    around = containers(shipped_bpmn())
    assert around["department_check"] == ["result_entry"] and "notice" not in around
