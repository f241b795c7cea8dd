"""Domain modules, one folder each: models, services, schemas and controllers side by side."""
