"""Concrete adapters: SQLAlchemy persistence and migrations, RQ jobs, mail, files, importers."""
