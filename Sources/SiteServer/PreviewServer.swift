import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import SiteBuild
import Synchronization

/// What `orbis serve` is asked to do.
public struct ServeOptions: Sendable {
    public var root: String
    public var host: String
    public var port: Int
    public var includeDrafts: Bool
    public var today: CalendarDate?
    /// Quiet time after the last change before rebuilding (an editor's atomic save or a burst of saves → one build).
    public var debounce: Duration
    public var forcePolling: Bool
    /// A connection with no request in flight for this long is closed (open reload streams are not idle).
    public var idleTimeout: Duration

    public init(root: String, host: String = "127.0.0.1", port: Int = 8000, includeDrafts: Bool = false,
                today: CalendarDate? = nil, debounce: Duration = .milliseconds(20), forcePolling: Bool = false,
                idleTimeout: Duration = .seconds(30)) {
        self.idleTimeout = idleTimeout
        self.root = root
        self.host = host
        self.port = port
        self.includeDrafts = includeDrafts
        self.today = today
        self.debounce = debounce
        self.forcePolling = forcePolling
    }
}

/// Raised when the server cannot start.
public enum ServeError: Error, CustomStringConvertible {
    case portInUse(host: String, port: Int)

    public var description: String {
        switch self {
        case let .portInUse(host, port): "\(host):\(port) is already in use; stop the other server or pass --port N"
        }
    }
}

/// The preview server: builds the site into a private folder (never `Output/`), serves it, rebuilds on every
/// change and tells open pages to reload once the new build is complete. A failed rebuild keeps the last good
/// site and shows its errors on the open pages.
public struct PreviewServer: Sendable {
    public var options: ServeOptions
    /// Receives each line to show in the terminal.
    public var print: @Sendable (String) -> Void

    public init(options: ServeOptions, print: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.print = print
    }

    public func run() async throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workspace) }

        // The private folders follow the rules of any output (a TMPDIR inside Content/ would publish itself).
        try SiteBuilder(options: BuildOptions(root: options.root, output: workspace + "/site-a")).refuseProtectedOutput()
        let state = PreviewState()
        let builds = Builds(options: options, workspace: workspace, state: state, print: print)

        // The address comes first (the line a user needs), then the first build's line; a page opened
        // meanwhile says the site is being built and reloads when it is.
        let print = self.print
        let watcher = ChangeWatcher(root: options.root, forcePolling: options.forcePolling) { print("warning: \($0)") }
        // The first build starts once the server listens (and has printed its address).
        let (listening, started) = AsyncStream.makeStream(of: Void.self)
        let rebuildLoop = Task {
            for await _ in listening { break }
            if Task.isCancelled { return }
            await builds.rebuild()
            await builds.follow(watcher)
        }

        let hosts = Mutex<Set<String>>([])
        let responder = FileResponder(state: state, allowedHosts: { hosts.withLock { $0 } })
        let host = options.host
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            print("warning: serving on \(host) makes the preview reachable from other machines")
        }
        let app = Application(
            responder: responder,
            server: HTTPServerBuilder { [idleTimeout = options.idleTimeout] responder in
                StrictHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: .init(
                    idleTimeout: .nanoseconds(idleTimeout.components.seconds * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000))))
            },
            configuration: .init(address: .hostname(host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                var names: Set<String> = ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)"]
                names.insert((host.contains(":") ? "[\(host)]" : host).lowercased() + ":\(port)")
                hosts.withLock { $0 = names }
                let shown = host.contains(":") ? "[\(host)]" : host
                print("Serving at http://\(shown):\(port)/ (Ctrl-C to stop)")
                started.yield()
                started.finish()
            },
            logger: Logger(label: "orbis-serve") { _ in SwiftLogNoOpLogHandler() }
        )
        var failure: (any Error)?
        do { try await app.runService() } catch { failure = error }
        // A rebuild may be writing into a private folder: it ends before the folders are removed (the
        // deferred removal above), or it would make them again after.
        if builds.building.withLock({ $0 }) { print("Stopping when the rebuild in progress has finished writing") }
        watcher.stop()
        rebuildLoop.cancel()
        await rebuildLoop.value
        if let error = failure {
            if "\(error)".contains("Address already in use") {
                throw ServeError.portInUse(host: options.host, port: options.port)
            }
            throw error
        }
        state.finishAll()
    }
}

/// Runs builds one at a time and publishes each when complete. Builds alternate between two private folders:
/// each build updates the folder that is not being served (in place, from that folder's own manifest, so a
/// one-page edit rewrites a handful of files instead of the whole site), then the server switches to it.
actor Builds {
    let options: ServeOptions
    let workspace: String
    let state: PreviewState
    let print: @Sendable (String) -> Void
    /// Parsed and rendered pages kept between rebuilds, so an edit re-renders only what it changes.
    let cache = BuildCache()
    /// A rebuild is running (read when the server stops).
    nonisolated let building = Mutex(false)

    init(options: ServeOptions, workspace: String, state: PreviewState, print: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.workspace = workspace
        self.state = state
        self.print = print
    }

    /// Rebuilds after each burst of changes, once the burst has been quiet for `debounce`. A burst read in
    /// several pieces leaves several wake-ups behind: one that comes with no change since the last rebuild
    /// began (whose build saw it) builds nothing.
    func follow(_ watcher: ChangeWatcher) async {
        var builtAfter = -1
        for await _ in watcher.changes {
            while true {
                let seen = watcher.eventCount
                try? await Task.sleep(for: options.debounce)
                if Task.isCancelled { return }
                if watcher.eventCount == seen { break }
            }
            if watcher.eventCount == builtAfter { continue }
            builtAfter = watcher.eventCount
            await rebuild()
        }
    }

    func rebuild() async {
        // Never the folder being served (after a failed build, that is still the older one).
        let serving = state.folder
        let folder = workspace + (serving == workspace + "/site-a" ? "/site-b" : "/site-a")
        var buildOptions = BuildOptions(root: options.root, output: folder, includeDrafts: options.includeDrafts, today: options.today)
        buildOptions.privateOutput = true
        // The pages open in a browser are rendered first and shown as soon as they are (see `PreviewState`).
        let state = self.state
        buildOptions.firstPages = FirstPages(paths: { state.openPages() }, show: { state.showFirst($0) })
        let builder = SiteBuilder(
            options: buildOptions,
            logger: Logger(label: "orbis") { _ in SwiftLogNoOpLogHandler() }, cache: cache)
        building.withLock { $0 = true }
        defer { building.withLock { $0 = false } }
        do {
            let report = try builder.build()
            state.succeeded(folder: folder)
            for warning in report.warnings { print(warning.description) }
            let stages = report.stages.map { "\($0.name) \(SiteBuilder.format($0.milliseconds))" }.joined(separator: ", ")
            print("Built \(report.pages) pages in \(SiteBuilder.format(report.totalMilliseconds)) (\(stages))")
        } catch let error as DiagnosticsError {
            for diagnostic in error.diagnostics { print(diagnostic.description) }
            print("error: build failed; still serving the last good build")
            state.failed(error.diagnostics)
        } catch {
            print("error: \(error)")
            state.failed([.error(at: nil, "\(error)")])
        }
    }
}
