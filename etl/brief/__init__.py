"""The written brief (分析报告): a year's analysis for leadership or for one province, as .docx
and PDF, from the same named queries as the pages.

source reads the named queries (sql/queries) through the role's scoped database; sections turn
their rows into a document model (document) of headings, generated sentences, numbered tables
and figures, using etl/present for every number, word and chart; word writes the .docx,
images renders the Plotly figures to PNG, pdf converts the .docx with LibreOffice, and produce
checks who may have which report, writes the file and records it in the audit log.
"""
