"""Realistic, deterministic demo data (`liancha demo`): one city with three counties, its
departments and 一业一查 lists, an enterprise register, inspectors, experts and demo users.

Data tables live in the `data_*` modules; `build.STEPS` is the ordered list of steps."""

from adapters.demo.builder import STEPS, DemoSummary, build, is_populated, wipe
from adapters.demo.context import DEFAULT_SEED, DemoContext, DemoUser

__all__ = ["DEFAULT_SEED", "STEPS", "DemoContext", "DemoSummary", "DemoUser", "build", "is_populated", "wipe"]
