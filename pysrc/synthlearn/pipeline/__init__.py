"""The run pipeline: a run config in, synthetic rows (and an evaluation) out.

``config`` parses and validates a run config, ``load`` reads the table it names, ``split``
keeps a seeded holdout aside, ``run`` fits, samples and evaluates, ``yaml_writer`` writes a
config back as YAML. The command line and the Generator page both go through here.
"""

from .config import (CONFIG_KEYS, EVALUATION_KEYS, REPORT_FORMATS, ConfigError, dump_config, load_config, load_data,
                     parse_config, run_config, split_holdout, validate_config)

__all__ = ["CONFIG_KEYS", "EVALUATION_KEYS", "REPORT_FORMATS", "ConfigError", "dump_config", "load_config",
           "load_data", "parse_config", "run_config", "split_holdout", "validate_config"]
