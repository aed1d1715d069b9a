"""Who acts on the case runtime: for authorisation and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from engine.access import Actor


@dataclass(frozen=True)
class Who:
    """Who acts, for authorisation and the audit trail (None actor: the system)."""

    actor: Actor | None = None
    name: str = "system"
    client_addr: str | None = None

    @property
    def actor_id(self) -> int | None:
        return self.actor.id if self.actor else None


SYSTEM = Who()
