import ArgumentParser

/// The `planner` command: one subcommand per capability, each a thin shell over the library.
public struct Planner: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "安全生产分类分级执法计划编制 — classified and graded work-safety enforcement planning.",
        subcommands: [ClassifyCommand.self, PlanCommand.self, LedgerCommand.self, CityCommand.self, RosterCommand.self, VerifyCommand.self, WhatIfCommand.self, StaffingCommand.self, ReplanCommand.self, CalendarCommand.self, GenerateCommand.self, PrintCommand.self, UserCommand.self, ServeCommand.self]
    )

    public init() {}
}
