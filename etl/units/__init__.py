"""The unit registry: one unit under all the names it has written, across years and files.

names.py normalises a name the way a Chinese reader would (the unit's own province in front or
not, 广电 = 广播电视, 融媒中心 = 融媒体中心) and splits off its kind of unit; link.py scores pairs
of names with splink (a fixed m/u model on DuckDB), merges the sure ones, sends a band below to
a person (meta.unit_matches) and applies what a person decided (data/reference/unit_aliases.csv).
"""
