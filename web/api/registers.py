"""API of the registers (filled in by the registers work)."""
