"""JSONBody: the API's JSON responses encoded by orjson, in the form Starlette's JSONResponse writes.

Starlette encodes with the standard library (compact, UTF-8, ensure_ascii off). A page of 500 facts of a big
pair is 1.6 MB of JSON: 25.8 ms to encode there, 0.9 ms with orjson, the same bytes (the 100k bench store).
orjson writes the same compact form: keys in their order, text as UTF-8, floats in their shortest round-trip
digits; only a negative exponent is written without its leading zero (1e-7 for 1e-07), the
same number. Where orjson refuses a value (an integer past 64 bits, a type it does not know) the standard
library encodes it as before; where the standard library refused a NaN or an infinity (a 500), orjson writes
null.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse

OPTIONS = orjson.OPT_NON_STR_KEYS  # an int key written as its text, as json.dumps does


class JSONBody(JSONResponse):
    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content, option=OPTIONS)
        except (TypeError, orjson.JSONEncodeError):
            return super().render(content)
