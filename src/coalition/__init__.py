"""Coalition: software for a community coalition's collective-action effort."""
