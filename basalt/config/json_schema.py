"""The JSON Schema of demo YAML files, UI hints included, for YAML language servers."""

from __future__ import annotations

import json
from typing import Any

from basalt.config.analytics import AnalyticsConfig

SCHEMA_ID = "https://basalt.dev/schemas/analytics-config.json"


def demo_yaml_schema() -> dict[str, Any]:
    """Schema of a demo YAML: the config's keys, flat or under ``USER_CONFIG:``.

    A demo YAML overrides the script's ``USER_CONFIG``, so no top-level key is required there;
    everything below the top level keeps its own rules.
    """
    schema = AnalyticsConfig.model_json_schema()
    defs = schema.pop("$defs", {})
    body = dict(schema)
    body.pop("required", None)
    defs["AnalyticsConfig"] = body
    ref = {"$ref": "#/$defs/AnalyticsConfig"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "basalt demo config",
        "description": "A basalt analytics config (the YAML beside a demo script).",
        "anyOf": [
            {
                "type": "object",
                "properties": {"USER_CONFIG": ref},
                "required": ["USER_CONFIG"],
                "additionalProperties": False,
            },
            ref,
        ],
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(demo_yaml_schema(), indent=2, default=str) + "\n"
