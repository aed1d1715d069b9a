"""Messages that start instances instead of reaching waiting ones (a registry, like SERVICES).

`route_message` (adapters/workflow/jobs.py) hands a message whose name is registered here to its
starter: `starter(service, payload, source_instance_id)`. A starter must be idempotent (the job
may run again): start with a business key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.follow_ups import start as follow_ups

STARTERS: dict[str, Callable[..., Any]] = {
    "follow_up_requested": follow_ups.start_follow_ups,  # processes/inspection_case → follow_up
}
