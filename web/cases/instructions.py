"""Task instructions (`spiffworkflow:instructionsForEndUser`) may name task data as a Jinja
template, as spiff-arena's do: "退回理由：{{ review.reason }}". Rendered in a sandbox with
autoescaping (the page escapes again); a template that fails shows as written."""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment


@functools.cache
def _env() -> ImmutableSandboxedEnvironment:
    """Built once (it holds no state): building it is the slow part."""
    return ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


def render(text: str | None, data: dict[str, Any]) -> str | None:
    """The instructions with `{{ … }}` filled from the task data."""
    if not text or "{{" not in text:
        return text
    try:
        return _env().from_string(text).render(**{k: v for k, v in data.items() if k.isidentifier()})
    except (TemplateError, TypeError, ValueError):
        return text
