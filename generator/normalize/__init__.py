"""Swagger 2.0 and OpenAPI 3.x -> one ApiModel, with a SampleRequest per operation.

The normalizer is put together from one module per responsibility: ``servers`` (base URLs),
``parameters`` (values and where they go), ``bodies`` (request bodies and Accept), ``security``
(credentials), and ``core`` (operations, lenient skipping); ``media`` says which kind of body
a media type is.
"""
from __future__ import annotations

from .core import Normalizer, normalize
from .media import (DEFAULT_FILE_CONTENT, IGNORED_HEADERS, METHODS, NormalizeOptions, choose_media, concrete_media,
                    is_json_media, media_kind)

__all__ = ["DEFAULT_FILE_CONTENT", "IGNORED_HEADERS", "METHODS", "NormalizeOptions", "Normalizer", "choose_media",
           "concrete_media", "is_json_media", "media_kind", "normalize"]
