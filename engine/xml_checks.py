"""Checks on the XML trees of a model: unsupported elements, duplicate ids, lanes SpiffWorkflow
would ignore, and references to DMN decisions, form files and lane hints."""

from __future__ import annotations

from lxml import etree

from engine.models import ModelFiles, ModelMeta, Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
# Elements SpiffWorkflow cannot run (some it would silently treat as plain events).
UNSUPPORTED = {
    "complexGateway": "复杂网关",
    "linkEventDefinition": "链接事件",
    "compensateEventDefinition": "补偿事件",
    "dataStoreReference": "数据存储",
    "dataStore": "数据存储",
}
_FORM_PROPERTIES = ("formJsonSchemaFilename", "formUiSchemaFilename")


def _owner_id(element: etree._Element) -> str | None:
    for node in (element, *element.iterancestors()):
        if node.get("id"):
            return node.get("id")
    return None


def element_problems(trees: dict[str, etree._Element]) -> list[Problem]:
    """Unsupported elements, ids used twice, lanes SpiffWorkflow would ignore."""
    problems = []
    for name, root in trees.items():
        for element in root.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in UNSUPPORTED)):
            label = UNSUPPORTED[etree.QName(element).localname]
            problems.append(Problem(name, element.sourceline, _owner_id(element), f"不支持的元素：{label}"))
        problems += _duplicate_ids(name, root) + _subprocess_lanes(name, root)
    return problems


def _duplicate_ids(name: str, root: etree._Element) -> list[Problem]:
    # SpiffWorkflow indexes every element of a process by id, its own extension elements (service
    # operators and parameters) too; the last one wins, so a clash makes it build the wrong node.
    problems, seen = [], set()
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.get("id") or _is_extension(element):
            continue
        if element.get("id") in seen:
            problems.append(
                Problem(name, element.sourceline, element.get("id"), f"元素 id {element.get('id')!r} 重复")
            )
        seen.add(element.get("id"))
    for process in root.xpath("//bpmn:process", namespaces=NS):
        ids = {e.get("id") for e in process.xpath(".//*[@id]") if not _is_extension(e)}
        for ext in process.xpath(".//spiffworkflow:*[@id]", namespaces=NS):
            if ext.get("id") in ids:
                message = f"服务名或参数名 {ext.get('id')!r} 与流程中某个元素的 id 相同"
                problems.append(Problem(name, ext.sourceline, _owner_id(ext.getparent()), message))
    return problems


def _is_extension(element: etree._Element) -> bool:
    return element.tag.startswith(f"{{{SPIFF_NS}}}")


def _subprocess_lanes(name: str, root: etree._Element) -> list[Problem]:
    # Nodes of an embedded subprocess inherit the subprocess's lane when it has one.
    lane_of = {
        ref.text: ref.getparent().get("name") for ref in root.xpath("//bpmn:flowNodeRef", namespaces=NS)
    }
    problems = []
    for sub in root.xpath("//bpmn:subProcess[@id]", namespaces=NS):
        outer = lane_of.get(sub.get("id"))
        for node in sub.xpath(".//*[@id]"):
            inner = lane_of.get(node.get("id"))
            if outer and inner and inner != outer:
                message = f"子流程 {sub.get('id')} 位于泳道 {outer!r}，其内部节点的泳道 {inner!r} 将被忽略；请把子流程移出泳道"
                problems.append(Problem(name, node.sourceline, node.get("id"), message))
    return problems


def _decision_ids(trees: dict[str, etree._Element]) -> set[str]:
    return {
        d.get("id")
        for name, root in trees.items()
        if name.endswith(".dmn")
        for d in root.xpath("//*[local-name()='decision']")
    }


def reference_problems(
    trees: dict[str, etree._Element], files: ModelFiles, meta: ModelMeta | None
) -> list[Problem]:
    """Business rule tasks naming a missing DMN decision, missing form files, unmapped lanes."""
    problems, decisions = [], _decision_ids(trees)
    for name, root in trees.items():
        if not name.endswith(".bpmn"):
            continue
        for ref in root.xpath("//bpmn:businessRuleTask//spiffworkflow:calledDecisionId", namespaces=NS):
            if (ref.text or "").strip() not in decisions:
                message = f"业务规则任务引用的 DMN 决策 {ref.text!r} 不存在"
                problems.append(Problem(name, ref.sourceline, _owner_id(ref), message))
        for prop in root.xpath("//spiffworkflow:property", namespaces=NS):
            if prop.get("name") in _FORM_PROPERTIES and prop.get("value") not in files:
                message = f"表单文件 {prop.get('value')!r} 不存在"
                problems.append(Problem(name, prop.sourceline, _owner_id(prop), message))
        if meta is not None:
            for lane in root.xpath("//bpmn:lane", namespaces=NS):
                if lane.get("name") not in meta.lanes:
                    message = f"泳道 {lane.get('name')!r} 未在 model.json 的 lanes 中配置角色和部门"
                    problems.append(Problem(name, lane.sourceline, lane.get("id"), message))
    return problems
