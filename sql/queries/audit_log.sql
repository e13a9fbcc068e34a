-- The audit log (meta.audit, admin only), newest first, optionally one action and one name.
select logged_at, who, role, action, detail, rows
from meta.audit
where passes(action, $actions)
    and ($who is null or who = $who)
order by logged_at desc
limit 2000
