/* annual-classes.mod — stage 3 of the annual enforcement plan: each month's key visits (stage 2)
 * shared among the classes of key units (same risk level, same visits due), higher-risk classes
 * earlier in the year.
 *
 * A transportation problem (class totals → months, a unit at most once a month): its LP optimum
 * is integral, so it closes at once whatever the efforts. Priced slacks keep it solvable should
 * a class not fit the months stage 2 chose (never seen; reported as a month's change of load).
 */

/* ---------- Sets ---------- */

set M;
/* months that take new visits */

set C;
/* classes of key units */

/* ---------- Parameters ---------- */

param Kt{C} >= 0, integer;
/* key visits of the class in the year (stage 1) */

param n{C} >= 0, integer;
/* units in the class: at most this many of its visits in one month */

param urgency{C} >= 0;
/* 4 red, 3 orange, 2 yellow, 1 blue: higher-risk classes earlier */

param KM{M} >= 0, integer;
/* key visits in the month (stage 2) */

param penalty >= 0;
/* price of a key visit moved off the month stage 2 gave it */

param delay_cost >= 0;
/* price per key visit, month and point of urgency (0.001): higher-risk classes earlier */

param change_cost >= 0, default 0;
/* re-planning: price of one visit in a different month than the re-planned plan had */

param Kprev{C, M} >= 0, default 0;
/* the re-planned plan's monthly key visits by class */

/* ---------- Variables ---------- */

var K{c in C, M} >= 0, <= n[c], integer;
/* key visits of class c in month m: a unit at most once a month */

var over{M} >= 0;
var under{M} >= 0;
/* priced slacks: key visits over or under the month's share from stage 2 */

var dK{C, M} >= 0;
/* re-planning: visits moved against the previous plan */

/* ---------- Constraints ---------- */

s.t. plan_decompose_class{c in C}: sum{m in M} K[c, m] = Kt[c];
/* PLAN-DECOMPOSE: the class's key visits of stage 1 (FREQ-KEY-COVER), all placed */

s.t. plan_decompose_month{m in M}: sum{c in C} K[c, m] = KM[m] + over[m] - under[m];
/* PLAN-DECOMPOSE: the month's key visits as stage 2 planned them */

s.t. keep_key_up{c in C, m in M}: K[c, m] - Kprev[c, m] <= dK[c, m];
s.t. keep_key_down{c in C, m in M}: Kprev[c, m] - K[c, m] <= dK[c, m];
/* re-planning: as few moves as possible (0 cost for a new plan) */

/* ---------- Objective ---------- */
minimize cost:
    penalty * sum{m in M} (over[m] + under[m])
  + change_cost * sum{c in C, m in M} dK[c, m]
  + delay_cost * sum{c in C, m in M} urgency[c] * m * K[c, m];

end;
