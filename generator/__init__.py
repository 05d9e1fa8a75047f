"""samplegen: ready-to-run C#, Python and R samples from Swagger 2.0 / OpenAPI 3.x definitions."""

__version__ = "0.1.0"

__all__ = ["__version__", "generate", "generate_path", "Options", "Result"]


def __getattr__(name):  # lazy: importing the package stays cheap
    if name in ("generate", "generate_path", "Options", "Result"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
