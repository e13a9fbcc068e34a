"""python -m etl: the command line (etl/cli)."""

from etl.cli import main

main(prog_name="python -m etl")
