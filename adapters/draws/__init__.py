"""Draws (随机抽取) on the database: the target pool (`pool`), the office's ratio table
(`ratios`), eligibility and exclusions of inspectors (`eligibility`), the draw itself
(`service`, `assign`), re-draws of one slot (`redraw`), the stored record (`record`), its
verification (`verify`), the pages' read side (`queries`) and the `spawn_cases` job (`spawn`).
The algorithm is engine.draw / engine.draw_pool / engine.draw_replay; docs/draw.md specifies it.
"""
