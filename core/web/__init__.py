"""The web layer's shared parts: templates, page rendering, middleware, errors."""
