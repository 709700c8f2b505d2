"""HTML pages, one module per area: `home` (login), `review`, `cases`, `dashboard`."""
