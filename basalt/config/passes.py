"""A pass: one time-bucketing of the data and the ordered modules computed on it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import InitErrorDetails

from basalt.config.errors import error_details
from basalt.config.modules import (
    ExecutionAnalyticsConfig,
    L2AnalyticsConfig,
    L3AnalyticsConfig,
    MarketStateAnalyticsConfig,
    ReaggregateAnalyticsConfig,
    TradeAnalyticsConfig,
    config_key,
)
from basalt.config.modules.base import BUILTINS, ModuleScope, scope_in, suggest
from basalt.config.outputs import OutputTarget
from basalt.config.ui import ui

_CONFIG_SUFFIX = "_analytics"


def check_module_name(name: str, info: ValidationInfo) -> str:
    """A module of the demo being validated (its scope in the validation context, else the
    built-ins), or an error with the closest name suggested."""
    known = (scope_in(info.context) or BUILTINS).registry()
    if name not in known:
        raise ValueError(
            f"unknown module '{name}'{suggest(name, known)}; modules: {', '.join(known)}"
        )
    return name


ModuleName = Annotated[str, AfterValidator(check_module_name)]


def _depends_on_module(name: str) -> dict[str, Any]:
    return ui(depends_on={"modules": [name]})


class PassConfig(BaseModel):
    """One pass over the data: bucket size, timeline, modules and their configs."""

    model_config = ConfigDict(
        extra="allow",
        validate_assignment=True,
        json_schema_extra={
            "patternProperties": {f"^[a-z][a-z0-9_]*{_CONFIG_SUFFIX}$": {"type": "object"}},
            "additionalProperties": False,
        },
    )

    name: str = Field(
        ...,
        min_length=1,
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
        description="Pass name, used in output paths and by later passes (letters, digits, _ . -).",
    )
    time_bucket_seconds: int = Field(
        default=60, gt=0, description="Bucket length in seconds (60 = one-minute bars)."
    )
    time_bucket_anchor: Literal["end", "start"] = Field(
        default="end",
        description="Label each bucket by its end (right edge) or its start.",
        json_schema_extra=ui(section="Advanced"),
    )
    time_bucket_closed: Literal["right", "left"] = Field(
        default="right",
        description="Which edge belongs to the bucket: right puts an event at 10:01:00 in (10:00, 10:01].",
        json_schema_extra=ui(section="Advanced"),
    )
    timeline_mode: Literal["dense", "sparse"] = Field(
        default="dense",
        description="dense: every bucket of the continuous session for every listing; "
        "sparse: only buckets with events.",
    )
    modules: list[ModuleName] = Field(
        default_factory=lambda: ["trade"],
        min_length=1,
        description="Modules computed in this pass, in order.",
        json_schema_extra=ui(widget="module-picker"),
    )
    module_inputs: dict[str, str] = Field(
        default_factory=dict,
        description="Which earlier pass (or raw table) feeds a module, e.g. {reaggregate: bars_5m}.",
        json_schema_extra=ui(section="Advanced"),
    )
    output: OutputTarget | None = Field(
        default=None,
        description="Output target for this pass only; unset: OUTPUT_TARGET.",
        json_schema_extra=ui(section="Advanced"),
    )
    trade_analytics: TradeAnalyticsConfig = Field(
        default_factory=TradeAnalyticsConfig,
        description=TradeAnalyticsConfig.description,
        json_schema_extra=_depends_on_module("trade"),
    )
    l2_analytics: L2AnalyticsConfig = Field(
        default_factory=L2AnalyticsConfig,
        description=L2AnalyticsConfig.description,
        json_schema_extra=_depends_on_module("l2"),
    )
    l3_analytics: L3AnalyticsConfig = Field(
        default_factory=L3AnalyticsConfig,
        description=L3AnalyticsConfig.description,
        json_schema_extra=_depends_on_module("l3"),
    )
    execution_analytics: ExecutionAnalyticsConfig = Field(
        default_factory=ExecutionAnalyticsConfig,
        description=ExecutionAnalyticsConfig.description,
        json_schema_extra=_depends_on_module("execution"),
    )
    marketstate_analytics: MarketStateAnalyticsConfig = Field(
        default_factory=MarketStateAnalyticsConfig,
        description=MarketStateAnalyticsConfig.description,
        json_schema_extra=_depends_on_module("marketstate"),
    )
    reaggregate_analytics: ReaggregateAnalyticsConfig = Field(
        default_factory=ReaggregateAnalyticsConfig,
        description=ReaggregateAnalyticsConfig.description,
        json_schema_extra=_depends_on_module("reaggregate"),
    )
    _module_scope: ModuleScope = PrivateAttr(default=BUILTINS)

    @property
    def module_scope(self) -> ModuleScope:
        """The modules this pass was validated with (the demo's, else the built-ins)."""
        return self._module_scope

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> PassConfig:
        self._module_scope = scope_in(info.context) or self._module_scope
        errors = self._validate_custom_module_configs()
        seen: set[str] = set()
        for i, name in enumerate(self.modules):
            if name in seen:
                errors.append(
                    error_details(
                        "duplicate_module", f"module '{name}' is listed twice", ("modules", i), name
                    )
                )
            seen.add(name)
        for module in self.module_inputs:
            if module not in self.modules:
                errors.append(
                    error_details(
                        "module_input_unused",
                        f"'{module}' is not one of this pass's modules ({', '.join(self.modules)})",
                        ("module_inputs", module),
                        module,
                    )
                )
        if "reaggregate" in self.modules and len(self.modules) > 1:
            others = [m for m in self.modules if m != "reaggregate"]
            errors.append(
                error_details(
                    "reaggregate_alone",
                    f"reaggregate reads an earlier pass and cannot share a pass with {', '.join(others)}",
                    ("modules",),
                    self.modules,
                )
            )
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def _validate_custom_module_configs(self) -> list[InitErrorDetails]:
        """Validate ``<name>_analytics`` keys of the demo's own modules; refuse other keys."""
        errors: list[InitErrorDetails] = []
        registry = self._module_scope.registry()
        extra = self.__pydantic_extra__ or {}
        for key, value in list(extra.items()):
            module = key[: -len(_CONFIG_SUFFIX)] if key.endswith(_CONFIG_SUFFIX) else None
            if module not in registry:
                choices = list(type(self).model_fields) + [config_key(m) for m in registry]
                message = f"unknown key '{key}'{suggest(key, choices)}"
                errors.append(error_details("unknown_key", message, (key,), value))
                continue
            if isinstance(value, registry[module]):
                continue
            try:
                extra[key] = registry[module].model_validate(value if value is not None else {})
            except ValidationError as exc:
                errors.extend(
                    error_details(err["type"], err["msg"], (key, *err["loc"]), err.get("input"))
                    for err in exc.errors()
                )
        return errors

    def module_config(self, module: str) -> Any:
        """The config of ``module`` in this pass (built-in field or custom ``<name>_analytics``)."""
        key = config_key(module)
        if key in type(self).model_fields:
            return getattr(self, key)
        extra = self.__pydantic_extra__ or {}
        if key in extra:
            return extra[key]
        return self._module_scope.registry()[module]()
