/* roster-teams.mod — stage 2 of a month's roster: the teams of one day.
 *
 * The day's key, campaign and joint visits are grouped into trips (same town, nearest first,
 * at most one team-day each); every trip gets two certified officers, one of whom may lead,
 * and trips with key visits an expert whose specialties match the unit's hazards. Random
 * visits are staffed before this model by the 双随机 draw of inspectors; what they leave of each
 * officer's day is `room`. No data section: the planner writes it.
 */

set T;
/* trips of the day */

set O;
/* certified officers available that day with room left */

set X;
/* experts available that day */

set TO within {T, O};
/* allowed pairs: the officer has no conflict of interest (回避) with any unit of the trip */

set TX within {T, X};
/* experts that may join the trip (no conflict) */

param eff{T} > 0;
/* team-days the trip takes */

param room{O} >= 0;
/* the officer's day left (1 = a whole day) */

param leader{O} binary;
/* may lead a team */

param fair{O} >= 0;
/* the officer's visits so far this year, relative to the average (fairness) */

param lastled{TO} binary, default 0;
/* the officer led the last visit to a unit of the trip (prefer someone else) */

param needexp{T} binary;
/* the trip has a key visit (执法+专家) */

param mismatch{TX} >= 0;
/* how badly the expert's specialties miss the trip's hazards (0 = match) */

param xroom{X} >= 0;
/* the expert's day left */

param unstaffed_cost >= 0;
/* price of a trip left without a team (1,000) */

param no_expert_cost >= 0;
/* price of a trip with a key visit left without an expert (100) */

param mismatch_cost >= 0;
/* price of a whole specialty mismatch (10) */

param expert_cost >= 0;
/* price of each expert sent, so that none goes needlessly (0.01) */

param lastled_cost >= 0;
/* price of sending the leader who led the last visit to a unit of the trip (5) */

var a{TO} binary;
/* officer o on trip t */

var l{(t, o) in TO: leader[o] = 1} binary;
/* officer o leads trip t */

var e{TX} binary;
/* expert x joins trip t */

var un{T} binary;
/* trip left without a team */

var xmiss{T} >= 0;
/* trip with a key visit left without an expert */

s.t. site_team{t in T}: sum{o in O: (t, o) in TO} a[t, o] + 2 * un[t] = 2;
/* SITE-TEAM: two certified officers per trip */

s.t. site_team_leader{t in T}: sum{o in O: (t, o) in TO and leader[o] = 1} l[t, o] + un[t] = 1;
/* SITE-TEAM: one of them leads */

s.t. site_team_leads_own{(t, o) in TO: leader[o] = 1}: l[t, o] <= a[t, o];
/* SITE-TEAM: the leader is one of the two */

s.t. load_officer_day{o in O}: sum{t in T: (t, o) in TO} eff[t] * a[t, o] <= room[o];
/* load: nobody works more than a day */

s.t. freq_key_cover_expert{t in T}: sum{x in X: (t, x) in TX} e[t, x] + xmiss[t] >= needexp[t];
/* FREQ-KEY-COVER 执法+专家: an expert on key visits */

s.t. load_expert_day{x in X}: sum{t in T: (t, x) in TX} eff[t] * e[t, x] <= xroom[x];

minimize cost:
    unstaffed_cost * sum{t in T} un[t] + no_expert_cost * sum{t in T} xmiss[t]
  + mismatch_cost * sum{(t, x) in TX} mismatch[t, x] * e[t, x]
  + sum{(t, x) in TX} expert_cost * e[t, x]
  + sum{(t, o) in TO} fair[o] * eff[t] * a[t, o]
  + lastled_cost * sum{(t, o) in TO: leader[o] = 1} lastled[t, o] * l[t, o];

end;
