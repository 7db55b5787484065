"""serve/json_body.JSONBody writes what Starlette's JSONResponse wrote, encoded by orjson: the same text, but
for a negative exponent (1e-07 is written 1e-7: the same number); a value orjson refuses is encoded by the
standard library as before."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.responses import JSONResponse

from karavan.serve.json_body import JSONBody


@pytest.mark.parametrize(
    "content",
    [
        {
            "facts": [{"value": 1.4e9, "quote": "«1,4 млрд долларов»", "approx": False, "bound": None}],
            "count": 1,
        },
        {"z": 1, "a": [0.1, -2.5, 1.4e9, 123456789012345678], "ё": "Қазақстан"},  # key order, numbers, text
        {1: "an int key", "2": "a text key"},  # int keys written as text, as json.dumps does
        [],
        "a bare string",
    ],
)
def test_serve_json_body_is_the_standard_text(content: Any) -> None:
    assert JSONBody(content).body == JSONResponse(content).body


@pytest.mark.parametrize(("value", "text"), [(1e16, b"1e+16"), (-2.5e-07, b"-2.5e-7"), (1e300, b"1e+300")])
def test_serve_json_body_exponents_are_the_same_numbers(value: float, text: bytes) -> None:
    body = JSONBody({"v": value}).body
    assert body == b'{"v":' + text + b"}"
    assert json.loads(body) == json.loads(JSONResponse({"v": value}).body)


def test_serve_json_body_falls_back_past_64_bits() -> None:
    huge = {"n": 2**70}  # orjson refuses it
    assert JSONBody(huge).body == JSONResponse(huge).body == b'{"n":1180591620717411303424}'


def test_serve_json_body_writes_nan_as_null() -> None:
    with pytest.raises(ValueError):
        JSONResponse({"v": float("nan")})  # the standard library refused it: a 500
    assert JSONBody({"v": float("nan")}).body == b'{"v":null}'
