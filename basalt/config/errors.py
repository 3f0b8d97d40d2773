"""Building Pydantic errors at precise locations from model-level rules."""

from __future__ import annotations

from typing import Any

from pydantic_core import InitErrorDetails, PydanticCustomError


def error_details(kind: str, message: str, loc: tuple, value: Any) -> InitErrorDetails:
    """One line error for ``ValidationError.from_exception_data``; ``message`` is taken literally."""
    return InitErrorDetails(
        type=PydanticCustomError(kind, "{message}", {"message": message}), loc=loc, input=value
    )
