/* annual-totals.mod — stage 1 of the annual enforcement plan (安全生产年度执法计划):
 * how many visits of each kind the authority makes in the year.
 *
 * Units the policy treats alike (same risk level, same required visits, same campaign
 * eligibility) form one class of key units. This model decides the year's totals: key visits
 * per class, random draws, campaign visits, the joint check. Stage 2 (annual-months.mod)
 * spreads these totals over the months; the planner then places the units of each class into
 * their months by a documented priority and draws the general units with sha256-weighted/1.
 * Each constraint block is named by its rule in docs/RULES.md. Every requirement
 * that data can make impossible has a priced slack (short_*), so an over-constrained scenario
 * still yields a plan with each shortfall named and sized. No data section: the planner
 * writes it (`planner plan --write-model` exports the model with its data).
 *
 * Staffing mode (`mode`, 'plan' by default): the same rows answer "how many inspectors does the
 * authority need to meet every rule this year?" (`planner staffing`). Then every rule is hard
 * (no shortfall), the staffing level is a decision variable — each full-time certified officer
 * added brings `cal` person-days of inspection (the calendar's workdays less the per-officer
 * deductions; the scenario's deduction totals do not grow with the staff), which raises both
 * the capacity for visits and, through PLAN-RATIO, the visits the year must have — and the
 * capacity is the year's (`plan_basis_year`) instead of the months' (`plan_basis[m]`), since
 * the months' team-days depend on the staff:
 *   officers  minimise officers added (negative: a surplus);
 *   days      minimise inspection person-days added (= deductions to cut);
 *   draws     maximise random draws (the highest sampling rate the staff can carry);
 *   effort    minimise the team-days the rules need (effort per visit can shrink to fit).
 * In plan mode the staffing rows and variables do not exist (no row, no column).
 */

/* ---------- Sets ---------- */

set C;
/* classes of key units this authority inspects */

set P;
/* special campaigns (专项执法) */

set M;
/* months that take new visits (with workdays and team-days left) */

set PM within {P, M};
/* months in which each campaign runs */

/* ---------- Parameters ---------- */

param mode symbolic in {'plan', 'officers', 'days', 'draws', 'effort'}, default 'plan';
/* 'plan': the year's totals of the plan; otherwise a staffing question (see above) */

param n{C} >= 0, integer;
/* key units in the class */

param req{C} >= 0, integer;
/* required key visits per unit (FREQ-KEY-COVER: 1; 2 with FREQ-INCREASE) */

param maxv >= 1, integer;
/* yearly cap on visits to one unit */

param value{C} >= 0;
/* coverage value of one extra key visit to a unit of the class (risk-weighted) */

param cap{M} >= 0;
/* team-days for planned visits in the month (PLAN-BASIS) */

param grid > 0;
/* the step all efforts are whole multiples of (0.25 for 0.75 and 0.5): whole visits add up in
   these steps, so the team-days up to a month are taken down to a whole step. The rows then
   have the same whole solutions and a tighter relaxation: with key visits at 0.75 and the rest
   at 0.5 GLPK closed at once instead of stopping at its time limit */

param carry{M} default 0;
/* team-days the months closed to new visits (re-planning: past and kept months) left unused
   before the month, or overran (negative) */

param jallow{M} binary, default 1;
/* 1 in the months the joint check may fall in (scenario `joint.months`; all by default) */

param eff_key > 0;
/* team-days per key visit (a team is two officers) */

param eff_gen > 0;
/* team-days per random or joint visit */

param eff_spec > 0;
/* team-days per campaign visit */

param G >= 0, integer;
/* general units this authority may draw (the 双随机 pool) */

param draw_min >= 0, integer;
/* general units to draw: ceil(sample rate x general units), less those drawn and visited
   already this year (re-planning), at most the pool (the check below) */

param sample_rate >= 0, <= 1;
/* FREQ-GENERAL-RANDOM: the scenario's `policy.general_sample_rate` */

param general_units >= 0, integer;
/* all general units of the authority (drawn before or not) */

param drawn_before >= 0, integer, default 0;
/* general units drawn and visited already this year (re-planning) */

param random_value >= 0;
/* coverage value of one drawn visit */

param camp_min{P} >= 0, integer;
/* campaign minimum visits (PLAN-SPECIAL) */

param camp_max{P} >= 0, integer;
/* units eligible for the campaign, each at most once */

param camp_key{P, C} >= 0, integer, default 0;
/* eligible key units of class c (with room beyond their due key visits) */

param camp_gen{p in P} >= 0, integer, default camp_max[p] - sum{c in C} camp_key[p, c];
/* eligible general units */

param joint_min >= 0, integer;
/* units in the joint cross-department random check (FREQ-JOINT); 0 when none is due */

param joint_max >= 0, integer;
/* industrial general units available for it */

param share_min >= 0, <= 1;
/* PLAN-SHARE60: (key + special visits) / all visits */

param share_floor >= 0, <= 1;
/* PLAN-SHARE60's floor, 0.6: a scenario may only be stricter (the check below) */

param ratio_min >= 0;
/* PLAN-RATIO-BUREAU 0.75, PLAN-RATIO-LOCAL 1.0: visits / inspection workday */

param ratio_floor >= 0;
/* the floor of the authority's level, 0.75 or 1.0: a scenario may only be stricter */

param workdays;
/* inspection workdays (person-days); in staffing mode today's, negative when the deductions
   exceed today's gross (then officers must be added before any visit fits) */

param penalty >= 0;
/* price of one visit of shortfall of any rule */

param cover_factor >= 0;
/* a key unit left unvisited costs this many shortfalls (2) ... */

param cover_risk >= 0;
/* ... plus this much per point of its class's coverage value (0.01), so that lower-risk units
   lose visits first */

param cal default 0;
/* staffing: person-days one full-time officer adds (the calendar's workdays less the
   per-officer deductions) */

param capfactor >= 0, default 0;
/* staffing: team-days for planned visits per inspection person-day: (1 - reserve) / 2 */

param rounding >= 0, default 0;
/* staffing: team-days the plan does not see (each month's team-days taken down to the hundredth) */

param officers_now >= 0, integer, default 0;
/* staffing: certified officers now */

param xmax{c in C} >= 0, integer, default n[c] * (maxv - req[c]);
/* extra key visits the class can take (mid-year re-planning: less what is already done) */

param pinned_total >= 0, default 0;
/* visits already fixed (carried out, or in months kept as published) */

param pinned_keyish >= 0, default 0;
/* of those, visits to key units and campaign visits */

param change_cost >= 0, default 0;
/* re-planning: price of one visit more or fewer than the plan being re-planned had */

param split_change_cost >= 0, default change_cost / 2;
/* re-planning: price of one campaign visit moved between key classes and general units */

param Kprev{C} >= 0, default 0;
param Rprev >= 0, default 0;
param Sprev{P} >= 0, default 0;
param Jprev >= 0, default 0;
param SKprev{P, C} >= 0, default 0;
param SGprev{P} >= 0, default 0;
/* the re-planned plan's visits in the months still open */

check: draw_min <= G;
check: draw_min = min(G, max(0, ceil(sample_rate * general_units - 1e-9) - drawn_before));
/* FREQ-GENERAL-RANDOM: draw_min is ceil(rate x general units) as the planner computed it */
check: share_min >= share_floor;
check: ratio_min >= ratio_floor;
check{i in 1..1: mode = 'plan'}: workdays >= 0;

/* ---------- Variables ---------- */

var K{C} >= 0, integer;
/* key visits to units of the class in the year */

var X{c in C} >= 0, <= xmax[c], integer;
/* extra key visits beyond the required ones */

var R >= 0, integer;
/* random visits to drawn general units (双随机) */

var S{p in P} >= 0, <= camp_max[p], integer;
/* campaign visits */

var SK{p in P, c in C} >= 0, <= camp_key[p, c], integer;
/* campaign visits to key units of class c */

var SG{p in P} >= 0, <= camp_gen[p], integer;
/* campaign visits to general units */

var J >= 0, <= min(joint_min, joint_max), integer;
/* visits of the joint cross-department random check: the units it covers, no more */

var T >= 0;
/* all visits of the year */

var KM{M} >= 0, <= sum{c in C} n[c];
var RM{M} >= 0;
var JM{M} >= 0;
var JB{M} binary;
var SM{PM} >= 0;
/* the same visits by month (key, random, joint, campaign), as fractions: the totals are whole,
   and taking each kind's visits up to each month down to whole visits keeps every cumulative
   row, so stage 2 always finds whole visits for the months (models/README.md) */

var short_cover{C} >= 0;
var short_share >= 0;
var short_ratio >= 0;
var short_draw >= 0;
var short_camp{P} >= 0;
var short_joint >= 0;
var short_month{M} >= 0;
/* priced slacks: the size of each rule's shortfall, in visits */

var dK{C} >= 0;
var dR >= 0;
var dS{P} >= 0;
var dJ >= 0;
var dSK{P, C} >= 0;
var dSG{P} >= 0;
/* re-planning: visits changed against the previous plan */

var add integer, >= -officers_now;
/* staffing: officers added (negative: fewer) */

var add_days;
/* staffing: inspection person-days added */

/* ---------- Constraints, one block per rule (row names: the rule's ID) ---------- */

s.t. total_visits: T = sum{c in C} K[c] + R + J + sum{p in P} S[p];
/* all visits */

s.t. freq_key_cover{c in C}: K[c] + short_cover[c] = n[c] * req[c] + X[c];
/* FREQ-KEY-COVER: every key unit visited its required number of times */

s.t. plan_share60: sum{c in C} K[c] + sum{p in P} S[p] + pinned_keyish + short_share >= share_min * (T + pinned_total);
/* PLAN-SHARE60: key inspection work is at least the share of all visits */

s.t. plan_ratio: T + pinned_total + short_ratio >= ratio_min * (workdays + (if mode <> 'plan' then add_days));
/* PLAN-RATIO-BUREAU / PLAN-RATIO-LOCAL: visits per inspection workday (staffing: more staff,
   more visits due) */

s.t. freq_general_random: R + J + short_draw >= (if mode = 'draws' then 0 else draw_min);
/* FREQ-GENERAL-RANDOM: enough general units drawn (random and joint checks) */

s.t. freq_general_random_pool: R + J <= G;
/* FREQ-GENERAL-RANDOM: no general unit drawn twice in the year */

s.t. plan_special{p in P}: S[p] + short_camp[p] >= camp_min[p];
/* PLAN-SPECIAL: each campaign's minimum */

s.t. plan_special_split{p in P}: S[p] = SG[p] + sum{c in C} SK[p, c];
/* PLAN-SPECIAL: a campaign's visits go to key units (by class) and general units */

s.t. freq_cap{c in C}: X[c] + sum{p in P} SK[p, c] <= xmax[c];
/* FREQ-CAP: yearly cap on visits to one unit: a key unit's room beyond its due visits holds
   either an extra key visit or a campaign visit */

s.t. freq_joint: J + short_joint >= joint_min;
/* FREQ-JOINT: the district's joint cross-department random check */

s.t. plan_decompose_key: sum{m in M} KM[m] = sum{c in C} K[c];
s.t. plan_decompose_random: sum{m in M} RM[m] = R;
s.t. plan_decompose_joint: sum{m in M} JM[m] = J;
s.t. plan_decompose_special{p in P}: sum{(p, m) in PM} SM[p, m] = S[p];
/* PLAN-DECOMPOSE: the year's visits, each in a month (a campaign's in its own months) */

s.t. freq_joint_month{m in M}: JM[m] <= joint_min * JB[m];
s.t. freq_joint_once: sum{m in M} JB[m] <= 1;
s.t. freq_joint_allowed{m in M}: JB[m] <= jallow[m];
/* FREQ-JOINT: the joint check happens in one month */

s.t. plan_basis{m in M: mode = 'plan'}: sum{t in M: t <= m} (eff_key * KM[t] + eff_gen * (RM[t] + JM[t])
    + eff_spec * sum{(p, t) in PM} SM[p, t]) <= grid * floor((sum{t in M: t <= m} cap[t] + carry[m]) / grid + 1e-9);
/* PLAN-BASIS: the visits fit the team-days for planned inspection. Time carries forward: the
   visits up to each month fit the team-days up to it (in whole steps of `grid`) */

s.t. plan_decompose_nonempty{m in M}: KM[m] + RM[m] + JM[m] + sum{(p, m) in PM} SM[p, m] + short_month[m] >= 1;
/* PLAN-DECOMPOSE: at least one visit in every month with workdays */

s.t. staffing_officers{i in 1..1: mode = 'officers'}: add_days = cal * add;
s.t. staffing_no_officers_added{i in 1..1: mode <> 'plan' and mode <> 'officers'}: add = 0;
s.t. staffing_no_days_added{i in 1..1: mode = 'draws' or mode = 'effort'}: add_days = 0;
/* staffing: what the mode may change */

s.t. staffing_rules_hard{i in 1..1: mode <> 'plan'}:
    sum{c in C} short_cover[c] + short_share + short_ratio + short_draw + sum{p in P} short_camp[p]
  + short_joint + sum{m in M} short_month[m] = 0;
/* staffing: every rule met, none short */

s.t. plan_basis_days{i in 1..1: mode <> 'plan'}: workdays + add_days >= 0;
/* PLAN-BASIS (staffing): no level with negative inspection workdays */

s.t. plan_basis_year{i in 1..1: mode <> 'plan' and mode <> 'effort'}:
    eff_key * sum{c in C} K[c] + eff_gen * (R + J) + eff_spec * sum{p in P} S[p]
    <= capfactor * (workdays + add_days) - rounding;
/* PLAN-BASIS (staffing): the year's visits fit the year's team-days */

s.t. keep_key_up{c in C}: K[c] - Kprev[c] <= dK[c];
s.t. keep_key_down{c in C}: Kprev[c] - K[c] <= dK[c];
s.t. keep_random_up: R - Rprev <= dR;
s.t. keep_random_down: Rprev - R <= dR;
s.t. keep_campaign_up{p in P}: S[p] - Sprev[p] <= dS[p];
s.t. keep_campaign_down{p in P}: Sprev[p] - S[p] <= dS[p];
s.t. keep_joint_up: J - Jprev <= dJ;
s.t. keep_joint_down: Jprev - J <= dJ;
s.t. keep_split_up{p in P, c in C}: SK[p, c] - SKprev[p, c] <= dSK[p, c];
s.t. keep_split_down{p in P, c in C}: SKprev[p, c] - SK[p, c] <= dSK[p, c];
s.t. keep_general_up{p in P}: SG[p] - SGprev[p] <= dSG[p];
s.t. keep_general_down{p in P}: SGprev[p] - SG[p] <= dSG[p];
/* re-planning: as few changes as possible (each costs `change_cost`; 0 for a new plan) */

/* ---------- Objective ----------
 * Plan mode. First, no rule short: each visit of shortfall costs `penalty`, a key unit left
 * unvisited `cover_factor` times that (a little more for higher-risk classes, `cover_risk`, so
 * lower-risk units lose visits first). When re-planning, then as few changes as possible. Then, within capacity, the
 * most risk-weighted coverage: extra visits to higher-risk key units and random draws beyond
 * the minimum. Staffing modes: the mode's own objective (see the top).
 */
minimize cost:
    (if mode = 'plan' then
        penalty * (sum{c in C} (cover_factor + cover_risk * value[c]) * short_cover[c] + short_share + short_ratio
                   + short_draw + sum{p in P} short_camp[p] + short_joint + sum{m in M} short_month[m])
      - sum{c in C} value[c] * X[c]
      - random_value * (R + J)
      + change_cost * (sum{c in C} dK[c] + dR + sum{p in P} dS[p] + dJ)
      + split_change_cost * (sum{p in P, c in C} dSK[p, c] + sum{p in P} dSG[p]))
  + (if mode = 'officers' then add)
  + (if mode = 'days' then add_days)
  - (if mode = 'draws' then R + J)
  + (if mode = 'effort' then eff_key * sum{c in C} K[c] + eff_gen * (R + J) + eff_spec * sum{p in P} S[p]);

end;
