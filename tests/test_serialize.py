"""Parameter serialization against the OpenAPI 3 style table and Swagger 2.0 collectionFormat."""
from __future__ import annotations

from urllib.parse import quote, unquote

import pytest
from hypothesis import given, strategies as st

from generator.serialize import (
    cookie_pairs,
    encode_path_text,
    header_value,
    path_segment,
    query_pairs,
    split_path_query,
    swagger2_pairs,
    swagger2_text,
    to_text,
)

PRIM = "blue"
ARR = ["blue", "black", "brown"]
OBJ = {"R": 100, "G": 200, "B": 150}


# -- to_text ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, text",
    [
        (True, "true"),
        (False, "false"),
        (None, ""),
        (0, "0"),
        (-12, "-12"),
        (1.5, "1.5"),
        (2.0, "2.0"),
        (0.1, "0.1"),
        ("é a", "é a"),
        ([1, "a"], '[1,"a"]'),
        ({"a": 1}, '{"a":1}'),
    ],
)
def test_to_text(value, text):
    assert to_text(value) == text


# -- path: the OpenAPI 3 style table ----------------------------------------------------------
@pytest.mark.parametrize(
    "style, explode, value, expected",
    [
        ("simple", False, PRIM, "blue"),
        ("simple", True, PRIM, "blue"),
        ("simple", False, ARR, "blue,black,brown"),
        ("simple", True, ARR, "blue,black,brown"),
        ("simple", False, OBJ, "R,100,G,200,B,150"),
        ("simple", True, OBJ, "R=100,G=200,B=150"),
        ("label", False, PRIM, ".blue"),
        ("label", True, PRIM, ".blue"),
        ("label", False, ARR, ".blue.black.brown"),
        ("label", True, ARR, ".blue.black.brown"),
        ("label", False, OBJ, ".R.100.G.200.B.150"),
        ("label", True, OBJ, ".R=100.G=200.B=150"),
        ("matrix", False, PRIM, ";color=blue"),
        ("matrix", True, PRIM, ";color=blue"),
        ("matrix", False, ARR, ";color=blue,black,brown"),
        ("matrix", True, ARR, ";color=blue;color=black;color=brown"),
        ("matrix", False, OBJ, ";color=R,100,G,200,B,150"),
        ("matrix", True, OBJ, ";R=100;G=200;B=150"),
    ],
)
def test_path_style_table(style, explode, value, expected):
    assert path_segment("color", value, style=style, explode=explode) == expected


@pytest.mark.parametrize(
    "style, expected", [("simple", ""), ("label", "."), ("matrix", ";color")]
)
def test_path_empty_value(style, expected):
    assert path_segment("color", None, style=style) == expected


def test_path_default_is_simple_not_exploded():
    assert path_segment("color", OBJ) == "R,100,G,200,B,150"


def test_path_scalars_text():
    assert path_segment("id", 42) == "42"
    assert path_segment("flag", True) == "true"
    assert path_segment("x", 1.5) == "1.5"


@pytest.mark.parametrize(
    "raw, encoded",
    [
        ("/", "%2F"),
        ("?", "%3F"),
        ("#", "%23"),
        ("&", "%26"),
        ("=", "%3D"),
        ("+", "%2B"),
        (" ", "%20"),
        ("%", "%25"),
        (",", "%2C"),
        (";", "%3B"),
        (":", "%3A"),
        ("é", "%C3%A9"),
        ("😀", "%F0%9F%98%80"),
        ("-._~", "-._~"),
        ("%41", "%2541"),
    ],
)
def test_path_value_characters_encoded_once(raw, encoded):
    assert path_segment("p", raw) == encoded
    assert path_segment("p", "a" + raw + "b") == "a" + encoded + "b"


def test_path_delimiters_literal_but_values_encoded():
    assert path_segment("c", ["a,b", "c d"]) == "a%2Cb,c%20d"
    assert path_segment("c", {"k=1": "v;2"}, style="matrix", explode=True) == ";k%3D1=v%3B2"
    assert path_segment("c", ["a.b", "c"], style="label") == ".a.b.c"
    assert path_segment("c", ["x/y"], style="label") == ".x%2Fy"
    assert path_segment("col or", "v", style="matrix") == ";col%20or=v"


@given(st.text())
def test_path_segment_round_trips(text):
    encoded = path_segment("p", text)
    assert all(ch.isascii() for ch in encoded)
    assert not set(encoded) & set("/?# ")
    assert unquote(encoded) == text


# -- query ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "style, explode, value, expected",
    [
        ("form", True, PRIM, [("color", "blue")]),
        ("form", False, PRIM, [("color", "blue")]),
        ("form", True, ARR, [("color", "blue"), ("color", "black"), ("color", "brown")]),
        ("form", False, ARR, [("color", "blue,black,brown")]),
        ("form", True, OBJ, [("R", "100"), ("G", "200"), ("B", "150")]),
        ("form", False, OBJ, [("color", "R,100,G,200,B,150")]),
        ("spaceDelimited", False, ARR, [("color", "blue black brown")]),
        ("spaceDelimited", False, OBJ, [("color", "R 100 G 200 B 150")]),
        ("pipeDelimited", False, ARR, [("color", "blue|black|brown")]),
        ("pipeDelimited", False, OBJ, [("color", "R|100|G|200|B|150")]),
        ("deepObject", True, OBJ, [("color[R]", "100"), ("color[G]", "200"), ("color[B]", "150")]),
    ],
)
def test_query_style_table(style, explode, value, expected):
    assert query_pairs("color", value, style=style, explode=explode) == expected


def test_query_defaults_form_exploded():
    assert query_pairs("c", ARR) == [("c", "blue"), ("c", "black"), ("c", "brown")]


def test_query_empty_values():
    assert query_pairs("color", None) == [("color", "")]
    assert query_pairs("color", "") == [("color", "")]
    assert query_pairs("color", [], explode=True) == []
    assert query_pairs("color", [], explode=False) == [("color", "")]


def test_query_delimited_exploded_repeat_names():
    assert query_pairs("c", ["a", "b"], style="pipeDelimited", explode=True) == [("c", "a"), ("c", "b")]
    assert query_pairs("c", ["a", "b"], style="spaceDelimited", explode=True) == [("c", "a"), ("c", "b")]


def test_query_scalars_with_delimited_styles_are_plain():
    assert query_pairs("c", 5, style="pipeDelimited", explode=False) == [("c", "5")]
    assert query_pairs("c", True, style="deepObject") == [("c", "true")]


def test_query_deep_object_nested_and_arrays():
    value = {"a": {"b": 1, "c": [True, None]}, "d": "x y"}
    assert query_pairs("f", value, style="deepObject") == [
        ("f[a][b]", "1"),
        ("f[a][c]", "true"),
        ("f[a][c]", ""),
        ("f[d]", "x y"),
    ]


def test_query_values_stay_decoded():
    assert query_pairs("q", "a&b=c d/é") == [("q", "a&b=c d/é")]
    assert query_pairs("q", ["a,b", "c"], explode=False) == [("q", "a,b,c")]


def test_query_nested_values_are_json():
    assert query_pairs("q", [{"a": 1}]) == [("q", '{"a":1}')]


# -- header / cookie --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "explode, value, expected",
    [
        (False, PRIM, "blue"),
        (True, PRIM, "blue"),
        (False, ARR, "blue,black,brown"),
        (True, ARR, "blue,black,brown"),
        (False, OBJ, "R,100,G,200,B,150"),
        (True, OBJ, "R=100,G=200,B=150"),
        (False, None, ""),
        (False, 3, "3"),
        (False, False, "false"),
    ],
)
def test_header_simple(explode, value, expected):
    assert header_value(value, explode=explode) == expected


def test_header_default_not_exploded():
    assert header_value(OBJ) == "R,100,G,200,B,150"


@pytest.mark.parametrize(
    "explode, value, expected",
    [
        (True, PRIM, [("color", "blue")]),
        (False, PRIM, [("color", "blue")]),
        (True, ARR, [("color", "blue"), ("color", "black"), ("color", "brown")]),
        (False, ARR, [("color", "blue,black,brown")]),
        (True, OBJ, [("R", "100"), ("G", "200"), ("B", "150")]),
        (False, OBJ, [("color", "R,100,G,200,B,150")]),
    ],
)
def test_cookie_form(explode, value, expected):
    assert cookie_pairs("color", value, explode=explode) == expected


def test_cookie_default_exploded():
    assert cookie_pairs("c", ["a", "b"]) == [("c", "a"), ("c", "b")]


# -- Swagger 2.0 ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("csv", [("ids", "1,2,3")]),
        ("ssv", [("ids", "1 2 3")]),
        ("tsv", [("ids", "1\t2\t3")]),
        ("pipes", [("ids", "1|2|3")]),
        ("multi", [("ids", "1"), ("ids", "2"), ("ids", "3")]),
        ("unknown", [("ids", "1,2,3")]),
    ],
)
def test_swagger2_pairs(fmt, expected):
    assert swagger2_pairs("ids", [1, 2, 3], fmt) == expected


def test_swagger2_pairs_defaults_and_scalars():
    assert swagger2_pairs("ids", ["a", "b"]) == [("ids", "a,b")]
    assert swagger2_pairs("n", 5, "multi") == [("n", "5")]
    assert swagger2_pairs("b", True) == [("b", "true")]


@pytest.mark.parametrize(
    "fmt, expected",
    [("csv", "a,b"), ("ssv", "a b"), ("tsv", "a\tb"), ("pipes", "a|b"), ("multi", "a,b")],
)
def test_swagger2_text(fmt, expected):
    assert swagger2_text(["a", "b"], fmt) == expected


def test_swagger2_text_scalar():
    assert swagger2_text(1.5) == "1.5"
    assert swagger2_text("x y", "ssv") == "x y"


# -- literal path text ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("/pets/list", "/pets/list"),
        ("/a b", "/a%20b"),
        ("/100%", "/100%25"),
        ("/100%zz", "/100%25zz"),
        ("/a%20b", "/a%20b"),
        ("/a%2", "/a%252"),
        ("/café", "/caf%C3%A9"),
        ("/x?y#z", "/x%3Fy%23z"),
        ("/v2/models/$", "/v2/models/$"),
        ("/a:b@c;d=e,f+g!h*i'j(k)l&m", "/a:b@c;d=e,f+g!h*i'j(k)l&m"),
        ("/{x}", "/%7Bx%7D"),
        ("/a\"b<c>", "/a%22b%3Cc%3E"),
        ("", ""),
    ],
)
def test_encode_path_text(text, expected):
    assert encode_path_text(text) == expected


@given(st.text())
def test_encode_path_text_is_idempotent(text):
    once = encode_path_text(text)
    assert encode_path_text(once) == once
    assert all(ch.isascii() and ch not in " ?#" for ch in once)


# -- path keys with a query string ------------------------------------------------------------
@pytest.mark.parametrize(
    "key, expected",
    [
        ("/a", ("/a", [])),
        ("/a?flag", ("/a", [("flag", "")])),
        ("/a?", ("/a", [])),
        (
            "/execute?api-version=2.0&format=swagger",
            ("/execute", [("api-version", "2.0"), ("format", "swagger")]),
        ),
        ("/a?x=1&x=2", ("/a", [("x", "1"), ("x", "2")])),
        ("/a?q=a%20b%26c&r=x+y", ("/a", [("q", "a b&c"), ("r", "x y")])),
        ("/a?x=1#frag", ("/a", [("x", "1")])),
        ("/a#frag?x=1", ("/a", [])),
        ("/a?x=&&y=b=c", ("/a", [("x", ""), ("y", "b=c")])),
        ("/a?n%C3%A9=%C3%A9", ("/a", [("né", "é")])),
        ("/a/{id}?v=1", ("/a/{id}", [("v", "1")])),
    ],
)
def test_split_path_query(key, expected):
    assert split_path_query(key) == expected


def test_query_pairs_survive_encoding_round_trip():
    pairs = query_pairs("q", ["a b", "c&d", "é"], style="form", explode=False)
    encoded = "&".join(f"{quote(n)}={quote(v, safe='')}" for n, v in pairs)
    assert split_path_query("/x?" + encoded) == ("/x", pairs)
