import Foundation
import Ledger

/// Where the MathProg models of `models/` are read from: the folder `PLANNER_MODELS` names,
/// else the repository's `models/` folder this build came from.
public enum ModelLibrary {
    public static var directory: String {
        if let env = ProcessInfo.processInfo.environment["PLANNER_MODELS"], !env.isEmpty { return env }
        // Sources/Planning/ModelLibrary.swift → repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("models").path
    }

    public static func path(_ name: String) throws -> String {
        let p = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: p) else {
            throw InputError.unreadable(file: p, reason: "找不到模型文件；请设置环境变量 PLANNER_MODELS 指向仓库的 models 目录 (model file not found: set PLANNER_MODELS to the repository's models folder)")
        }
        return p
    }
}
