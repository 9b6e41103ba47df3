/**
 * The accounting of every pySigma vector of the shared corpus (pysigma-vectors/): for each upstream test, what
 * our engine does with its Sigma YAML and how that compares with what the pySigma backend's test expects.
 * The conformance tests (pysigma-sqlite.test.ts, pysigma-backends.test.ts) check every entry, and fail when a
 * vector is missing here or an entry no longer holds.
 *
 * Outcomes:
 * - `agree`: SQLite vectors — pySigma's expected SQL and our D1 query (confirmed by the matcher when it needs
 *   it) select the same rows of generated events; other vectors — both accept the rule and ours converts in all
 *   four dialects (each query parses with that dialect's parser; D1 selects exactly what the matcher does, and
 *   correlations fire exactly as the brute-force oracle says), or both refuse it.
 * - `explained`: a difference the reason explains — our semantics differ by design (each SQLite difference is
 *   checked event by event against the stated cause), ours accepts what a pySigma backend cannot do, ours
 *   refuses what the Sigma specification forbids or does not define, or the vector tests pySigma machinery
 *   (pipelines, output formats, backend options, callbacks) with no counterpart here — its rule is still checked.
 * - `fails`: ours refuses a rule the specification allows, or pySigma's expected query does not run; the reason
 *   says which and why.
 */
import type { SigmaError } from '../ir';
import type { VectorBackend } from './pysigma-vectors';

export type LedgerOutcome = 'agree' | 'explained' | 'fails';

/** What our engine does with one YAML of the vector. */
export type OurResult = 'converts' | { readonly refuses: SigmaError['code'] };

/** A SQLite difference, checked on every differing event. */
export type SqliteDifference =
  /** Only one side selects the differing events, and the named field's value explains each of them. */
  | { readonly side: 'theirs-only' | 'ours-only'; readonly field: string; readonly because: 'not-an-ipv4-address' | 'null-or-absent' }
  /**
   * pySigma's correlation aggregates ALL of a group's events (NULL group included) and ignores the timespan
   * (temporal: all of the group's events must fit in one timespan); ours slides windows. Checked: pySigma's
   * groups equal that model computed in JS, and ours equal the sliding-window oracle.
   */
  | { readonly model: 'whole-set' };

export interface LedgerEntry {
  readonly outcome: LedgerOutcome;
  readonly reason?: string;
  /** Per YAML of the vector (one value: all of them). Default: every YAML converts. */
  readonly ours?: OurResult | readonly OurResult[];
  /** Placeholder values an operator would configure for `expand` (as pySigma's pipeline supplies them). */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
  /** Values of a parametrized upstream test's parameters (`{sigma_op}`), each instantiated and checked. */
  readonly template?: Readonly<Record<string, readonly string[]>>;
  /** SQLite: pySigma's expected query fails to run on SQLite. */
  readonly theirs?: 'sql-error';
  /** SQLite: a repair of pySigma's failing query that shows what it meant (checked to agree with ours). */
  readonly repair?: { readonly from: string; readonly to: string };
  readonly difference?: SqliteDifference;
}

const agree: LedgerEntry = { outcome: 'agree' };
const refuses = (code: SigmaError['code']): OurResult => ({ refuses: code });
const explained = (reason: string, more: Omit<LedgerEntry, 'outcome' | 'reason'> = {}): LedgerEntry => ({ outcome: 'explained', reason, ...more });
const fails = (reason: string, more: Omit<LedgerEntry, 'outcome' | 'reason'> = {}): LedgerEntry => ({ outcome: 'fails', reason, ...more });

// ---- reasons used more than once -------------------------------------------------------------------------

const keywordsSupported =
  'pySigma refuses keywords (full-text search) here; ours searches them in the message column, then the raw record as received, in every dialect.';
const weCompileAllCorrelations =
  'pySigma’s Athena backend implements event_count only; ours compiles every correlation type in every dialect (sliding windows over a self-join).';
const pipelineOnly = (what: string) =>
  `Tests pySigma machinery with no counterpart here (${what}); the rule itself is checked: it converts in all four dialects and D1 selects what the matcher does.`;
const wholeSet = explained(
  'pySigma’s SQLite correlation aggregates all of a group’s events at once and ignores the timespan (temporal: the whole group must fit in one timespan), and keeps a NULL group; ours slides a window of the timespan over each group and leaves out events without a group value.',
  { difference: { model: 'whole-set' } },
);
const extendedTemporal = explained(
  'pySigma’s extended temporal correlation (a boolean expression over rule names as the condition, no rules list) is not in the Sigma specification; ours refuses it.',
  { ours: refuses('schema') },
);
const regexPlaceholders = explained(
  '`re|expand`: both expand the placeholder inside the regex, but pySigma inserts each value as regex source (its `.*` and `\\b` are regex syntax), while ours reads the values as Sigma strings, as plain expand does, and inserts the regex matching each (literal text escaped, `*` as `.*`): here pat.*tern/foo\\bar matches a literal "pat." then anything, then "tern/foo\\bar". endswith after re changes nothing in either (pySigma adds `.*`).',
  { placeholders: { test: ['pat.*tern/foo\\bar', 'pat.*te\\\\rn/foo\\bar'] } },
);
const outputFormat = (name: string) => explained(pipelineOnly(`the ${name} output format`));
const backendOption = (name: string) => explained(pipelineOnly(`the backend option ${name}`));
const weAcceptFieldref = explained('pySigma’s test backend is configured without fieldref support and refuses; ours compiles fieldref in every dialect.');
const weAcceptCorrelation = (what: string) =>
  explained(`pySigma’s test backend is configured without ${what} and refuses; ours compiles the correlation in every dialect (nothing in the rule is invalid).`);
const dropped = explained(pipelineOnly('a processing pipeline that drops detection items'));

// ---- the ledger ----------------------------------------------------------------------------------------------

type FileLedger = Readonly<Record<string, LedgerEntry>>;

export const pySigmaLedger: Readonly<Record<VectorBackend, Readonly<Record<string, FileLedger>>>> = {
  sqlite: {
    'tests/test_backend_sqlite.py': {
      test_sqlite_and_expression: agree,
      test_sqlite_or_expression: agree,
      test_sqlite_and_or_expression: agree,
      test_sqlite_or_and_expression: agree,
      test_sqlite_in_expression: agree,
      test_sqlite_regex_query: agree,
      test_sqlite_cidr_query: explained(
        'pySigma writes a CIDR as LIKE prefixes (192.168.%), which also select text that is no IPv4 address (192.168.abc, 192.168.0.300, 192.168.0.00); ours requires a strict dotted quad inside the network.',
        { difference: { side: 'theirs-only', field: 'field', because: 'not-an-ipv4-address' } },
      ),
      test_sqlite_field_name_with_whitespace: agree,
      test_sqlite_value_with_wildcards: agree,
      test_sqlite_value_contains: agree,
      test_sqlite_value_startswith: agree,
      test_sqlite_value_endswith: agree,
      test_sqlite_fts_keywords_str: explained(keywordsSupported),
      test_sqlite_fts_keywords_num: explained(keywordsSupported),
      test_sqlite_value_case_sensitive_contains: fails(
        'pySigma’s expected query `fieldA GLOB \'*VaLuE*\' ESCAPE \'\\\'` does not run on SQLite (GLOB takes no ESCAPE: "wrong number of arguments to function GLOB()"); without the ESCAPE clause it selects exactly the rows ours does.',
        { theirs: 'sql-error', repair: { from: " ESCAPE '\\'", to: '' } },
      ),
      test_sqlite_zircolite_output: agree,
      test_sqlite_zircolite_output_with_channel_and_eventid: outputFormat('Zircolite (channel and EventID lists)'),
      test_sqlite_zircolite_output_with_single_eventid: outputFormat('Zircolite (channel and EventID lists)'),
      test_sqlite_zircolite_output_eventid_from_multiple_selections: outputFormat('Zircolite (channel and EventID lists)'),
      test_sqlite_fieldref_equals: agree,
      test_sqlite_fieldref_multiple_values: agree,
      test_sqlite_timestamp_hour: agree,
      test_sqlite_timestamp_minute: agree,
      test_sqlite_timestamp_day: agree,
      test_sqlite_timestamp_week: agree,
      test_sqlite_timestamp_month: agree,
      test_sqlite_timestamp_year: agree,
      test_sqlite_compare_gt: agree,
      test_sqlite_compare_gte: agree,
      test_sqlite_compare_lt: agree,
      test_sqlite_compare_lte: agree,
      test_sqlite_all_modifier: agree,
      test_sqlite_all_contains_modifier: agree,
      test_sqlite_null_value: agree,
      test_sqlite_boolean_true: agree,
      test_sqlite_boolean_false: agree,
      test_sqlite_correlation_event_count_basic: wholeSet,
      test_sqlite_correlation_event_count_with_groupby: wholeSet,
      test_sqlite_correlation_value_count: wholeSet,
      test_sqlite_correlation_temporal: wholeSet,
      test_sqlite_correlation_value_sum: wholeSet,
      test_sqlite_correlation_value_avg: wholeSet,
      test_sqlite_exists_modifier: agree,
      test_sqlite_not_condition: explained(
        'SQL three-valued logic: pySigma’s `NOT fieldB=\'valueB\'` is NULL when fieldB is missing, so it drops those events; Sigma’s `not filter` holds for them and ours keeps them (atoms under NOT are made two-valued).',
        { difference: { side: 'ours-only', field: 'fieldB', because: 'null-or-absent' } },
      ),
      test_sqlite_custom_timestamp_field: backendOption('timestamp_field (our correlations always read event_time)'),
    },
  },
  athena: {
    'tests/test_backend_athena.py': {
      test_athena_and_expression: agree,
      test_athena_or_expression: agree,
      test_athena_and_or_expression: agree,
      test_athena_or_and_expression: agree,
      test_athena_in_expression: agree,
      test_athena_regex_query: agree,
      test_athena_cidr_query: agree,
      test_athena_field_name_with_whitespace: agree,
      test_athena_single_wildcard: agree,
      test_athena_escaped_wildcard: agree,
      test_athena_contains_percent: agree,
      test_athena_contains_modifier: agree,
      test_athena_startswith_modifier: agree,
      test_athena_endswith_modifier: agree,
      test_athena_all_modifier: agree,
      test_athena_contains_all_modifier: agree,
      test_athena_not_condition: agree,
      test_athena_nested_condition: agree,
      test_athena_null_check: agree,
      test_athena_keyword_search: explained(keywordsSupported),
      test_athena_complex_combination: agree,
      test_athena_special_characters_in_field_name: agree,
      test_athena_dots_in_field_name: agree,
      test_athena_special_characters_dots_in_field_name: agree,
      test_athena_element_at_in_field_name: agree,
      test_athena_empty_value: agree,
      test_athena_cased_modifier: agree,
      test_athena_in_expression_cased_modifier: agree,
      test_athena_exists_modifier: agree,
      test_athena_not_exists_modifier: agree,
      test_athena_fieldref_modifier: agree,
      test_athena_numeric_greater_than: agree,
      test_athena_numeric_less_than_or_equal: agree,
      test_athena_numeric_equal: agree,
      test_athena_combined_cased_and_numeric: agree,
      test_athena_exists_and_fieldref: agree,
      test_athena_numeric_range_and_cased: agree,
    },
    'tests/test_backend_athena_correlations.py': {
      test_event_count_correlation_rule_stats_query: agree,
      test_event_count_correlation_multi_rule_stats_query: agree,
      test_value_count_correlation_rule_stats_query: explained(weCompileAllCorrelations),
      test_temporal_correlation_rule_stats_query: explained(weCompileAllCorrelations),
      test_temporal_ordered_correlation_rule_stats_query: explained(weCompileAllCorrelations),
    },
    'tests/test_backend_athena_mixed_modifiers.py': {
      test_athena_cased_contains: agree,
      test_athena_cased_startswith: agree,
      test_athena_cased_endswith: agree,
      test_athena_cased_fieldref: explained(
        'pySigma’s Athena backend refuses cased fieldref; ours compiles it exactly in D1, Athena and BigQuery, and as a superset confirmed by the matcher in Synapse.',
      ),
      test_athena_not_fieldref_case_insensitive: agree,
      test_athena_element_at_contains: agree,
      test_athena_element_at_cased_startswith: agree,
      test_athena_cased_regex_same_as_default: { outcome: 'agree', ours: refuses('invalid_modifier_use') },
      test_athena_contains_list_with_literal_star_and_question: agree,
      test_athena_special_field_name_with_endswith: agree,
      test_athena_escaped_dot_with_contains: agree,
    },
    'tests/test_backend_athena_select_fields.py': {
      test_athena_and_expression: explained(pipelineOnly('SELECT of the rule’s `fields` as SQL expressions; ours selects every column')),
    },
    'tests/test_backend_athena_table_name.py': {
      test_setting_table_directly: backendOption('table (ours: tableForSource / namespace)'),
    },
    'tests/test_security_lake_table_names.py': {
      test_table_name_cloudtrail: explained(pipelineOnly('the Security Lake table-name pipeline (ours: mantissa_<source> tables, tableForSource)')),
      test_table_name_cloudtrail_s3: explained(pipelineOnly('the Security Lake table-name pipeline (ours: mantissa_<source> tables, tableForSource)')),
      test_table_name_cloudtrail_lambda: explained(pipelineOnly('the Security Lake table-name pipeline (ours: mantissa_<source> tables, tableForSource)')),
      test_table_name_route53: explained(pipelineOnly('the Security Lake table-name pipeline (ours: mantissa_<source> tables, tableForSource)')),
      test_table_name_security_hub: explained(pipelineOnly('the Security Lake table-name pipeline (ours: mantissa_<source> tables, tableForSource)')),
      test_table_name_vpc_flow_logs: explained(pipelineOnly('the Security Lake table-name pipeline (ours: mantissa_<source> tables, tableForSource)')),
      test_table_name_waf: explained(pipelineOnly('the Security Lake table-name pipeline (ours: mantissa_<source> tables, tableForSource)')),
      test_table_name_eks_audit: explained(pipelineOnly('the Security Lake table-name pipeline (ours: mantissa_<source> tables, tableForSource)')),
      test_table_name_no_region_set: explained(
        'pySigma fails on its own pipeline configuration (aws_table_region not set), not on the rule; ours has no such setting and converts the rule.',
      ),
    },
  },
  duckdb: {
    'tests/test_backend_duckdb.py': {
      test_duckdb_and_expression: agree,
      test_duckdb_or_expression: agree,
      test_duckdb_and_or_expression: agree,
      test_duckdb_or_and_expression: agree,
      test_duckdb_in_expression: agree,
      test_duckdb_escape_wildcards_in_like_expressions: agree,
      test_duckdb_regex_query: agree,
      test_duckdb_cidr_query: agree,
      test_duckdb_field_name_with_whitespace: agree,
    },
  },
  clickhouse: {
    'tests/test_backend_clickhouse.py': {
      test_and_expression: agree,
      test_or_expression: agree,
      test_and_or_expression: agree,
      test_or_and_expression: agree,
      test_not_condition: agree,
      test_startswith: agree,
      test_endswith: agree,
      test_contains: agree,
      test_startswith_with_escaped_wildcard: agree,
      test_endswith_with_escaped_wildcard: agree,
      test_contains_with_escaped_wildcard: agree,
      test_wildcard_value_percent_and_underscore: agree,
      test_value_with_single_quote: agree,
      test_backslash_in_path_escaped_for_sql_and_like_layers: agree,
      test_all_modifier: agree,
      test_all_contains_modifier: agree,
      test_field_name_with_whitespace: agree,
      test_field_name_with_dot: agree,
      test_plain_field_name_no_quote: agree,
      test_regex: agree,
      test_regex_backslash_escaped_for_sql_literal: agree,
      test_regex_single_quote_escaped_for_sql_literal: agree,
      test_regex_case_insensitive_flag: agree,
      test_cidr_query: agree,
      test_cidr_ipv6: agree,
      test_case_sensitive_contains: agree,
      test_case_sensitive_startswith: agree,
      test_case_sensitive_endswith: agree,
      test_compare_gt: agree,
      test_compare_gte: agree,
      test_compare_lt: agree,
      test_compare_lte: agree,
      test_timestamp_hour: agree,
      test_timestamp_minute: agree,
      test_timestamp_day: agree,
      test_timestamp_week: agree,
      test_timestamp_month: agree,
      test_timestamp_year: agree,
      test_null_value: agree,
      test_exists_true: agree,
      test_exists_false: agree,
      test_boolean_true: agree,
      test_boolean_false: agree,
      test_fieldref_equals: agree,
      test_fieldref_multiple_values: agree,
      test_fts_keywords_str: agree,
      test_fts_keywords_num: agree,
      test_fts_keywords_single_quot_escape: agree,
      test_custom_table: backendOption('table_name (ours: tableForSource / namespace)'),
      test_tablename_via_pipeline: explained(pipelineOnly('a set_state pipeline choosing the table')),
      test_correlation_tablename_via_pipeline: explained(pipelineOnly('a set_state pipeline choosing the table')),
      test_clickdetect_output_basic: outputFormat('ClickDetect'),
      test_clickdetect_level_mapping: explained(pipelineOnly('the ClickDetect output format (level → score)'), {
        template: { sigma_level: ['informational', 'low', 'medium', 'high', 'critical'] },
      }),
      test_clickdetect_output_is_yaml_dict: outputFormat('ClickDetect'),
      test_correlation_event_count_basic: agree,
      test_correlation_event_count_with_groupby: agree,
      test_correlation_value_count: agree,
      test_correlation_temporal: agree,
      test_correlation_value_sum: agree,
      test_correlation_value_avg: agree,
      test_correlation_condition_operators: { outcome: 'agree', template: { sigma_op: ['gt', 'gte', 'lt', 'lte', 'eq'] } },
      test_correlation_custom_timestamp_field: backendOption('timestamp_field (our correlations always read event_time)'),
      test_correlation_select_fields_no_groupby: explained(pipelineOnly('the columns of ClickHouse’s correlation output (ours: group columns, first_seen, last_seen, count, value)')),
      test_correlation_select_fields_with_groupby: explained(pipelineOnly('the columns of ClickHouse’s correlation output (ours: group columns, first_seen, last_seen, count, value)')),
      test_in_expression_mixed_plain_and_wildcard: agree,
      test_in_expression_all_plain_values: agree,
      test_all_startswith_modifier: agree,
      test_all_endswith_modifier: agree,
      test_correlation_temporal_ordered: agree,
      test_correlation_value_count_with_groupby: agree,
      test_correlation_condition_neq: agree,
      test_clickdetect_required_fields: outputFormat('ClickDetect'),
      test_clickdetect_rule_contains_sql: outputFormat('ClickDetect'),
      test_certutil_decode_rule: agree,
    },
  },
  databricks: {
    'tests/test_backend_databricks_sigma.py': {
      test_databricks_sigma_and_expression: agree,
      test_databricks_sigma_or_expression: agree,
      test_databricks_sigma_match_with_dot_string: agree,
      test_databricks_sigma_and_or_expression: agree,
      test_databricks_sigma_or_and_expression: agree,
      test_databricks_sigma_in_expression: agree,
      test_databricks_sigma_regex_query: agree,
      test_databricks_sigma_regex_query_flags: agree,
      test_databricks_sigma_cidr_query: agree,
      test_databricks_sigma_field_name_with_whitespace: agree,
      test_databricks_sigma_field_name_with_period: agree,
      test_databricks_sigma_detection_yaml_output: outputFormat('Databricks detection YAML'),
      test_databricks_sigma_dbsql_output: outputFormat('Databricks SQL'),
      test_databricks_sigma_fieldref: agree,
      test_or_contains_optimization: agree,
      test_or_startswith_optimization: agree,
      test_or_endswith_optimization: agree,
      test_or_with_special_regex_chars: agree,
      test_or_with_backslashes: agree,
      test_or_with_pipes_and_parens: agree,
      test_or_mixed_patterns_no_optimization: explained(pipelineOnly('the shape of Databricks’ query (when OR’d contains fold into one rlike)')),
      test_or_different_fields_no_optimization: explained(pipelineOnly('the shape of Databricks’ query (when OR’d contains fold into one rlike)')),
      test_or_below_threshold_no_optimization: explained(pipelineOnly('the shape of Databricks’ query (when OR’d contains fold into one rlike)')),
      test_complex_and_or_conditions: explained(pipelineOnly('the shape of Databricks’ query (when OR’d contains fold into one rlike)')),
      test_optimization_disabled: backendOption('or_to_regex optimization'),
      test_real_sigma_rule_macos_security: explained(pipelineOnly('the shape of Databricks’ query (when OR’d contains fold into one rlike)')),
      test_databricks_sigma_no_status: outputFormat('Databricks detection YAML (default status)'),
      test_databricks_sigma_unbound_keywords_or: agree,
      test_databricks_sigma_unbound_keywords_all: agree,
      test_databricks_sigma_mixed_field_and_keywords: agree,
      test_databricks_sigma_custom_raw_field: backendOption('raw_log_field (ours: keywords search message, then raw)'),
      test_databricks_sigma_unbound_regex: agree,
      test_databricks_sigma_unbound_wildcards: agree,
      test_databricks_sigma_unbound_numeric: agree,
      test_databricks_sigma_unbound_complex_condition: agree,
    },
    'tests/test_pipelines_databricks_sigma.py': {
      test_snake_case_detection_conversion: explained('A pipeline test (snake_case field names) whose vector holds no Sigma rule: nothing to convert.', { ours: [] }),
    },
  },
  core: {
    'tests/test_conversion_base.py': {
      test_backend_pipeline_with_postprocessing: explained(pipelineOnly('query postprocessing')),
      test_backend_options_passing_to_pipeline: explained(pipelineOnly('backend options passed to a pipeline')),
      test_backend_and_custom_pipeline: explained(pipelineOnly('a custom field-mapping pipeline (ours: LogsourceMapping data)')),
      test_backend_custom_format_pipeline: outputFormat('custom (pipeline)'),
      test_convert_value_str: agree,
      test_convert_value_str_cased: agree,
      test_convert_value_str_empty: agree,
      test_convert_value_str_invalid_re: agree,
      test_convert_value_str_quote_pattern_match: explained(pipelineOnly('the text backend’s quoting rules (ours binds every value as a parameter)')),
      test_convert_value_str_quote_pattern_nomatch: explained(pipelineOnly('the text backend’s quoting rules (ours binds every value as a parameter)')),
      test_convert_value_str_quote_pattern_negated: explained(pipelineOnly('the text backend’s quoting rules (ours binds every value as a parameter)')),
      test_convert_value_str_startswith: agree,
      test_convert_value_str_startswith_cased: agree,
      test_convert_value_str_startswith_further_wildcard: agree,
      test_convert_value_str_startswith_further_wildcard_allowed: agree,
      test_convert_value_str_startswith_trailing_backslash: agree,
      test_convert_value_str_startswith_cased_further_wildcard: agree,
      test_convert_value_str_startswith_cased_further_wildcard_allowed: agree,
      test_convert_value_str_startswith_expression_not_defined: agree,
      test_convert_value_str_endswith: agree,
      test_convert_value_str_endswith_cased: agree,
      test_convert_value_str_endswith_further_wildcard: agree,
      test_convert_value_str_endswith_further_wildcard_allowed: agree,
      test_convert_value_str_endswith_cased_further_wildcard: agree,
      test_convert_value_str_endswith_cased_further_wildcard_allowed: agree,
      test_convert_value_str_endswith_expression_not_defined: agree,
      test_convert_value_str_contains: agree,
      test_convert_value_str_contains_cased: agree,
      test_convert_value_str_contains_further_wildcard: agree,
      test_convert_value_str_contains_further_wildcard_allowed: agree,
      test_convert_value_str_contains_trailing_backslash: agree,
      test_convert_value_str_contains_cased_further_wildcard: agree,
      test_convert_value_str_contains_cased_further_wildcard_allowed: agree,
      test_convert_value_str_wildcard_to_regex: agree,
      test_convert_value_str_wildcard_to_regex_cased: agree,
      test_convert_value_str_contains_expression_not_defined: agree,
      test_convert_value_str_wildcard_no_match_expr: agree,
      test_convert_value_str_placeholder: explained(
        'pySigma’s pipeline resolves %test%; ours expands placeholders from values the operator configures (here test: value1, value2).',
        { placeholders: { test: ['value1', 'value2'] } },
      ),
      test_convert_value_str_unhandled_placeholder: { outcome: 'agree', ours: refuses('invalid_value') },
      test_convert_value_expansion_with_all: agree,
      test_convert_value_num: agree,
      test_convert_value_bool: agree,
      test_convert_value_null: agree,
      test_convert_field_existence: agree,
      test_convert_field_nonexistence_explicit: agree,
      test_convert_field_nonexistence_implicit: agree,
      test_convert_query_expr: explained(
        'pySigma replaces the placeholder with a query expression of the target language (`in list(test)`); ours expands placeholders from configured values (here test: value1, value2).',
        { placeholders: { test: ['value1', 'value2'] } },
      ),
      test_convert_query_expr_unbound: explained(
        'pySigma replaces the placeholder with a query expression of the target language; ours expands placeholders from configured values (here test: value1, value2), as keywords.',
        { placeholders: { test: ['value1', 'value2'] } },
      ),
      test_convert_value_regex: agree,
      test_convert_value_regex_flag_prefix: agree,
      test_convert_value_regex_flag_explicit: agree,
      test_convert_value_regex_flag_explicit_partial_support: agree,
      test_convert_value_regex_flag_explicit_unsupported: explained('pySigma’s test backend is configured without the MULTILINE flag and refuses; ours writes every flag inline ((?ims)) in every dialect.'),
      test_convert_value_regex_not_escaped_escape: agree,
      test_convert_value_regex_multi_mapping: explained(pipelineOnly('a custom pipeline mapping one field to two (ours: several targets per field in LogsourceMapping)')),
      test_convert_value_regex_unbound: agree,
      test_convert_value_regex_unbound_flag_prefix: agree,
      test_convert_value_regex_unbound_flag_explicit: agree,
      test_convert_value_regex_unbound_not_escaped_escape: agree,
      test_convert_value_regex_placeholder_value_list: regexPlaceholders,
      test_convert_value_regex_placeholder_value_list_endswith: regexPlaceholders,
      test_convert_value_cidr_wildcard_native_ipv4: agree,
      test_convert_value_cidr_wildcard_native_ipv6: agree,
      test_convert_value_cidr_wildcard_native_template_network_prefixlen_ipv4: agree,
      test_convert_value_cidr_wildcard_native_template_network_prefixlen_ipv6: agree,
      test_convert_value_cidr_wildcard_native_template_network_netmask_ipv4: agree,
      test_convert_value_cidr_wildcard_native_template_network_netmask_ipv6: agree,
      test_convert_value_cidr_wildcard_expression_ipv4: agree,
      test_convert_value_cidr_wildcard_expression_other: agree,
      test_convert_value_cidr_wildcard_expression_ipv6: agree,
      test_convert_compare: agree,
      test_convert_compare_fields: agree,
      test_convert_compare_fields_unsupported: weAcceptFieldref,
      test_convert_compare_fields_noquote: agree,
      test_convert_compare_fields_differentiation_suffix: explained(pipelineOnly('a pipeline adding a suffix to one field name')),
      test_convert_compare_fields_differentiation_prefix: explained(pipelineOnly('a pipeline adding a prefix to one field name')),
      test_convert_compare_fields_startswith: agree,
      test_convert_compare_fields_startswith_unsupported: weAcceptFieldref,
      test_convert_compare_fields_endswith: agree,
      test_convert_compare_fields_endswith_unsupported: weAcceptFieldref,
      test_convert_compare_fields_contains: agree,
      test_convert_compare_fields_contains_unsupported: weAcceptFieldref,
      test_convert_compare_str: { outcome: 'agree', ours: refuses('invalid_modifier_use') },
      test_convert_or_in_list: agree,
      test_convert_or_in_list_empty_string: agree,
      test_convert_or_in_list_with_wildcards: agree,
      test_convert_or_in_list_with_wildcards_disabled: agree,
      test_convert_or_in_separate: agree,
      test_convert_or_in_mixed_keyword_field: agree,
      test_convert_or_in_mixed_fields: agree,
      test_convert_or_in_unallowed_value_type: explained(
        'The rules spec forbids null in a list of values ("Special Field Values": null has its own type); ours refuses the rule, pySigma converts it.',
        { ours: refuses('invalid_value') },
      ),
      test_convert_and_in_list: agree,
      test_convert_and_in_list_single_item: agree,
      test_convert_and_in_list_or_disabled: agree,
      test_convert_or_in_list_and_disabled: agree,
      test_convert_or_in_list_disabled: agree,
      test_convert_and_in_list_disabled: agree,
      test_convert_or_in_list_numbers: agree,
      test_convert_unbound_values: agree,
      test_convert_unbound_values_regex: agree,
      test_convert_invalid_unbound_bool: { outcome: 'agree', ours: refuses('schema') },
      test_convert_collect_error: { outcome: 'agree', ours: refuses('schema') },
      test_convert_errors_class_variable_issue: { outcome: 'agree', ours: [refuses('schema'), 'converts'] },
      test_convert_invalid_unbound_cidr: { outcome: 'agree', ours: refuses('invalid_modifier_use') },
      test_convert_and: agree,
      test_convert_and_emptytoken: agree,
      test_convert_or_emptytoken: agree,
      test_convert_or: agree,
      test_convert_not: agree,
      test_convert_precedence: agree,
      test_convert_parenthesize: agree,
      test_convert_multi_conditions: agree,
      test_convert_list_cidr_wildcard_none: agree,
      test_convert_list_cidr_wildcard_asterisk: agree,
      test_convert_state: explained(pipelineOnly('processing state in the query')),
      test_convert_query_expression: explained(pipelineOnly('a query template filled from processing state')),
      test_convert_query_expression_defaults: explained(pipelineOnly('a query template filled from processing state')),
      test_convert_dropped_detection_item_and_partial: dropped,
      test_convert_dropped_detection_item_and_complete: dropped,
      test_convert_dropped_detection_item_and_complete_with_custom_expression: dropped,
      test_convert_dropped_detection_item_and_in_list: dropped,
      test_convert_dropped_detection_item_or_partial: dropped,
      test_convert_dropped_detection_item_or_complete: dropped,
      test_convert_dropped_detection_item_or_complete_with_custom_expression: dropped,
      test_convert_dropped_detection_item_or_in_list: dropped,
      test_convert_dropped_detection_item_not: dropped,
      test_convert_dropped_detection_item_group_partial: dropped,
      test_convert_dropped_detection_item_group_complete: dropped,
      test_multi_field_mapping_conversion: explained(pipelineOnly('a custom pipeline mapping one field to two (ours: several targets per field in LogsourceMapping)')),
      test_convert_without_output: explained(pipelineOnly('conversion without output (results kept on the rule object)')),
      test_convert_not_as_not_eq: agree,
      test_convert_not_startswith: agree,
      test_convert_not_contains: agree,
      test_convert_not_re: agree,
      test_convert_not_cidr: agree,
      test_convert_not_and_group: agree,
      test_convert_not_or_group: agree,
      test_convert_timestamp_part_modifiers: agree,
      test_finish_query_regular_rule: explained(pipelineOnly('query finalization (a search(…) wrapper)')),
      test_finish_query_regular_rule_with_multiple_conditions: explained(pipelineOnly('query finalization (a search(…) wrapper)')),
      test_backend_output_format_list_of_dict: outputFormat('list-of-dict'),
      test_backend_output_format_list_of_dict_with_testparam: outputFormat('list-of-dict'),
      test_backend_output_format_bytes: outputFormat('bytes'),
      test_backend_output_format_str: outputFormat('str'),
      test_backend_unknown_output_format: explained('pySigma refuses an unknown output format requested by the caller, not the rule; ours has no output-format option and converts the rule.'),
    },
    'tests/test_conversion_correlations.py': {
      test_event_count_correlation_single_rule_with_grouping: agree,
      test_correlation_without_normalization_support: agree,
      test_generate_query_without_referenced_rules_expression: agree,
      test_event_count_correlation_single_rule_with_fields: agree,
      test_value_count_correlation_single_rule_without_grouping: agree,
      test_temporal_correlation_multi_rule_without_condition: agree,
      test_temporal_correlation_multi_rule_with_typing_expression: agree,
      test_temporal_correlation_multi_rule_with_referenced_rules_fields: agree,
      test_referenced_rule_expression_used_but_not_defined: weAcceptCorrelation('a referenced-rule expression template'),
      test_temporal_ordered_correlation_multi_rule_with_condition_and_field_normalization: agree,
      test_correlation_timespan_in_seconds: agree,
      test_correlation_no_aggregation_expression: agree,
      test_correlation_generate_rule: agree,
      test_correlation_generate_chained_rule: agree,
      test_correlation_not_supported: weAcceptCorrelation('correlation support'),
      test_correlation_method_not_supported: weAcceptCorrelation('the requested correlation method'),
      test_correlation_method_no_supported_for_correlation_type: weAcceptCorrelation('the requested correlation method'),
      test_correlation_type_not_supported: weAcceptCorrelation('event_count'),
      test_correlation_normalization_not_supported: explained(
        'pySigma’s test backend is configured without correlation field normalization (aliases) and refuses; ours compiles the aliases in every dialect (temporal_ordered, 2 of 3 rules in order).',
      ),
      test_correlation_query_postprocessing: explained(pipelineOnly('correlation query postprocessing')),
      test_correlation_subqueries_finalization: explained(pipelineOnly('correlation subquery finalization')),
      test_value_sum_correlation_single_rule_with_grouping: agree,
      test_value_avg_correlation_single_rule_with_grouping: agree,
      test_value_percentile_correlation_single_rule_with_grouping: agree,
      test_value_median_correlation_single_rule_with_grouping: agree,
      test_value_percentile_correlation_missing_percentile: { outcome: 'agree', ours: refuses('correlation') },
      test_correlation_rule_callback: explained(pipelineOnly('correlation callbacks')),
      test_correlation_rule_callback_skip_result: explained(pipelineOnly('correlation callbacks')),
      test_finish_query_correlation_rule_only: explained(pipelineOnly('query finalization')),
      test_finish_query_regular_rule_only: explained(pipelineOnly('query finalization')),
      test_finish_query_both_correlation_and_subqueries: explained(pipelineOnly('query finalization')),
      test_finish_query_temporal_correlation_with_subqueries: explained(pipelineOnly('query finalization')),
      'test_correlation_rule_callback_skip_result#2': explained(pipelineOnly('correlation callbacks')),
    },
    'tests/test_extended_correlation_conversion.py': {
      test_extended_temporal_correlation_simple_and: extendedTemporal,
      test_extended_temporal_correlation_simple_or: extendedTemporal,
      test_extended_temporal_correlation_simple_not: extendedTemporal,
      test_extended_temporal_correlation_complex: extendedTemporal,
      test_extended_temporal_ordered_correlation: extendedTemporal,
      test_extended_temporal_correlation_precedence_and_or: extendedTemporal,
      test_extended_temporal_correlation_precedence_parentheses: extendedTemporal,
      test_extended_temporal_correlation_multiple_not: extendedTemporal,
    },
  },
};

/** The ledger entry of a vector (its key's test part: a repeated test name carries `#2`), or undefined. */
export function ledgerEntry(vector: { readonly backend: VectorBackend; readonly testFile: string; readonly key: string }): LedgerEntry | undefined {
  return pySigmaLedger[vector.backend][vector.testFile]?.[vector.key.slice(vector.key.indexOf('::') + 2)];
}

/** Every ledger key, as pysigma-vectors.ts builds vector keys. */
export function ledgerKeys(): string[] {
  return (Object.entries(pySigmaLedger) as [VectorBackend, Readonly<Record<string, FileLedger>>][]).flatMap(([backend, files]) =>
    Object.entries(files).flatMap(([file, tests]) => Object.keys(tests).map((test) => `${backend}:${file}::${test}`)),
  );
}

/** Our expected result for each of a vector's YAMLs. */
export function ourResults(entry: LedgerEntry, yamlCount: number): OurResult[] {
  const ours = entry.ours ?? 'converts';
  return Array.isArray(ours) ? [...(ours as readonly OurResult[])] : Array.from({ length: yamlCount }, () => ours as OurResult);
}
