"""config_ui: schema-driven editors for basalt configurations."""
