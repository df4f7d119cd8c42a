"""HTTP routers, one module per area; ``app.create_app`` includes them."""
