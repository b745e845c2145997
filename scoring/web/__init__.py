"""`score serve`: a local web page over the same library (Starlette + Jinja2, every asset served from the package)."""

from .app import DEFAULT_MAX_UPLOAD, create_app

__all__ = ["create_app", "DEFAULT_MAX_UPLOAD"]
