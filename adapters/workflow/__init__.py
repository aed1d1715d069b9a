"""The case runtime on the database: process versions, instances, human tasks, messages.

`versions` stores and deploys process model versions; `service.WorkflowService` starts and
advances instances with one writer per instance, writing state, task rows and audit events in
the caller's transaction and enqueuing side effects to run after commit.
"""
