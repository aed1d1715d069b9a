"""Liancha's pure core: rules, identifiers, calendar, draws and the case runtime.

Nothing in this package imports Flask, SQLAlchemy, Redis or RQ (import-linter enforces it).
"""
