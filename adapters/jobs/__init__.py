"""Background jobs: a registry of job functions, `job_runs` bookkeeping, and two queues —
`InlineQueue` (in-process, no Redis) and `RqQueue` (Redis + `liancha worker`). `web.jobs` picks
one from the settings."""

from adapters.jobs.registry import JOB_MODULES, UnknownJob, job, register

__all__ = ["JOB_MODULES", "UnknownJob", "job", "register"]
