"""The rule modules, listed explicitly (a meta-test checks this matches the directory)."""

from __future__ import annotations

from . import (
    aa001_yaml_syntax_error,
    aa002_map_not_a_string,
    aa003_invalid_entry,
    aa004_unknown_key,
    aa005_ambiguous_scalar,
    aa006_unquoted_template,
    aa007_extra_yaml_document,
    aa008_wrong_namespace,
    aa009_duplicate_key,
    al001_unused_suppression,
    al002_unknown_rule_in_suppression,
    al003_template_not_linted,
)

ALL = (
    aa001_yaml_syntax_error,
    aa002_map_not_a_string,
    aa003_invalid_entry,
    aa004_unknown_key,
    aa005_ambiguous_scalar,
    aa006_unquoted_template,
    aa007_extra_yaml_document,
    aa008_wrong_namespace,
    aa009_duplicate_key,
    al001_unused_suppression,
    al002_unknown_rule_in_suppression,
    al003_template_not_linted,
)
