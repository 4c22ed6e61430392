import Foundation
import Ledger
import PlannerResources

/// Where the MathProg models of `models/` are read from: the folder `PLANNER_MODELS` names,
/// else the `models/` of the resource bundle beside the planner binary (`PlannerResources`),
/// never the source tree the binary was built from.
public enum ModelLibrary {
    public static var directory: String {
        if let env = ProcessInfo.processInfo.environment["PLANNER_MODELS"], !env.isEmpty { return env }
        return (try? PlannerResources.modelsFolder())
            ?? PlannerResources.expectedFolder.appendingPathComponent("models").path
    }

    public static func path(_ name: String) throws -> String {
        let fromEnvironment = !(ProcessInfo.processInfo.environment["PLANNER_MODELS"] ?? "").isEmpty
        // Without PLANNER_MODELS the bundle must be there: say so rather than "file not found".
        if !fromEnvironment { _ = try PlannerResources.folder() }
        let p = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: p) else {
            throw InputError.unreadable(file: p, reason: "找不到模型文件；请设置环境变量 PLANNER_MODELS 指向仓库的 models 目录 (model file not found: set PLANNER_MODELS to the repository's models folder)")
        }
        return p
    }
}
