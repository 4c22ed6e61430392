/* City dispatch: 执法力量调用 (TIER-DISPATCH, RULES.md).
 *
 * Authorities whose plan falls short for lack of inspection person-days (borrowers, A) borrow
 * person-days, month by month, from authorities with spare capacity (lenders, B). A lender keeps
 * everything its own plan needs (the team-days its visits take up to each month) and lends at
 * most `max_lend_share` of each month's inspection person-days. A borrower is met when it gets
 * its whole need in every month; only met borrowers borrow.
 *
 * Solved in four stages, each keeping the optimum of the ones before (lexicographic):
 *   1. most borrowers met;
 *   2. fewest orders across districts (lenders in the borrower's district first);
 *   3. fewest orders (an order is one lender-borrower pair, whatever its months);
 *   4. fewest person-days moved.
 * No data section: the planner writes it (Sources/Planning/CityDispatch.swift).
 */

set A;
/* borrowers */

set B;
/* lenders */

set M := 1..12;

param need{A, M} >= 0, integer;
/* person-days a borrower needs in each month */

param cap{B, M} >= 0, integer;
/* max_lend_share of a lender's inspection person-days in the month */

param keep{B, M} >= 0, integer;
/* person-days a lender's own plan leaves free up to each month (cumulative) */

param same{B, A} binary;
/* 1 when lender and borrower are in the same district */

param stage integer, >= 1, <= 4;
param met_min >= 0, default 0;
param cross_max >= 0, default 1e9;
param orders_max >= 0, default 1e9;

set P := setof{b in B, a in A: sum{m in M} min(need[a, m], cap[b, m]) > 0} (b, a);
/* pairs that could move anything */

var x{(b, a) in P, m in M} >= 0, <= min(need[a, m], cap[b, m]), integer;
/* person-days lender b lends borrower a in month m */

var y{P} binary;
/* an order from b to a */

var z{A} binary;
/* borrower a is met */

s.t. tier_dispatch_meet{a in A, m in M}: sum{(b, a) in P} x[b, a, m] >= need[a, m] * z[a];
/* TIER-DISPATCH: a met borrower gets its whole need each month */

s.t. tier_dispatch_only_met{(b, a) in P, m in M}: x[b, a, m] <= need[a, m] * z[a];
/* nothing moves to a borrower that cannot be met */

s.t. tier_dispatch_share{b in B, m in M}: sum{(b, a) in P} x[b, a, m] <= cap[b, m];
/* TIER-DISPATCH: a lender lends at most max_lend_share of the month's inspection person-days */

s.t. tier_dispatch_keep{b in B, m in M}: sum{(b, a) in P, t in M: t <= m} x[b, a, t] <= keep[b, m];
/* TIER-DISPATCH: a lender keeps what its own plan needs up to each month */

s.t. tier_dispatch_order{(b, a) in P, m in M}: x[b, a, m] <= min(need[a, m], cap[b, m]) * y[b, a];
/* person-days move only under an order */

param U{(b, a) in P} := min(sum{m in M} min(need[a, m], cap[b, m]), max{m in M} keep[b, m]);
/* the most a pair can move in the year */

s.t. tier_dispatch_order_year{(b, a) in P}: sum{m in M} x[b, a, m] <= U[b, a] * y[b, a];
/* person-days move only under an order (the year's bound) */

s.t. stage_met: sum{a in A} z[a] >= met_min;
s.t. stage_cross: sum{(b, a) in P: same[b, a] = 0} y[b, a] <= cross_max;
s.t. stage_orders: sum{(b, a) in P} y[b, a] <= orders_max;
/* the optimum of the stages before */

minimize dispatch:
    (if stage = 1 then -sum{a in A} z[a] else 0)
  + (if stage = 2 then sum{(b, a) in P: same[b, a] = 0} y[b, a] else 0)
  + (if stage = 3 then sum{(b, a) in P} y[b, a] else 0)
  + (if stage = 4 then sum{(b, a) in P, m in M} x[b, a, m] else 0);

end;
