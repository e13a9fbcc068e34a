"""The pipeline: read → normalise → check → stage → build → publish (etl.pipeline.load)."""
