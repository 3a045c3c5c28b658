"""The regulation pages, one module per concern."""
