import Foundation
import Logging
@_exported import SiteIO
@_exported import SiteModel
import SiteLoad
import SiteRender
import SiteWrite

public typealias SiteEnvironmentError = SiteLoad.SiteEnvironmentError

/// What a build is asked to do.
public struct BuildOptions: Sendable {
    /// The site's folder (holding `site.yaml`, `Content/`, `Templates/`).
    public var root: String
    /// Where the site is written; defaults to `<root>/Output`.
    public var output: String
    public var includeDrafts: Bool
    /// Overrides `base_url` from `site.yaml` for this build.
    public var baseURL: String?
    /// Today's date, for checks such as "a partnership cannot start in the future" (the clock is injected).
    public var today: CalendarDate?

    public init(root: String, output: String? = nil, includeDrafts: Bool = false, baseURL: String? = nil,
                today: CalendarDate? = nil) {
        self.today = today
        self.root = root
        self.output = output ?? joinPath(root, "Output")
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
    }
}

/// What a build did: counts, time per stage, warnings.
public struct BuildReport: Sendable {
    public struct Stage: Sendable {
        public var name: String
        public var milliseconds: Double
        public var summary: String
    }

    public var pages: Int
    public var files: Int
    public var bytes: Int
    public var stages: [Stage]
    public var warnings: [Diagnostic]

    public var totalMilliseconds: Double { stages.reduce(0) { $0 + $1.milliseconds } }
}

/// Runs the pipeline (load → render → write), timing each stage and logging one line per stage.
/// The CLI and the preview server both build through this façade.
public struct SiteBuilder: Sendable {
    public var options: BuildOptions
    public var fileSystem: any FileSystem
    public var logger: Logger

    public init(options: BuildOptions, fileSystem: any FileSystem = DiskFileSystem(),
                logger: Logger = Logger(label: "orbis")) {
        self.options = options
        self.fileSystem = fileSystem
        self.logger = logger
    }

    /// Builds the site. Throws `DiagnosticsError` for content problems (nothing is written) and
    /// `SiteEnvironmentError` when the site's folders are missing.
    public func build() throws -> BuildReport {
        var stages: [BuildReport.Stage] = []
        func stage<T>(_ name: String, _ work: () throws -> T, summary: (T) -> String) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try work()
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            let line = summary(result)
            stages.append(.init(name: name, milliseconds: ms, summary: line))
            logger.info("\(line) in \(Self.format(ms))")
            return result
        }

        var site = try stage("load", { try SiteLoader(fileSystem: fileSystem).load(
                root: options.root, includeDrafts: options.includeDrafts,
                today: options.today) }) {
            "Loaded \($0.pages.count) pages, \($0.partners.count) partners, \($0.data.count) data files, \($0.templates.count) templates, \($0.assets.count) files to copy"
        }
        if let baseURL = options.baseURL {
            site.config.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        }
        let rendered = try stage("render", { try PageRenderer(site: site).renderAll() }) {
            "Rendered \($0.count) pages"
        }
        let files = rendered.map { OutputFile(path: $0.outputPath, text: $0.html) }
            + SiteExports.files(for: site, routes: rendered.filter { $0.outputPath.hasSuffix("/index.html") || $0.outputPath == "index.html" }.map(\.route))
        let written = try stage("write", {
            try OutputWriter(fileSystem: fileSystem).write(files: files, assets: site.assets, to: options.output)
        }) { "Wrote \($0.files) files (\(Self.formatBytes($0.bytes)) of pages)" }
        return BuildReport(pages: rendered.count, files: written.files, bytes: written.bytes, stages: stages, warnings: [])
    }

    /// `3.2 ms` under ten milliseconds, `24 ms` above: how every timing is shown.
    public static func format(_ ms: Double) -> String {
        ms < 10 ? String(format: "%.1f ms", ms) : String(format: "%.0f ms", ms)
    }

    static func formatBytes(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1024 * 1024 ? String(format: "%.1f KB", Double(bytes) / 1024)
            : String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
