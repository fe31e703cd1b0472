"""The run pipeline: a run config in, synthetic rows (and an evaluation) out.

``config`` parses and validates a run config (errors carry the key they concern), ``data``
reads the table it names and splits off the seeded holdout, ``run`` fits, samples and
evaluates, ``yaml_writer`` writes a config back as YAML. The command line and the Generator
page both go through here.
"""

from .config import (
                     CONFIG_KEYS,
                     EVALUATION_KEYS,
                     REPORT_FORMATS,
                     ConfigError,
                     load_config,
                     parse_config,
                     validate_config,
)
from .data import load_data, load_table, split_holdout
from .run import SEED_STREAMS, Run, evaluate_run, run, run_config
from .yaml_writer import dump_config

__all__ = ["CONFIG_KEYS", "EVALUATION_KEYS", "REPORT_FORMATS", "SEED_STREAMS", "ConfigError", "Run", "dump_config",
           "evaluate_run", "load_config", "load_data", "load_table", "parse_config", "run", "run_config",
           "split_holdout", "validate_config"]
