"""年度抽查计划 (annual plans): rows in revisions, the `annual_plan` review process, revision
history and diffs, XLSX import and export.

- `service.PlanService`: create a plan, edit the open draft's rows (who may edit which row),
  start an adjustment (计划调整);
- `steps`: submit (提交审核), review (审核通过 / 退回), publish (发布) from the plan pages;
- `process`: the process instance per revision and the BPMN's service functions;
- `history`: diffs between revisions and the revision history (internal and public);
- `xlsx`: export and all-or-nothing import in the 12-column layout;
- `columns`: the column layout and cell texts shared by all of them.
"""
