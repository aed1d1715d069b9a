"""一公开: public records of approved inspection results and follow-up outcomes.

- `publish`: the BPMN service tasks `publish_result` and `publish_follow_up` (idempotent per case
  and per follow-up), run inside the engine step in the caller's transaction;
- `corrections`: the only way a published record changes (更正, with a reason, public too);
- `queries`: the public read side (search with keyset paging, an enterprise's history,
  follow-up outcomes) and the office's list;
- `export`: the rows in the field layout of the national enterprise credit publicity system.

Nothing here reads the credit risk class or any inspector: what is not stored cannot leak.
"""
