"""Read side: listing and report queries (no writes)."""
