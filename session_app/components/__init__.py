"""Pure-Python components shared by several pages."""
