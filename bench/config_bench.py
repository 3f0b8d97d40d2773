"""Config benchmarks: load + save of a 1,000-line YAML, and validation of a 10-pass config.

    .venv/bin/python bench/config_bench.py

Prints the median of repeated runs for each figure, and one JSON line at the end.
Targets: each under 20 ms.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from basalt.config import ConfigDocument, module_registry
from basalt.config.validation import validate_data


def thousand_line_yaml() -> str:
    lines = [
        "# benchmark config",
        "USER_CONFIG:",
        "  DATASETNAME: bench  # name",
        "  START_DATE: 2025-01-02",
        "  PASSES:",
    ]
    i = 0
    while len(lines) < 1000:
        lines += [
            f"    - name: pass_{i}",
            f"      time_bucket_seconds: {60 * (i + 1)}",
            "      modules: [trade, l2]",
            "      # trade metrics",
            "      trade_analytics:",
            "        generic_metrics:",
            "          - sides: Total",
            "            measures: [OHLC, Volume, VWAP]",
            "          - sides: [Buy, Sell]",
            "            measures: 'Volume'",
        ]
        i += 1
    return "\n".join(lines[:1000]) + "\n"


def ten_pass_config() -> dict:
    modules = [m for m in module_registry() if m != "reaggregate"]
    passes = [
        {"name": f"p{i}", "time_bucket_seconds": 60 * (i + 1), "modules": modules} for i in range(9)
    ]
    passes.append(
        {
            "name": "agg",
            "time_bucket_seconds": 3600,
            "modules": ["reaggregate"],
            "reaggregate_analytics": {"group_by": "index"},
        }
    )
    return {
        "START_DATE": "2025-01-02",
        "END_DATE": "2025-01-31",
        "UNIVERSE": "mic=XLON+index=SYN20",
        "PASSES": passes,
    }


def median_ms(fn, repeat: int = 25) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    text = thousand_line_yaml()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        path.write_text(text)

        def load_save() -> None:
            ConfigDocument.load(path).save()

        values = iter(range(10**6))

        def load_edit_save() -> None:
            doc = ConfigDocument.load(path)
            doc.set("PASSES.3.time_bucket_seconds", 60 + next(values))
            doc.save()

        load_only = median_ms(lambda: ConfigDocument.load(path))
        load_save_ms = median_ms(load_save)
        load_edit_save_ms = median_ms(load_edit_save)
    data = ten_pass_config()
    config, issues = validate_data(data)
    assert config is not None, issues
    validate = median_ms(lambda: validate_data(data))
    columns = median_ms(lambda: config.pass_columns())
    print(f"load 1,000-line YAML:                 {load_only:7.2f} ms")
    print(f"load + save, 1,000 lines:             {load_save_ms:7.2f} ms (target < 20)")
    print(f"load + one edit + save, 1,000 lines:  {load_edit_save_ms:7.2f} ms (target < 20)")
    print(f"validate 10 passes, every module:     {validate:7.2f} ms (target < 20)")
    print(f"output columns of those 10 passes:    {columns:7.2f} ms")
    print(
        json.dumps(
            {
                "load_ms": round(load_only, 2),
                "load_save_ms": round(load_save_ms, 2),
                "load_edit_save_ms": round(load_edit_save_ms, 2),
                "validate_10_passes_ms": round(validate, 2),
                "pass_columns_ms": round(columns, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
