"""A diagram for BPMN files that have none: generate BPMN DI (shapes and edges) so bpmn-js can draw
models written by hand, as the shipped ones are.

The layout is a plain layered one: each flow node goes in the column of its longest path from a
start (loops ignored), lanes are horizontal bands, a node keeps its predecessor's row when free;
embedded subprocesses are laid out the same way inside their own (expanded) box. A file that
carries a diagram already is served unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
TASKS = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask",
    "sendTask", "receiveTask", "callActivity",
}  # fmt: skip
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent"}
CONTAINERS = {"subProcess", "transaction", "adHocSubProcess"}
GAP_X, GAP_Y, PAD, LANE_LABEL, LOOP_ROOM, SUB_TOP = 45, 35, 25, 30, 30, 20


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.x + dx, self.y + dy, self.w, self.h)


@dataclass
class Layout:
    """Boxes of nodes, lanes and boundary events; edges as (flow id, source, target, loop y)."""

    width: float = 0
    height: float = 0
    boxes: dict[str, Box] = field(default_factory=dict)
    lanes: dict[str, Box] = field(default_factory=dict)
    edges: list[tuple[str, str, str, float]] = field(default_factory=list)
    expanded: set[str] = field(default_factory=set)

    def merge(self, inner: Layout, dx: float, dy: float) -> None:
        self.boxes |= {k: b.moved(dx, dy) for k, b in inner.boxes.items()}
        self.edges += [(f, s, t, y + dy) for f, s, t, y in inner.edges]
        self.expanded |= inner.expanded


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _is_node(el: etree._Element) -> bool:
    name = _local(el)
    return name in TASKS or name in EVENTS or name in CONTAINERS or name.endswith("Gateway")


def has_diagram(root: etree._Element) -> bool:
    return bool(root.findall(f"{{{BPMNDI}}}BPMNDiagram/{{{BPMNDI}}}BPMNPlane"))


def with_diagram(
    xml: bytes, process_id: str | None = None, lane_titles: dict[str, str] | None = None
) -> bytes:
    """The BPMN file with a generated diagram of `process_id` (default: the first executable
    process) when it has no diagram of its own; unchanged otherwise. `lane_titles` renames lanes
    for display (model.json gives lanes Chinese titles, the BPMN short technical names)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    root = etree.fromstring(xml, parser)
    if has_diagram(root):
        return xml
    processes = root.findall(f"{{{BPMN}}}process")
    chosen = [p for p in processes if p.get("id") == process_id]
    chosen += [p for p in processes if p.get("isExecutable") == "true"] + processes
    if not chosen:
        return xml
    process = chosen[0]
    top_level = {c.get("id") for c in process if _is_node(c)}
    lanes = []
    for lane in process.findall(f"{{{BPMN}}}laneSet/{{{BPMN}}}lane"):
        members = [ref.text.strip() for ref in lane.findall(f"{{{BPMN}}}flowNodeRef") if ref.text]
        if top_level.intersection(members):  # a lane whose nodes all sit in a subprocess stays undrawn
            lanes.append((lane.get("id"), members))
            lane.set("name", (lane_titles or {}).get(lane.get("name", ""), lane.get("name", "")))
    layout = lay_out(process, lanes)
    root.append(_diagram(process.get("id"), layout))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def lay_out(parent: etree._Element, lanes: list[tuple[str, list[str]]] | None = None) -> Layout:
    """Lay out the flow nodes of `parent` with its top-left corner at (0, 0)."""
    out = Layout()
    nodes = [c for c in parent if _is_node(c)]
    ids = [n.get("id") for n in nodes]
    inner = {n.get("id"): lay_out(n) for n in nodes if _local(n) in CONTAINERS}
    sizes = {n.get("id"): _size(n, inner.get(n.get("id"))) for n in nodes}
    hosts = {b.get("id"): b.get("attachedToRef") for b in parent if _local(b) == "boundaryEvent"}
    flows = [
        (f.get("id"), f.get("sourceRef"), f.get("targetRef")) for f in parent if _local(f) == "sequenceFlow"
    ]
    succ: dict[str, list[str]] = defaultdict(list)
    for _fid, s, t in flows:
        if hosts.get(s, s) in sizes and t in sizes:
            succ[hosts.get(s, s)].append(t)
    rank = _ranks(ids, succ)
    lane_of = _lane_index(ids, [members for _id, members in lanes or []])
    row = _rows(ids, succ, rank, lane_of)
    col_w: dict[int, float] = defaultdict(float)
    row_h: dict[tuple[int, int], float] = defaultdict(float)
    for i in ids:
        col_w[rank[i]] = max(col_w[rank[i]], sizes[i][0])
        row_h[(lane_of[i], row[i])] = max(row_h[(lane_of[i], row[i])], sizes[i][1])
    col_x, x = {}, (LANE_LABEL if lanes else 0) + PAD
    for r in sorted(col_w):
        col_x[r] = x
        x += col_w[r] + GAP_X
    out.width = max(x - GAP_X + PAD, 120)
    row_y, loop_y, y = {}, {}, 0.0
    for lane in range(max(lane_of.values(), default=0) + 1):
        top, y = y, y + PAD
        for r in sorted(k[1] for k in row_h if k[0] == lane):
            row_y[(lane, r)] = y
            y += row_h[(lane, r)] + GAP_Y
        y = max(y + LOOP_ROOM - GAP_Y, top + 100)
        loop_y[lane] = y - LOOP_ROOM / 2
        if lanes and lane < len(lanes):
            out.lanes[lanes[lane][0]] = Box(0, top, out.width, y - top)
    out.height = y
    for i in ids:
        (w, h), key = sizes[i], (lane_of[i], row[i])
        out.boxes[i] = Box(col_x[rank[i]] + (col_w[rank[i]] - w) / 2, row_y[key] + (row_h[key] - h) / 2, w, h)
        if i in inner:
            out.expanded.add(i)
            out.merge(inner[i], out.boxes[i].x, out.boxes[i].y + SUB_TOP)
    _place_boundaries(out, hosts)
    out.edges += [(f, s, t, loop_y[lane_of.get(hosts.get(s, s), 0)]) for f, s, t in flows if s in out.boxes]
    return out


def _size(node: etree._Element, inner: Layout | None) -> tuple[float, float]:
    name = _local(node)
    if inner is not None:
        return max(inner.width, 200), max(inner.height + SUB_TOP, 120)
    if name in EVENTS:
        return 36, 36
    return (50, 50) if name.endswith("Gateway") else (100, 80)


def _place_boundaries(out: Layout, hosts: dict[str, str]) -> None:
    count: dict[str, int] = defaultdict(int)
    for boundary, host in hosts.items():
        box = out.boxes.get(host)
        if box is not None:
            out.boxes[boundary] = Box(box.x + box.w - 60 - 45 * count[host], box.y + box.h - 18, 36, 36)
            count[host] += 1


def _ranks(ids: list[str], succ: dict[str, list[str]]) -> dict[str, int]:
    """Longest-path columns over the flow graph without its back edges (found by DFS from the starts)."""
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
    incoming = {t for targets in succ.values() for t in targets}
    for start in [i for i in ids if i not in incoming] + ids:
        if start in state:
            continue
        stack = [(start, iter(succ.get(start, [])))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ.get(child, []))))
    rank = dict.fromkeys(ids, 0)
    indegree = dict.fromkeys(ids, 0)
    for s, targets in succ.items():
        for t in targets:
            indegree[t] += (s, t) not in back
    ready = [i for i in ids if indegree[i] == 0]
    while ready:
        node = ready.pop(0)
        for t in succ.get(node, []):
            if (node, t) not in back:
                rank[t] = max(rank[t], rank[node] + 1)
                indegree[t] -= 1
                if indegree[t] == 0:
                    ready.append(t)
    return rank


def _lane_index(ids: list[str], lanes: list[list[str]]) -> dict[str, int]:
    """Each node's band: its lane's position, or one band after the lanes for nodes in none."""
    out = dict.fromkeys(ids, len(lanes))
    for n, members in enumerate(lanes):
        for i in members:
            if i in out:
                out[i] = n
    return out


def _rows(
    ids: list[str], succ: dict[str, list[str]], rank: dict[str, int], lane_of: dict[str, int]
) -> dict[str, int]:
    """A row per node within its band: its first placed predecessor's row when free, else the next."""
    pred: dict[str, list[str]] = defaultdict(list)
    for s, targets in succ.items():
        for t in targets:
            pred[t].append(s)
    order = {i: n for n, i in enumerate(ids)}
    taken: set[tuple[int, int, int]] = set()
    row: dict[str, int] = {}
    for node in sorted(ids, key=lambda i: (rank[i], order[i])):
        placed = [row[p] for p in pred[node] if p in row and lane_of[p] == lane_of[node]]
        r = placed[0] if placed else 0
        while (lane_of[node], rank[node], r) in taken:
            r += 1
        taken.add((lane_of[node], rank[node], r))
        row[node] = r
    return row


def _waypoints(s: Box, t: Box, loop_y: float, gateway_source: bool, gateway_target: bool) -> list[tuple]:
    """Orthogonal edges: forward ones left to right, loops back along the bottom of the band."""
    if t.x <= s.x:
        low = max(loop_y, s.y + s.h + 10, t.y + t.h + 10)
        return [(s.cx, s.y + s.h), (s.cx, low), (t.cx, low), (t.cx, t.y + t.h)]
    if abs(s.cy - t.cy) < 1:
        if t.x - (s.x + s.w) > 2 * GAP_X:  # skips columns: jump over the nodes between
            top = min(s.y, t.y) - GAP_Y / 2
            return [(s.cx, s.y), (s.cx, top), (t.cx, top), (t.cx, t.y)]
        return [(s.x + s.w, s.cy), (t.x, t.cy)]
    if gateway_source:
        start = (s.cx, s.y + s.h) if t.cy > s.cy else (s.cx, s.y)
        return [start, (s.cx, t.cy), (t.x, t.cy)]
    if gateway_target:
        end = (t.cx, t.y) if s.cy < t.cy else (t.cx, t.y + t.h)
        return [(s.x + s.w, s.cy), (t.cx, s.cy), end]
    mid = (s.x + s.w + t.x) / 2
    return [(s.x + s.w, s.cy), (mid, s.cy), (mid, t.cy), (t.x, t.cy)]


def _diagram(process_id: str, layout: Layout) -> etree._Element:
    diagram = etree.Element(f"{{{BPMNDI}}}BPMNDiagram", nsmap={"bpmndi": BPMNDI, "dc": DC, "di": DI})
    diagram.set("id", f"{process_id}_generated_diagram")
    plane = etree.SubElement(
        diagram, f"{{{BPMNDI}}}BPMNPlane", id=f"{process_id}_plane", bpmnElement=process_id
    )
    for lane_id, box in layout.lanes.items():
        _shape(plane, lane_id, box, isHorizontal="true")
    for node_id, box in layout.boxes.items():
        extra = {"isExpanded": "true"} if node_id in layout.expanded else {}
        _shape(plane, node_id, box, **extra)
    gateways = {k for k, b in layout.boxes.items() if b.w == 50 and b.h == 50}
    for flow_id, s, t, loop_y in layout.edges:
        if s not in layout.boxes or t not in layout.boxes:
            continue
        edge = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id)
        points = _waypoints(layout.boxes[s], layout.boxes[t], loop_y, s in gateways, t in gateways)
        for x, y in points:
            etree.SubElement(edge, f"{{{DI}}}waypoint", x=_n(x), y=_n(y))
    return diagram


def _shape(plane: etree._Element, element_id: str, box: Box, **attrs: str) -> None:
    shape = etree.SubElement(
        plane, f"{{{BPMNDI}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id, **attrs
    )
    etree.SubElement(shape, f"{{{DC}}}Bounds", x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))


def _n(value: float) -> str:
    return str(round(value))


def containers(xml: bytes) -> dict[str, list[str]]:
    """Element id → ids of the subprocesses around it, innermost first (to mark a collapsed
    subprocess when work waits inside it)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    out: dict[str, list[str]] = {}
    for sub in root.iter(*(f"{{{BPMN}}}{name}" for name in CONTAINERS)):
        for el in sub.iter():
            if el is not sub and el.get("id") and _is_node(el):
                out.setdefault(el.get("id"), []).append(sub.get("id"))
    for ids in out.values():  # iter() meets outer subprocesses first
        ids.reverse()
    return out
