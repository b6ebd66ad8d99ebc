"""Web views of the engagement app, one module per area (thin: parse, call a service, render)."""
