-- Macros the named queries (sql/queries) share, so a predicate is written once. Created by the
-- build after the models (a table macro binds its tables when created) and again in every
-- role's database (etl/access), where they read that database's own tables.

-- Sums, means and spreads that do not depend on the order of their rows. A float sum does, in
-- its last bits, and DuckDB adds a group's rows in whatever order its threads reach them; two
-- identical loads must give identical marts. Each value is summed exactly as a decimal of ten
-- places (far below any score's precision), which costs a tenth of sorting every group.
create or replace macro exact_sum(x) as sum(x::decimal(38, 10))::double;

create or replace macro exact_mean(x) as avg(x::decimal(38, 10))::double;

create or replace macro exact_sd(x) as if(
    count(x) > 1,
    sqrt(greatest(
        (sum((x * x)::decimal(38, 10))::double - sum(x::decimal(38, 10))::double ^ 2 / count(x))
        / (count(x) - 1),
        0
    )),
    null
);

-- A multiselect filter: an empty choice means every value, unknown (null) ones included.
create or replace macro passes(value, chosen) as
    len(chosen::varchar[]) = 0 or list_contains(chosen::varchar[], value);

-- The sidebar's global filters (dashboard/filters.py) on a row that has these columns.
create or replace macro in_filters(
    track, category, region, unit_level, province,
    tracks, categories, regions, levels, include_central
) as
    passes(track, tracks)
    and passes(category, categories)
    and passes(region, regions)
    and passes(unit_level, levels)
    and (include_central or province is distinct from '中央单位');

-- mart.submission_facts under the global filters.
create or replace macro filtered_facts(tracks, categories, regions, levels, include_central) as table
    select *
    from mart.submission_facts
    where in_filters(
        track, category, region, unit_level, province,
        tracks, categories, regions, levels, include_central
    );

-- mart.submission_scores under the global filters.
create or replace macro filtered_scores(tracks, categories, regions, levels, include_central) as table
    select *
    from mart.submission_scores
    where in_filters(
        track, category, region, unit_level, province,
        tracks, categories, regions, levels, include_central
    );

-- The province-level submitters a view covers: those taking part, in the chosen region groups,
-- 中央单位 unless switched off.
create or replace macro provinces_in_scope(regions, include_central) as table
    select *
    from ref.provinces
    where takes_part
        and passes(region, regions)
        and (include_central or province <> '中央单位');

-- The years with data in this database, and whether their review results (stage reached,
-- 入选) may be shown here: result_status 'published', 'internal' (not yet published, shown to
-- a role that may see it) or 'withheld' (masked for this role: etl/access).
create or replace macro data_years() as table
    select year, result_status, result_status = 'withheld' as is_withheld
    from mart.year_summary;

-- Every year with data, and whether its scheme can match the chosen tracks and categories at
-- all (2019–2023 have no 申报类别; 2024+ only 典型案例): a year that cannot is 不适用 under the
-- filters, not 0. With its result_status (data_years).
create or replace macro filter_years(chosen_tracks, chosen_categories) as table
    select
        data_years.year,
        data_years.result_status,
        data_years.is_withheld,
        (len(chosen_categories::varchar[]) = 0 or len(programme.categories) > 0)
        and (len(chosen_tracks::varchar[]) = 0
            or len(list_intersect(chosen_tracks::varchar[], programme.tracks)) > 0) as applies
    from data_years() as data_years
    inner join ref.programme_years as programme using (year);

-- A review result, or null where the year's results are withheld.
create or replace macro unless_withheld(is_withheld, value) as
    if(is_withheld, null, value);

-- The funnel's counts summed over a group of mart.submission_facts rows (`facts` is the row,
-- as `select funnel_sums(facts) from facts group by …` passes it), and the mean 初评 score that
-- survives any grouping (sum of scores ÷ number of scores).
create or replace macro funnel_sums(facts) as {
    'submissions': sum(facts.submissions)::bigint,
    'recommended': sum(facts.recommended)::bigint,
    'reached_first': sum(facts.reached_first)::bigint,
    'reached_second': sum(facts.reached_second)::bigint,
    'reached_final': sum(facts.reached_final)::bigint,
    'selected': sum(facts.selected)::bigint,
    'from_published_list': sum(facts.from_published_list)::bigint,
    -- Only when every row carries its score sum: a bureau's copy lacks other provinces' sums,
    -- and a mean of what is left would not be the nation's number (see mart.score_scopes).
    'mean_score': if(
        count(facts.first_score_n) = count(*),
        exact_sum(facts.first_score_sum) / nullif(sum(facts.first_score_n), 0),
        null
    )
};

-- The funnel of one cell of a zero-filled grid: counts 0 where `summed` (funnel_sums, or null
-- when the cell has no rows) is missing; every count null where the year does not apply under
-- the filters (不适用), review results null where withheld (未公布); rates over submissions.
create or replace macro funnel_filled(is_withheld, applies, summed) as {
    'submissions': if(applies, coalesce(summed.submissions, 0), null),
    'recommended': if(applies, coalesce(summed.recommended, 0), null),
    'reached_first': if(applies and not is_withheld, coalesce(summed.reached_first, 0), null),
    'reached_second': if(applies and not is_withheld, coalesce(summed.reached_second, 0), null),
    'reached_final': if(applies and not is_withheld, coalesce(summed.reached_final, 0), null),
    'selected': if(applies and not is_withheld, coalesce(summed.selected, 0), null),
    'from_published_list': if(applies, coalesce(summed.from_published_list, 0), null),
    'selection_rate': summed.selected / nullif(summed.submissions, 0),
    'recommendation_rate': summed.recommended / nullif(summed.submissions, 0),
    'final_rate': summed.reached_final / nullif(summed.submissions, 0),
    'mean_score': summed.mean_score
};

-- The distribution of per-submission mean scores over a group of rows: how many (and how many
-- of them selected), the five numbers and the mean.
create or replace macro score_spread(score, is_selected) as {
    'n': count(score),
    'selected': count(score) filter (where is_selected),
    'min_score': min(score),
    'q1': quantile_cont(score, 0.25),
    'median': median(score),
    'q3': quantile_cont(score, 0.75),
    'max_score': max(score),
    'mean_score': exact_mean(score)
};

-- Mean 初评 scores computed nationally (mart.score_scopes: 全国, region groups, provinces), for
-- the one group the filters choose (全部, or a single 申报类别/申报类型) and only without a level
-- filter. Where a role's copy lacks other provinces' score sums (a bureau), the queries take
-- their means from here, so a mean shown is the nation's number or, where this cannot be,
-- none (a small cell suppressed, or filters the national statistics do not cover).
create or replace macro scope_means(chosen_tracks, chosen_categories, chosen_levels) as table
    select year, scope_kind, scope, n, mean_score
    from mart.score_scopes
    where stage_order = 1
        and len(chosen_levels::varchar[]) = 0
        and score_group = case len(chosen_tracks::varchar[]) + len(chosen_categories::varchar[])
            when 0 then '全部'
            when 1 then coalesce(
                list_extract(chosen_categories::varchar[], 1),
                list_extract(chosen_tracks::varchar[], 1)
            )
        end;
