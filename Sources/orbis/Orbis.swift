import ArgumentParser
import Foundation
import Logging
import SiteBuild

/// The `orbis` command line.
@main
struct Orbis: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "orbis",
        abstract: "A static site generator: Markdown and data in, a portable static site out.",
        version: version,
        subcommands: [Build.self],
        defaultSubcommand: nil
    )

    /// Exit codes: 0 built, 1 content errors, 2 bad arguments or environment.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as DiagnosticsError {
            Terminal.printDiagnostics(error.diagnostics)
            let count = error.diagnostics.filter { $0.severity == .error }.count
            Terminal.error("build failed with \(count) error\(count == 1 ? "" : "s"); nothing was written")
            Foundation.exit(1)
        } catch let error as SiteEnvironmentError {
            Terminal.error(error.message)
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

    func validate() throws {
        if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) || baseURL.count < 9 {
            throw ValidationError("--base-url must be an absolute http:// or https:// URL, found \"\(baseURL)\"")
        }
    }

    func run() throws {
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        let today = CalendarDate(year: now.year ?? 1970, month: now.month ?? 1, day: now.day ?? 1)
        let options = BuildOptions(root: root, output: output, includeDrafts: drafts, baseURL: baseURL, today: today)
        let logger = Logger(label: "orbis") { _ in PlainLogHandler() }
        let report = try SiteBuilder(options: options, logger: logger).build()
        Terminal.printDiagnostics(report.warnings)
        Terminal.out("Built \(report.pages) pages into \(options.output) in \(Terminal.milliseconds(report.totalMilliseconds))")
    }
}
