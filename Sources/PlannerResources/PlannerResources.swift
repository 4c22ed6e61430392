import Foundation

/// The files the planner reads at run time besides its inputs: the MathProg models of
/// `models/`, the focus-item catalogue `scenarios/focus-items.yaml` and the Mustache templates
/// of the printable plan (`templates/`, this target's own folder). SwiftPM copies them
/// into a resource bundle beside the built binary (`.build/<config>/`); an installed planner
/// keeps that bundle beside it (`make install`), or in `../share/enforcement-planner/`.
///
/// The bundle is looked up here rather than through SwiftPM's generated `Bundle.module`: that
/// accessor falls back to the absolute build folder the binary came from and calls
/// `fatalError` when neither is there; this one looks only beside the running binary and
/// throws `ResourceError` naming every place it looked.
public enum PlannerResources {
    /// The bundle's folder name: `<package>_<target>` and the platform's extension.
    #if os(Linux) || os(Windows)
    public static let bundleName = "enforcement-planner_PlannerResources.resources"
    #else
    public static let bundleName = "enforcement-planner_PlannerResources.bundle"
    #endif

    /// Where an installation keeps the bundle when not beside the binary, relative to the
    /// binary's folder (`PREFIX/bin/planner` → `PREFIX/share/enforcement-planner/`).
    public static let shareFolder = "../share/enforcement-planner"

    /// The folders searched for the bundle, in order: the running binary's own folder (symlinks
    /// to the binary resolved), its `../share/enforcement-planner`, and the folder of the code's
    /// own bundle (a test bundle on macOS). Never the source tree the binary was built from.
    public static func searchFolders() -> [URL] {
        var folders: [URL] = []
        var executables: [URL] = []
        if let exe = Bundle.main.executableURL { executables.append(exe) }
        if let first = CommandLine.arguments.first, first.contains("/") {
            executables.append(URL(fileURLWithPath: first))
        }
        for exe in executables {
            folders.append(exe.deletingLastPathComponent())
            folders.append(exe.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        // The code's own bundle when it is not the main one (a test bundle): the folder holding it.
        let own = Bundle(for: Marker.self).bundleURL
        if own.standardizedFileURL != Bundle.main.bundleURL.standardizedFileURL {
            folders.append(own.deletingLastPathComponent())
        }
        var seen = Set<String>(), result: [URL] = []
        for f in folders {
            for candidate in [f, f.appendingPathComponent(shareFolder)] {
                let path = candidate.standardizedFileURL.path
                if seen.insert(path).inserted { result.append(candidate.standardizedFileURL) }
            }
        }
        return result
    }

    /// The folder holding `models/` and `focus-items.yaml` inside the bundle, found once.
    public static func folder() throws -> URL { try located.get() }

    /// `models/` inside the bundle.
    public static func modelsFolder() throws -> String { try folder().appendingPathComponent("models").path }

    /// `focus-items.yaml` inside the bundle.
    public static func focusItemsPath() throws -> String { try folder().appendingPathComponent("focus-items.yaml").path }

    /// `templates/` inside the bundle: the `.mustache` files of the printable plan (Reports'
    /// `PlanHTML`). `PLANNER_TEMPLATES` names another folder holding them (a bureau's own layout).
    public static func templatesFolder() throws -> String {
        if let own = ProcessInfo.processInfo.environment["PLANNER_TEMPLATES"], !own.isEmpty { return own }
        return try folder().appendingPathComponent("templates").path
    }

    /// Where the bundle would be beside the running binary: for messages when it is missing.
    public static var expectedFolder: URL {
        (searchFolders().first ?? URL(fileURLWithPath: ".")).appendingPathComponent(bundleName)
    }

    private static let located: Result<URL, ResourceError> = locate(in: searchFolders())

    /// The first folder of `folders` holding the bundle with its models.
    static func locate(in folders: [URL]) -> Result<URL, ResourceError> {
        let fm = FileManager.default
        var looked: [String] = []
        for folder in folders {
            let bundle = folder.appendingPathComponent(bundleName)
            looked.append(bundle.path)
            // Linux bundles are flat; macOS ones may keep their files in Contents/Resources.
            for inner in [bundle, bundle.appendingPathComponent("Contents/Resources")] {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: inner.appendingPathComponent("models").path, isDirectory: &isDir), isDir.boolValue {
                    return .success(inner)
                }
            }
        }
        return .failure(ResourceError(looked: looked))
    }

    private final class Marker {}
}

/// The resource bundle is not where the planner looks: the binary was copied without it; or a
/// file the bundle (or a folder named by an environment variable) should hold is missing or
/// unusable (`template`). Not an input problem, and not a bug: the installation is incomplete.
public struct ResourceError: Error, CustomStringConvertible, Sendable {
    /// Every bundle path tried (for a template: the file).
    public let looked: [String]
    /// For a template of the printable plan: what is wrong with it (missing, or its parser's words).
    public let template: String?

    public init(looked: [String], template: String? = nil) { self.looked = looked; self.template = template }

    public var description: String {
        let list = looked.joined(separator: "；")
        if let template {
            return "计划文书模板不可用 (printable-plan template unusable): \(list): \(template)。"
                + "模板在资源包的 templates/ 目录中，或在环境变量 PLANNER_TEMPLATES 所指的目录中；请重新安装，或改正 PLANNER_TEMPLATES"
                + " (the templates are in the bundle's templates/ folder, or in the folder PLANNER_TEMPLATES names: reinstall, or correct PLANNER_TEMPLATES)"
        }
        return "找不到程序的资源包 \(PlannerResources.bundleName)（其中有 models 模型文件与 focus-items.yaml），已查找：\(list)。"
            + "请把它与 planner 程序放在同一目录（make install 会这样安装），或设置环境变量 PLANNER_MODELS（模型目录）与 PLANNER_FOCUS_ITEMS（检查重点目录文件）"
            + " (resource bundle \(PlannerResources.bundleName) not found beside the planner binary: keep it next to the binary, as `make install` does, or set PLANNER_MODELS and PLANNER_FOCUS_ITEMS)"
    }
}
