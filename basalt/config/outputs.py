"""Where and how pass outputs are written."""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from basalt.config.ui import ui

PLACEHOLDERS: tuple[str, ...] = (
    "output_dir",
    "datasetname",
    "pass",
    "universe",
    "start_date",
    "end_date",
)
_PLACEHOLDER_HELP = "Placeholders: " + ", ".join("{" + p + "}" for p in PLACEHOLDERS) + "."
_SEPARATORS = re.compile(r"[\\/]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def check_template(template: str) -> str:
    """Refuse what the writer cannot use: unknown placeholders, malformed braces, a
    conversion or format on a placeholder, a missing {pass}, control characters, and paths
    that leave the output folder (absolute, or through '..')."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"malformed path template: {exc}") from None
    fields = [name for _, name, _, _ in parsed if name is not None]
    unknown = [name for name in fields if name not in PLACEHOLDERS]
    if unknown:
        raise ValueError(f"unknown placeholder {{{unknown[0]}}}; {_PLACEHOLDER_HELP}")
    for _, name, spec, conversion in parsed:
        if name is not None and (spec or conversion):
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(
                f"placeholder {{{written}}} takes no conversion or format; write {{{name}}}"
            )
    if "pass" not in fields:
        raise ValueError("path template must contain {pass}, or passes overwrite each other")
    control = next((c for c in template if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        raise ValueError(f"path template contains {control!r}, which a file name cannot hold")
    if template.startswith(("/", "\\", "~")) or _DRIVE.match(template):
        raise ValueError(
            "path template is absolute; start it with {output_dir}, or a relative folder"
        )
    if ".." in _SEPARATORS.split(template):
        raise ValueError("'..' in the path template would write outside the output folder")
    return template


_TEMPLATE_HINTS = ui(
    help="Relative paths are resolved from the working directory. {output_dir} is "
    "OUTPUT_DIR, else $BASALT_OUTPUT_DIR, else .basalt/output."
)


class _OutputBase(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("path_template", check_fields=False)
    @classmethod
    def _template(cls, value: str) -> str:
        return check_template(value)


class ParquetOutput(_OutputBase):
    """Parquet files, one per pass, universe and date batch."""

    type: Literal["parquet"] = Field(default="parquet", description="Output format.")
    path_template: str = Field(
        default="{output_dir}/{datasetname}/{pass}/{universe}/{start_date}_{end_date}.parquet",
        description="Output file path. " + _PLACEHOLDER_HELP,
        json_schema_extra=_TEMPLATE_HINTS,
    )
    compression: Literal["zstd", "snappy", "lz4", "gzip", "uncompressed"] = Field(
        default="zstd", description="Parquet compression codec."
    )
    compression_level: int | None = Field(
        default=None,
        ge=1,
        le=22,
        description="Codec level (zstd 1-22, gzip 1-9); unset: the codec's default.",
        json_schema_extra=ui(depends_on={"compression": ["zstd", "gzip"]}),
    )


class CsvOutput(_OutputBase):
    """CSV files, for tools that cannot read parquet."""

    type: Literal["csv"] = Field(default="csv", description="Output format.")
    path_template: str = Field(
        default="{output_dir}/{datasetname}/{pass}/{universe}/{start_date}_{end_date}.csv",
        description="Output file path. " + _PLACEHOLDER_HELP,
        json_schema_extra=_TEMPLATE_HINTS,
    )
    separator: str = Field(default=",", min_length=1, max_length=1, description="Field separator.")
    include_header: bool = Field(
        default=True, description="Write the column names as the first row."
    )


def _output_type(value: Any) -> str:
    """The union tag; a mapping without ``type`` is parquet, the default format."""
    if isinstance(value, dict):
        return value.get("type", "parquet")
    return getattr(value, "type", "parquet")


OutputTarget = Annotated[
    Annotated[ParquetOutput, Tag("parquet")] | Annotated[CsvOutput, Tag("csv")],
    Discriminator(_output_type),
]
