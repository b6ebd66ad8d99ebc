"""Pages of the institutions app, one module per area (thin: parse, call a service, render)."""
