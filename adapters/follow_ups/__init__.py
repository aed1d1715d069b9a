"""Follow-ups (后续处置) and revisits (回访) of inspection cases: starting one `follow_up`
instance per problem when a case asks for it, and the case page's read side."""
