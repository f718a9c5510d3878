-- Turns JSON Lines of API responses into the aggregate CSV that
-- `llm-cost reconcile --usage aggregate.csv` reads: sums per call and model,
-- with p95s. Written for DuckDB; the same GROUP BY runs in BigQuery,
-- Snowflake or Spark SQL with their own JSON functions.
--
--   duckdb -c "CREATE TABLE usage AS SELECT * FROM read_json_auto('usage.jsonl');
--              COPY ($(cat aggregate.sql | grep -v '^--' | tr -d ';')) TO 'aggregate.csv' (HEADER)"
--
-- `usage` holds one row per response, in OpenAI's Chat Completions shape,
-- with `metadata.call` naming the spec's call and `metadata.request` the
-- request (map other providers' fields the same way: Anthropic's input is
-- input_tokens + cache_read_input_tokens + cache_creation_input_tokens).
SELECT
  metadata.call                                                   AS call,
  model                                                           AS model,
  count(*)                                                        AS runs,
  count(DISTINCT metadata.request)                                AS requests,
  sum(usage.prompt_tokens)                                        AS input_tokens,
  sum(coalesce(usage.prompt_tokens_details.cached_tokens, 0))     AS cached_input_tokens,
  0                                                               AS cache_write_tokens,
  sum(usage.completion_tokens)                                    AS output_tokens,
  sum(coalesce(usage.completion_tokens_details.reasoning_tokens, 0)) AS reasoning_tokens,
  quantile_disc(usage.prompt_tokens, 0.95)                        AS input_tokens_p95,
  quantile_disc(usage.completion_tokens, 0.95)                    AS output_tokens_p95
FROM usage
GROUP BY ALL
ORDER BY call, model
