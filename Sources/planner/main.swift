import PlannerCLI

PlannerMain.run()
