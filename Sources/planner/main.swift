import PlannerCLI

Planner.main()
