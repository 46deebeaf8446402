"""Sample data built from the province's own plans and reports (see build.py)."""
