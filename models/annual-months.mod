/* annual-months.mod — stage 2 of the annual enforcement plan: the year's totals from
 * annual-totals.mod spread over the months (季度、月度计划, PLAN-DECOMPOSE).
 *
 * Totals are fixed; this model decides how many visits of each kind fall in each month: every
 * month's effort within its team-days (time carried forward, as in stage 1), no month with
 * workdays left empty, the monthly load following the month's capacity within a tolerance, key
 * visits earlier in the year, and the joint check in one month. Priced slacks keep it solvable
 * when the data leave no room.
 *
 * A new plan counts its key visits together here (one class, `key`): with the risk classes as
 * well the cumulative rows made GLPK search for seconds. Stage 3 (annual-classes.mod) then shares
 * each month's key visits among the classes. A re-plan passes the real classes, so that each
 * class keeps its months (its moves are priced class by class).
 */

/* ---------- Sets ---------- */

set M;
/* months with workdays (1..12) */

set C;
/* classes of key units (one, `key`, for a new plan) */

set P;
/* special campaigns */

set PM within {P, M};
/* months in which each campaign runs */

/* ---------- Parameters ---------- */

param Kt{C} >= 0, integer;
/* key visits of the class in the year (stage 1) */

param n{C} >= 0, integer;
/* units in the class: at most this many of its visits in one month */

param urgency{C} >= 0;
/* 4 red, 3 orange, 2 yellow, 1 blue: higher-risk classes earlier */

param Rt >= 0, integer;
/* random visits in the year */

param St{P} >= 0, integer;
/* campaign visits in the year */

param Jt >= 0, integer;
/* joint-check visits in the year */

param cap{M} >= 0;
/* team-days available for planned visits in the month */

param weight{M} >= 0;
/* the month's share of the year's capacity */

param eff_key > 0;
param eff_gen > 0;
param eff_spec > 0;
/* team-days per key, random/joint, campaign visit */

param grid > 0;
/* the step all efforts are whole multiples of (as in stage 1) */

param carry{M} default 0;
/* team-days the months closed to new visits left unused before the month (as in stage 1) */

param jallow{M} binary, default 1;
/* 1 in the months the joint check may fall in (scenario `joint.months`; all by default) */

param change_cost >= 0, default 0;
/* re-planning: price of one visit in a different month than the re-planned plan had */

param Kprev{C, M} >= 0, default 0;
param Rprev{M} >= 0, default 0;
param Sprev{PM} >= 0, default 0;
param Jprev{M} >= 0, default 0;
/* the re-planned plan's monthly visits */

param tol >= 0, <= 1;
/* allowed deviation of a month's visits from its share of the year's visits */

param penalty >= 0;
/* price of a team-day over capacity or an empty month */

param random_spread_cost >= 0;
/* price of a random visit outside its month's band (0.5; a visit off the balance band costs 1) */

param delay_cost >= 0;
/* price per key visit, month and point of urgency (0.001): key visits early in the year */

param Tt := sum{c in C} Kt[c] + Rt + Jt + sum{p in P} St[p];
/* all visits of the year */

param lo{m in M} := floor((1 - tol) * weight[m] * Tt);
param hi{m in M} := ceil((1 + tol) * weight[m] * Tt);
/* the month's load band in whole visits */

param rlo{m in M} := floor((1 - tol) * weight[m] * Rt);
param rhi{m in M} := ceil((1 + tol) * weight[m] * Rt);
/* the month's band of random visits: 双随机 checks run through the year, not in a burst */

check: sum{m in M} weight[m] <= 1.0001;

/* ---------- Variables ---------- */

var K{c in C, M} >= 0, <= n[c], integer;
/* key visits of class c in month m: a unit at most once a month */

var R{M} >= 0, integer;
/* random visits in month m */

var S{PM} >= 0, integer;
/* campaign visits in month m */

var J{M} >= 0, integer;
/* joint-check visits in month m */

var JM{M} binary;
/* the month of the joint check */

var over{M} >= 0;
/* team-days over the month's capacity */

var short_month{M} >= 0;
var short_camp{P} >= 0;
var short_joint >= 0;
/* campaign or joint visits no open month can take (e.g. every month of the campaign is full) */
var bal_lo{M} >= 0;
var bal_hi{M} >= 0;
var rnd_lo{M} >= 0;
var rnd_hi{M} >= 0;
/* priced slacks */

var dK{C, M} >= 0;
var dR{M} >= 0;
var dS{PM} >= 0;
var dJ{M} >= 0;
/* re-planning: visits moved against the previous plan */

/* ---------- Constraints ---------- */

s.t. plan_decompose_key{c in C}: sum{m in M} K[c, m] = Kt[c];
/* PLAN-DECOMPOSE: the class's key visits of stage 1 (FREQ-KEY-COVER), all placed */

s.t. plan_decompose_random: sum{m in M} R[m] = Rt;
/* PLAN-DECOMPOSE: the year's draws (FREQ-GENERAL-RANDOM), all placed */

s.t. plan_special_months{p in P}: sum{(p, m) in PM} S[p, m] + short_camp[p] = St[p];
/* PLAN-SPECIAL: campaign visits only in the campaign's months */

s.t. plan_decompose_joint: sum{m in M} J[m] + short_joint = Jt;
s.t. freq_joint_month{m in M}: J[m] <= Jt * JM[m];
s.t. freq_joint_once: sum{m in M} JM[m] <= 1;
s.t. freq_joint_allowed{m in M}: JM[m] <= jallow[m];
/* FREQ-JOINT: the joint check happens in one month */

s.t. plan_basis{m in M}: sum{t in M: t <= m} (eff_key * sum{c in C} K[c, t] + eff_gen * (R[t] + J[t])
    + eff_spec * sum{(p, t) in PM} S[p, t])
    <= grid * floor((sum{t in M: t <= m} cap[t] + carry[m]) / grid + 1e-9) + sum{t in M: t <= m} over[t];
/* PLAN-BASIS: the visits up to each month fit the team-days up to it (time left unused carries
   forward) */

s.t. plan_decompose_nonempty{m in M}:
    sum{c in C} K[c, m] + R[m] + J[m] + sum{(p, m) in PM} S[p, m] + short_month[m] >= min(1, Tt);
/* PLAN-DECOMPOSE: no month with workdays left empty */

s.t. balance_lo{m in M}:
    sum{c in C} K[c, m] + R[m] + J[m] + sum{(p, m) in PM} S[p, m] + bal_lo[m] >= lo[m];
s.t. balance_hi{m in M}:
    sum{c in C} K[c, m] + R[m] + J[m] + sum{(p, m) in PM} S[p, m] - bal_hi[m] <= hi[m];
/* shape: each month's visits follow its share of the year's capacity */

s.t. random_lo{m in M}: R[m] + rnd_lo[m] >= rlo[m];
s.t. random_hi{m in M}: R[m] - rnd_hi[m] <= rhi[m];
/* shape: random checks spread over the year like the capacity */

s.t. keep_key_up{c in C, m in M}: K[c, m] - Kprev[c, m] <= dK[c, m];
s.t. keep_key_down{c in C, m in M}: Kprev[c, m] - K[c, m] <= dK[c, m];
s.t. keep_random_up{m in M}: R[m] - Rprev[m] <= dR[m];
s.t. keep_random_down{m in M}: Rprev[m] - R[m] <= dR[m];
s.t. keep_campaign_up{(p, m) in PM}: S[p, m] - Sprev[p, m] <= dS[p, m];
s.t. keep_campaign_down{(p, m) in PM}: Sprev[p, m] - S[p, m] <= dS[p, m];
s.t. keep_joint_up{m in M}: J[m] - Jprev[m] <= dJ[m];
s.t. keep_joint_down{m in M}: Jprev[m] - J[m] <= dJ[m];
/* re-planning: as few moves as possible (0 cost for a new plan) */

/* ---------- Objective ----------
 * Capacity and non-empty months first; then balance; then higher-risk classes earlier (a
 * small cost per visit and month of delay, larger for higher urgency).
 */
minimize cost:
    penalty * sum{m in M} (over[m] + short_month[m]) + penalty * (sum{p in P} short_camp[p] + short_joint)
  + sum{m in M} (bal_lo[m] + bal_hi[m])
  + random_spread_cost * sum{m in M} (rnd_lo[m] + rnd_hi[m])
  + change_cost * (sum{c in C, m in M} dK[c, m] + sum{m in M} (dR[m] + dJ[m]) + sum{(p, m) in PM} dS[p, m])
  + delay_cost * sum{c in C, m in M} urgency[c] * m * K[c, m];

end;
