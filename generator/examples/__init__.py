"""Example values for parameters and bodies, built from schemas.

Deterministic: no clock, no randomness, nothing that depends on hash order. The output is
plain JSON data (dict / list / str / int / float / bool / None), dict keys in the order the
schema declares them.

Where a value comes from, in priority order (``for_schema``):

1. declared on the schema: ``example``; the first item of ``examples`` (an array, 3.1); the
   first value of a non-empty ``x-examples`` (the vendor extension editors such as Stoplight
   write); ``default``; ``const``; the first non-null ``enum`` value;
2. composition: ``allOf`` branches merged; the first usable ``oneOf`` / ``anyOf`` branch
   (a branch that re-enters a schema already being expanded is passed over when another
   branch is usable), with the discriminator property set to the branch's name;
3. structure, by type (a type list takes its first non-null type; a schema without
   ``type`` is read from its keywords: ``properties`` -> object, ``items`` -> array, ...).

Choices worth knowing:

- Objects carry every property, required or not, except ``readOnly`` ones in requests and
  ``writeOnly`` ones in responses. A schema met again while it is being expanded (recursion)
  carries only its required properties; at nesting level ``max_depth`` objects carry only
  required properties, a few levels deeper nullable objects are null, and past those,
  containers are ``{}`` / ``[]``.
- ``additionalProperties`` with a schema and no ``properties``: one entry, key ``"key"``
  (``"key1"``, ``"key2"``... when ``minProperties`` asks for more).
- Arrays have one item, or ``minItems`` items (at most 10, and never more than
  ``maxItems``). Items after the first are built as variants (strings get a numeric suffix,
  numbers step by 1 or ``multipleOf``, enums take the next value, booleans flip), so that
  ``uniqueItems`` holds; when it cannot, a warning says so.
- Strings: a known ``format`` gives a fixed value (see ``FORMAT_EXAMPLES``); ``byte`` is the
  base64 of ``"example"``; ``binary`` is ``""`` (the caller sends a file). Otherwise the
  property name, or ``"string"`` when there is none, padded (repeated) to ``minLength`` and
  cut to ``maxLength`` (format values are fitted in a way that keeps the format: a longer
  email local part, a URI path). With a ``pattern`` that this text does not match, a small
  generator writes a matching string for simple patterns (classes, literals, groups,
  alternation, quantifiers, leading lookaheads as password rules write them); when nothing
  matches, the text is kept and a warning says so.
- Integers: 0 unless the bounds exclude it, then the allowed value nearest to 0
  (``multipleOf`` honoured, in floating point too: 0.4, not 0.3, for ``multipleOf: 0.1``).
  Numbers the same; they stay ``int`` when whole (``0``, ``2``) and become ``float`` only
  when needed (``1.5``).
- Enums take their first value other than null and ``""``; a parameter's top-level
  oneOf/anyOf its first scalar branch.
- Booleans: ``True``, so that samples show the flag being set.
- ``type: "null"`` gives ``None``; ``nullable`` / ``"null"`` in a type list are ignored.
- A schema that says nothing (``{}``, ``True``, missing) gives ``None`` from ``for_schema``:
  the caller decides what an unknown value is in its position. Nested inside an object or
  an array such a schema gives ``{}``.
- In OpenAPI 3.1 the keywords beside a ``$ref`` apply (they override the target's); in
  Swagger 2.0 / OpenAPI 3.0 they are ignored, as those versions say.
- Declared examples (and defaults) are checked against their schema with
  openapi-schema-validator, string formats read as ajv-formats (Prism's validator) reads
  them. One that fails is replaced, with a warning: an object or array example keeps its
  valid parts and only the failing ones are built from the schema; else the whole value is
  built from the schema. When that value fails too, the declared one is kept (warned).
  Parameter examples written as text ("10" for an integer) are read as their type. readOnly
  properties of declared examples are left out of requests. YAML dates and timestamps become
  ISO 8601 strings (UTC as ``Z``).
- A oneOf value that matches several branches is built from another branch when that gives
  one that matches a single branch (validators that ignore the discriminator refuse it).
- Recursion: a schema met again while it is expanded is shown once more with its required
  properties, then an empty array or null ends it where the schema allows.
"""
from __future__ import annotations

from .formats import FORMAT_EXAMPLES
from .regex import pattern_example
from .synthesis import ExampleBuilder
from .values import plain

__all__ = ["ExampleBuilder", "FORMAT_EXAMPLES", "pattern_example", "plain"]
