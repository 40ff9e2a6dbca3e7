"""The project package (site/, imported as ``paddock``): settings, Celery, formats, error pages."""
