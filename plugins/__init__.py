"""Built-in plugins: one folder each, active only when the configuration lists it."""
