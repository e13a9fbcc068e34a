-- One row per year: units taking part, of them first-time entrants (no earlier year in the
-- programme), and of those how many were selected; whether the year's results are withheld
-- for the role (then the selected count is masked, not zero). $provinces empty = all.
with history as (
    select * from mart.unit_history
    where len($provinces::varchar[]) = 0 or province in $provinces::varchar[]
),

final as (
    select
        year,
        any_value(scheme) as scheme,
        count(*) as units,
        count(*) filter (where is_first_year) as first_time,
        count(*) filter (where is_first_year and is_selected) as first_time_selected,
        bool_or(result_status = 'withheld') as is_withheld
    from history
    group by year
)

select * from final
order by year
