import ArgumentParser
import Foundation
import Logging
import SiteBuild
import SiteServer

/// The `orbis` command line.
@main
struct Orbis: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "orbis",
        abstract: "A static site generator: Markdown and data in, a portable static site out.",
        version: version,
        subcommands: [New.self, Build.self, Check.self, Serve.self],
        defaultSubcommand: nil
    )

    /// This Orbis: its version and its executable's size and time, so that a build record written by another
    /// build of Orbis (which may render differently) is not used.
    static var engine: String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var info = stat()
        guard stat(path, &info) == 0 else { return "orbis \(version) \(path)" }
        return "orbis \(version) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
    }

    /// Exit codes: 0 built, 1 content errors, 2 bad arguments or environment.
    static func main() async {
        // A mistyped command gets the nearest one (ArgumentParser suggests options, not subcommands).
        let arguments = Array(CommandLine.arguments.dropFirst())
        let commands = configuration.subcommands.map { $0._commandName } + ["help"]
        if let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first) {
            Terminal.error("unknown command '\(first)'" + Suggestion.didYouMean(first, in: commands,
                otherwise: "; the commands are \(commands.dropLast().joined(separator: ", "))") + " (orbis --help lists them)")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as DiagnosticsError {
            Terminal.printDiagnostics(error.diagnostics)
            let count = error.diagnostics.filter { $0.severity == .error }.count
            Terminal.error("build failed with \(count) error\(count == 1 ? "" : "s"); nothing was written")
            Foundation.exit(1)
        } catch let error as SiteEnvironmentError {
            Terminal.error(error.message)
            Foundation.exit(2)
        } catch let error as OutputRefusal {
            Terminal.error(error.message)
            Foundation.exit(2)
        } catch let error as FileSystemError {
            Terminal.error(error.description)
            Foundation.exit(2)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as ServeError {
            Terminal.error(error.description)
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Terminal.out(fullMessage(for: error))
                Foundation.exit(0)
            }
            Terminal.error(fullMessage(for: error).replacingOccurrences(of: "Error: ", with: ""))
            Foundation.exit(2)
        }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder.")

    @Option(name: .long, help: "The site's folder (holding site.yaml, Content/, Templates/).")
    var root: String = "."

    @Option(name: .long, help: "Where to write the site (default: <root>/Output).")
    var output: String?

    @Flag(name: .long, help: "Include pages marked 'draft: true'.")
    var drafts = false

    @Option(name: .customLong("base-url"), help: "Absolute URL the site is published at, for sitemap and canonical links.")
    var baseURL: String?

    @Flag(name: .long, help: "Also write a precompressed .gz beside each HTML, CSS, JS, SVG, JSON, XML and text file.")
    var gzip = false

    @Option(name: .long, help: "Threads for rendering, checking and hashing (default: one per core).")
    var jobs: Int?

    @Flag(name: .long, help: "Build into a non-empty folder Orbis did not build: files the site writes replace those of the same name, all others are kept.")
    var force = false

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another build of the same output to finish.")
    var lockTimeout: Int = 120

    @Flag(name: .long, help: "Print only errors.")
    var quiet = false

    @Flag(name: .long, help: "Also print per-stage detail (memory after each stage, the check's scan time).")
    var verbose = false

    @Option(name: .long, help: "How to print diagnostics: text, json (one JSON object per line) or github (GitHub Actions annotations).")
    var format: DiagnosticFormat = .text

    @Flag(name: .long, help: "Render every page, not only what changed since the last build of this output (the record kept beside the output is written anew).")
    var full = false

    func validate() throws {
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be between 1 and 256") }
        if !(0...86_400).contains(lockTimeout) { throw ValidationError("--lock-timeout must be between 0 and 86400 seconds") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot go together; choose one") }
        if let baseURL, let problem = WebAddress.problem(baseURL, allowed: .http) {
            throw ValidationError("--base-url must be an absolute http:// or https:// URL, found \"\(baseURL)\": \(problem)")
        }
    }

    func run() throws {
        var options = BuildOptions(root: root, output: output, includeDrafts: drafts, baseURL: baseURL,
                                   today: Terminal.today(), gzip: gzip, jobs: jobs)
        options.endsProcess = true
        options.keepsRecord = true
        options.engine = Orbis.engine
        options.force = force
        options.lockTimeout = .seconds(lockTimeout)
        options.verbose = verbose
        // A progress line only where a person watches: a terminal, text diagnostics, not --quiet.
        if isatty(STDOUT_FILENO) == 1, !quiet, format == .text {
            options.progress = { ProgressLine.shared.update(done: $0, total: $1) }
        }
        Terminal.protect(&options)
        let quiet = self.quiet
        let logger = Logger(label: "orbis") { _ in PlainLogHandler(quiet: quiet) }
        let report = try SiteBuilder(options: options, logger: logger, cache: full ? BuildCache(keepsHTML: false) : nil).build()
        ProgressLine.shared.clear()
        if quiet { return }
        Terminal.printDiagnostics(report.warnings)
        Terminal.out("Built \(report.pages) pages into \(options.output) in \(SiteBuilder.format(report.totalMilliseconds)); manifest: \(report.manifestPath)")
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an existing output folder (links, anchors, ids, alt text, titles) and the site's data; writes nothing.")

    @Option(name: .long, help: "The site's folder (holding site.yaml, Content/, Templates/).")
    var root: String = "."

    @Option(name: .long, help: "The output folder to check (default: <root>/Output).")
    var output: String?

    @Flag(name: .long, help: "Include pages marked 'draft: true' (as the build did).")
    var drafts = false

    @Flag(name: .long, help: "List the external links and the pages that use them.")
    var external = false

    @Flag(name: .long, help: "Also request every external link (needs the network) and report those that fail.")
    var online = false

    @Option(name: .long, help: "How to print diagnostics: text, json (one JSON object per line) or github (GitHub Actions annotations).")
    var format: DiagnosticFormat = .text

    func run() async throws {
        var options = BuildOptions(root: root, output: output, includeDrafts: drafts, today: Terminal.today())
        Terminal.protect(&options)
        let logger = Logger(label: "orbis") { _ in PlainLogHandler() }
        let report = try SiteBuilder(options: options, logger: logger).check()
        var diagnostics = report.result.diagnostics
        let links = report.result.externalLinks
        if external || online {
            Terminal.out("\(links.count) external link\(links.count == 1 ? "" : "s"):")
            for (url, pages) in links.sorted(by: { $0.key < $1.key }) {
                Terminal.out("  \(url)  (\(pages.joined(separator: ", ")))")
            }
        }
        if online {
            for (url, problem) in await ExternalLinks.check(Array(links.keys)) {
                diagnostics.append(.error(at: SourceLocation(file: joinPath(options.output, links[url]?.first ?? "")),
                                          "external link '\(url)' \(problem)"))
            }
        }
        Terminal.printDiagnostics(diagnostics)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        guard errors == 0 else {
            Terminal.error("check found \(SiteBuilder.count(errors, "error")) and \(SiteBuilder.count(warnings, "warning")) in \(options.output)")
            throw ExitCode(1)
        }
        Terminal.out("No errors in \(report.pages) pages, \(report.files) files of \(options.output) (\(SiteBuilder.count(warnings, "warning")))")
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site with live reload (never writes Output/).")

    @Option(name: .long, help: "The site's folder (holding site.yaml, Content/, Templates/).")
    var root: String = "."

    @Option(name: .long, help: "Address to listen on; anything but loopback is reachable from other machines.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port: Int = 8000

    @Flag(name: .long, help: "Include pages marked 'draft: true'.")
    var drafts = false

    @Flag(name: .long, help: "Open the site in the default browser.")
    var open = false

    @Flag(name: .customLong("poll"), help: "Watch for changes by polling instead of inotify.")
    var poll = false

    @Option(name: .long, help: "Milliseconds without changes before a rebuild starts.")
    var debounce: Int = 20

    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle connection is closed.")
    var idleTimeout: Int = 30

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (0...10_000).contains(debounce) else { throw ValidationError("--debounce must be between 0 and 10000 ms") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 1 and 3600 s") }
        guard FileManager.default.fileExists(atPath: root + "/Content") else {
            throw SiteEnvironmentError("no Content/ folder in \(root); run orbis in a site's folder or pass --root DIR")
        }
    }

    func run() async throws {
        let options = ServeOptions(root: root, host: host, port: port, includeDrafts: drafts, today: Terminal.today(),
                                   debounce: .milliseconds(debounce), forcePolling: poll,
                                   idleTimeout: .seconds(idleTimeout))
        let open = self.open
        try await PreviewServer(options: options) { line in
            Terminal.out(line)
            if open, line.hasPrefix("Serving at "), let url = line.split(separator: " ").dropFirst(2).first {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["xdg-open", String(url)]
                try? process.run()
            }
        }.run()
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new site in a folder: site.yaml, a home page, a content page, a data collection, a theme.")

    @Argument(help: "The folder to create the site in (made if missing; it must be empty).")
    var folder: String

    func run() throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw SiteEnvironmentError("\(folder) is a file; give a new or empty folder for the site")
            }
            let entries = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
            guard entries.isEmpty else {
                throw SiteEnvironmentError("\(folder) is not empty (it has \(entries.sorted().prefix(3).joined(separator: ", "))\(entries.count > 3 ? ", …" : "")); "
                    + "orbis new writes only into a new or empty folder, so nothing of yours is overwritten: give another folder")
            }
        }
        for (path, text) in Starter.files {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((text + "\n").utf8).write(to: url, options: .withoutOverwriting)
        }
        Terminal.out("Created a site in \(folder): \(Starter.files.count) files")
        Terminal.out("Next: orbis serve --root \(folder)   (a preview that reloads as you save), or orbis build --root \(folder)")
    }
}
