"""Pages of the strategy app, one module per area (thin: parse, call a service, render)."""
