#!/usr/bin/env bash
# Regenerate the committed samples of the written brief (issue 15) from the demo warehouse
# (模拟数据): the national and the 浙江 2024 briefs, each as .docx and as PDF.
#   bash docs/samples/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CONVERGENCE_AUDIT="$work/audit.duckdb"  # samples are not anyone's report
.venv/bin/python -m etl --quiet --db "$work/warehouse.duckdb" demo
for form in docx pdf; do
  .venv/bin/python -m etl --db "$work/warehouse.duckdb" report --year 2024 --format "$form" \
    --out "docs/samples/2024年全国分析报告.$form"
  .venv/bin/python -m etl --db "$work/warehouse.duckdb" report --year 2024 --province 浙江 \
    --format "$form" --out "docs/samples/2024年浙江分析报告.$form"
done
