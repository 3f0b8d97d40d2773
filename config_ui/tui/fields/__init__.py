"""One widget per kind of form node; :func:`factory.make_field` picks it."""
