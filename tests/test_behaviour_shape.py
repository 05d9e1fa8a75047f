"""The live tier runs the behaviour runs once per language and behaviour shape over all its
definitions: the shape must tell apart every sample whose behaviour runs take other code
paths, and the carriers must cover every shape of every language once."""
from __future__ import annotations

import dataclasses

from generator.api import Options, generate_path
from generator.verify.jobs import behaviour_shape, first_of_each_shape

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


def test_the_first_sample_of_each_shape_and_language_carries_the_behaviour_runs():
    security, forms = _samples("oas3-security"), _samples("swagger2-forms-auth")
    triples = [((case, i), target, sample)
               for case, samples in (("security", security), ("forms", forms))
               for i, sample in enumerate(samples) for target in ("python", "r")]
    carriers = first_of_each_shape(triples)
    shapes = {behaviour_shape(s) for s in security + forms}
    assert len(carriers) == 2 * len(shapes)  # every shape once, in each language
    for key, target, sample in triples:
        earlier = [t for t in triples[: triples.index((key, target, sample))]
                   if t[1] == target and behaviour_shape(t[2]) == behaviour_shape(sample)]
        assert ((key, target) in carriers) == (not earlier)
    # the same samples in the other order: the other definition's samples carry the shapes both have
    again = first_of_each_shape([(key, target, s) for key, target, s in reversed(triples)])
    assert len(again) == len(carriers) and again != carriers
