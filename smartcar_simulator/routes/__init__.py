"""HTTP route handlers of the simulator, one module per area."""
