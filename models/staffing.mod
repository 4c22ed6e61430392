/* staffing.mod — how many inspectors does the authority need to meet every rule this year?
 *
 * The annual-totals model (annual-totals.mod) with every rule hard (no slack) and the
 * staffing level a decision variable: each full-time certified officer added brings `cal`
 * person-days of inspection (the calendar's workdays less the per-officer deductions; the
 * scenario's deduction totals do not grow with the staff; no unavailability), which raises both the
 * capacity for visits and, through PLAN-RATIO, the visits the year must have. Other modes
 * answer the other levers with the staff as it is:
 *   officers  minimise officers added (negative: a surplus);
 *   days      minimise inspection person-days added (= deductions to cut);
 *   draws     maximise random draws (the highest sampling rate the staff can carry);
 *   effort    minimise the team-days the rules need (effort per visit can shrink to fit).
 */

set C;
/* classes of key units */

set P;
/* special campaigns */

param mode symbolic in {'officers', 'days', 'draws', 'effort'};

param n{C} >= 0, integer;
param req{C} >= 0, integer;
param maxv >= 1, integer;
param months >= 0, integer;
param eff_key > 0;
param eff_gen > 0;
param eff_spec > 0;
param G >= 0, integer;
param draw_min >= 0, integer;
param camp_min{P} >= 0, integer;
param camp_max{P} >= 0, integer;
param joint_min >= 0, integer;
param share_min >= 0, <= 1;
param ratio_min >= 0;
/* as in annual-totals.mod */

param W0;
/* inspection workdays (person-days) with today's staff: gross - deductions, negative when the
   deductions exceed today's gross (then officers must be added before any visit fits) */

param cal;
/* person-days one full-time officer adds: the calendar's workdays less the per-officer deductions */

param capfactor >= 0;
/* team-days for planned visits per inspection person-day: (1 - reserve) / 2 */

param rounding >= 0, default 0;
/* team-days the annual model does not see: each month's team-days taken down to the hundredth */

param officers_now >= 0, integer;
/* certified officers now */

var add integer, >= -officers_now;
/* officers added (negative: fewer) */

var add_days;
/* inspection person-days added */

var K{C} >= 0, integer;
var X{c in C} >= 0, <= n[c] * (maxv - req[c]), integer;
var R >= 0, integer;
var S{p in P} >= 0, <= camp_max[p], integer;
var J >= 0, <= joint_min, integer;
var T >= 0;
/* visits, as in annual-totals.mod */

s.t. officers_only{i in 1..1: mode = 'officers'}: add_days = cal * add;
s.t. staff_as_is{i in 1..1: mode <> 'officers' and mode <> 'days'}: add_days = 0;
s.t. no_officers{i in 1..1: mode <> 'officers'}: add = 0;

s.t. basis: W0 + add_days >= 0;
/* PLAN-BASIS: no level with negative inspection workdays */

s.t. total: T = sum{c in C} K[c] + R + J + sum{p in P} S[p];

s.t. key_cover{c in C}: K[c] = n[c] * req[c] + X[c];
/* FREQ-KEY-COVER */

s.t. share60: sum{c in C} K[c] + sum{p in P} S[p] >= share_min * T;
/* PLAN-SHARE60 */

s.t. ratio: T >= ratio_min * (W0 + add_days);
/* PLAN-RATIO-BUREAU / PLAN-RATIO-LOCAL: more staff, more visits due */

s.t. draw{i in 1..1: mode <> 'draws'}: R + J >= draw_min;
s.t. draw_pool: R + J <= G;
/* FREQ-GENERAL-RANDOM */

s.t. campaign{p in P}: S[p] >= camp_min[p];
/* PLAN-SPECIAL */

s.t. joint: J >= joint_min;
/* FREQ-JOINT */

s.t. capacity{i in 1..1: mode <> 'effort'}:
    eff_key * sum{c in C} K[c] + eff_gen * (R + J) + eff_spec * sum{p in P} S[p]
    <= capfactor * (W0 + add_days) - rounding;
/* PLAN-BASIS: the visits fit the team-days */

s.t. months_filled: T >= months;
/* PLAN-DECOMPOSE */

minimize objective:
    (if mode = 'officers' then add else 0)
  + (if mode = 'days' then add_days else 0)
  - (if mode = 'draws' then R + J else 0)
  + (if mode = 'effort' then eff_key * sum{c in C} K[c] + eff_gen * (R + J) + eff_spec * sum{p in P} S[p] else 0);

end;
