"""The case runtime on the database: process versions, instances, human tasks, messages.

`versions` stores and deploys process model versions; `service.WorkflowService` starts and
advances instances with one writer per instance, writing state, task rows and audit events in
the caller's transaction and enqueuing side effects to run after commit. The service is put
together from `persistence` (saving), `task_actions` (claims and the may-work rule),
`administration` (cancel, suspend, resume, retry) and `wakeups` (timers and messages); `who`
and `rows` hold what they share.
"""
