"""The live tier runs the behaviour runs once per language and behaviour shape outside the
bundled specs and the grid: the shape must tell apart every sample whose behaviour runs take
other code paths."""
from __future__ import annotations

import dataclasses

from generator.api import Options, generate_path
from generator.verify.jobs import behaviour_shape

from helpers.golden_cases import GOLDEN


def _samples(case: str):
    definition = next((GOLDEN / case).glob("definition.*"))
    result = generate_path(str(definition), Options(targets=("python",), lenient=True))
    return [op.sample for op in result.model.operations if op.sample is not None]


def test_shapes_group_samples_with_the_same_behaviour_code_paths():
    samples = _samples("oas3-security")
    shapes = {behaviour_shape(s) for s in samples}
    assert 1 < len(shapes) <= len(samples)


def test_each_behaviour_input_changes_the_shape():
    base = next(s for s in _samples("swagger2-forms-auth") if s.body is not None and s.secret_vars)
    key = behaviour_shape(base)
    assert behaviour_shape(dataclasses.replace(base, method="HEAD")) != key
    assert behaviour_shape(dataclasses.replace(base, body=None)) != key
    assert behaviour_shape(dataclasses.replace(base, auth=[])) != key
    assert behaviour_shape(dataclasses.replace(base, auth_optional=not base.auth_optional)) != key
