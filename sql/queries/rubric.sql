-- One row per criterion of one year's rubric (ref.rubric, from data/reference/rubric.toml):
-- an assumption, since no points or weights are published.
select label, field, max_points, weight
from ref.rubric
where year = $year
order by sort_order
