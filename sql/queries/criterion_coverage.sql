-- One row for one year: how many submission × stage scores it holds, and how many of them
-- carry the four criteria. A scoring summary (评审打分汇总表) gives experts' totals only, so its
-- scores have no criteria: the page says so rather than draw a profile of nothing.
select
    count(*) as scored,
    count(political) as with_criteria
from mart.submission_scores
where year = $year
