/* roster-days.mod — stage 1 of a month's on-site inspection roster (现场检查方案):
 * how many visits of each kind fall on each workday of the month.
 *
 * Days first, then teams (roster-teams.mod, one small model per day): the month's visits of
 * the annual plan are spread over the calendar's workdays (makeup workdays count, holidays and
 * weekends do not) within the teams the certified officers available that day can form, and
 * the key visits within the experts available. Visits that cannot fit are priced slack, listed
 * as unassigned with the reason. No data section: the planner writes it.
 */

set D;
/* workdays of the month (day of month) */

set K;
/* kinds of visit: key, special, random, joint */

param n{K} >= 0, integer;
/* visits of the kind this month (annual plan) */

param eff{K} > 0;
/* team-days per visit of the kind (a team is two certified officers) */

param cap{D} >= 0;
/* team-days the day offers: available certified officers / 2, whole teams */

param expcap{D} >= 0;
/* expert-days available that day (an expert joins the team of a key visit) */

param unassigned_cost >= 0;
/* price of an unassigned visit (1,000) */

param expert_short_cost >= 0;
/* price of an expert-day short on a day (10) */

var x{K, D} >= 0, integer;
/* visits of kind k on day d */

var u{K} >= 0;
/* visits of kind k left unassigned */

var xs{D} >= 0;
/* expert-days short on day d */

param grid > 0, default 0.5;
/* the finest step of team-days visits add up to */

param target{d in D} := if sum{e in D} cap[e] = 0 then 0 else
    grid * ceil((sum{k in K} eff[k] * n[k]) * cap[d] / (sum{e in D} cap[e]) / grid - 1e-9);
/* the day's fair share of the month's effort, rounded up to whole steps */

param floor_share{d in D} := if sum{e in D} cap[e] = 0 then 0 else
    grid * floor((sum{k in K} eff[k] * n[k]) * cap[d] / (sum{e in D} cap[e]) / grid + 1e-9);
/* the day's fair share rounded down */

var over{D} >= 0;
var under{D} >= 0;
/* team-days above or below the day's fair share */

s.t. plan_decompose_days{k in K}: sum{d in D} x[k, d] + u[k] = n[k];
/* PLAN-DECOMPOSE: every visit of the month once, on a day of the on-site plan or unassigned */

s.t. site_team{d in D}: sum{k in K} eff[k] * x[k, d] <= cap[d];
/* SITE-TEAM: each visit needs a team of two certified officers for its effort */

s.t. freq_key_cover_expert{d in D}: eff['key'] * x['key', d] <= expcap[d] + xs[d];
/* FREQ-KEY-COVER 执法+专家: key visits within the experts available that day */

s.t. load_hi{d in D}: sum{k in K} eff[k] * x[k, d] <= target[d] + over[d];
s.t. load_lo{d in D}: sum{k in K} eff[k] * x[k, d] >= floor_share[d] - under[d];
/* load: each day near its fair share of the month (a band, not a min-max: GLPK proves a
   min-max of integer loads only slowly; the band keeps the LP optimum integral) */

minimize cost: unassigned_cost * sum{k in K} u[k] + expert_short_cost * sum{d in D} xs[d] + sum{d in D} (over[d] + under[d]);

end;
