import ArgumentParser
import Foundation
import Logging
import Synchronization
import SiteBuild

/// Writes to the terminal, flushing every line (stdout is block-buffered when it is a pipe).
enum Terminal {
    static func out(_ line: String) {
        ProgressLine.shared.clear()
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ message: String) {
        printDiagnostics([.error(at: nil, message)])
    }

    /// How diagnostics are written (`--format`), read from the arguments once: every path that prints
    /// one, including errors that end the process before a command runs, writes it the same way.
    static let format: DiagnosticFormat = {
        let arguments = Array(CommandLine.arguments.dropFirst())
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix("--format=") { return DiagnosticFormat(rawValue: String(argument.dropFirst(9))) ?? .text }
            if argument == "--format", index + 1 < arguments.count { return DiagnosticFormat(rawValue: arguments[index + 1]) ?? .text }
        }
        return .text
    }()

    static func printDiagnostics(_ diagnostics: [Diagnostic]) {
        ProgressLine.shared.clear()
        for diagnostic in diagnostics.sorted() {
            FileHandle.standardError.write(Data((format.line(for: diagnostic) + "\n").utf8))
        }
    }

    /// What the environment tells a build: the home folder (never an output), and, in debug builds, the
    /// commit step at which a test wants the process killed.
    static func protect(_ options: inout BuildOptions) {
        let environment = ProcessInfo.processInfo.environment
        options.home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        #if DEBUG
        options.killAt = environment["ORBIS_TEST_KILL_AT"]
        #endif
    }

    /// Today's date in UTC, for the checks that need one (the libraries never read the clock themselves).
    static func today() -> CalendarDate? {
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return CalendarDate(year: now.year ?? 1970, month: now.month ?? 1, day: now.day ?? 1)
    }

}

/// A log handler that prints the message alone, one line each, for progress lines.
struct PlainLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    /// `--quiet`: errors only (they are printed as diagnostics); no stage lines, notes or warnings.
    init(quiet: Bool = false) {
        if quiet { logLevel = .error }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        switch event.level {
        case .notice: Terminal.out("note: \(event.message)")
        case .warning, .error, .critical: Terminal.out("\(event.level): \(event.message)")
        default: Terminal.out("\(event.message)")
        }
    }
}

/// `--format`: diagnostics as text (`file:line:col: error: …`), as JSON lines, or as GitHub Actions
/// workflow commands (annotations on the pull request's diff).
enum DiagnosticFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, github

    func line(for diagnostic: Diagnostic) -> String {
        let location = diagnostic.location
        let code = DiagnosticCode.code(of: diagnostic)
        switch self {
        case .text:
            return diagnostic.description
        case .json:
            func number(_ value: Int?) -> String? { value.map(String.init) }
            let known = location.flatMap { $0.line == 0 ? nil : $0 }
            return JSONText.object([
                ("file", location.map { JSONText.string($0.file) }),
                ("line", number(known?.line)), ("column", number(known?.column)),
                ("severity", JSONText.string(diagnostic.severity.rawValue)),
                ("code", JSONText.string(code)),
                ("message", JSONText.string(diagnostic.message)),
                ("suggestion", DiagnosticCode.suggestion(in: diagnostic.message).map(JSONText.string)),
            ].filter { $0.1 != nil })
        case .github:
            // https://docs.github.com/actions/reference/workflow-commands-for-github-actions
            var properties: [String] = []
            if let location {
                properties.append("file=" + Self.property(location.file))
                if location.line > 0 { properties += ["line=\(location.line)", "col=\(location.column)"] }
            }
            properties.append("title=" + Self.property(code))
            return "::\(diagnostic.severity.rawValue) \(properties.joined(separator: ","))::" + Self.data(diagnostic.message)
        }
    }

    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// One progress line that updates in place while a large build renders ("Rendering 4,200 of 10,000 pages,
/// 3,900 a second"), on a terminal only: a pipe or a CI log gets none of it. Any other line clears it first.
final class ProgressLine: Sendable {
    static let shared = ProgressLine()
    /// Smaller builds finish before a progress line would be read.
    static let threshold = 1000

    private struct State {
        var shown = false
        var start: UInt64 = 0
        var last: UInt64 = 0
    }
    private let state = Mutex(State())

    func update(done: Int, total: Int) {
        guard total >= Self.threshold else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let line: String? = state.withLock { state in
            if state.start == 0 { state.start = now }
            // Ten updates a second at most, and always the last one.
            guard done == total || now - state.last > 100_000_000 else { return nil }
            state.last = now
            state.shown = true
            let seconds = Double(now - state.start) / 1e9
            let rate = seconds > 0.05 ? ", \(Int(Double(done) / seconds)) a second" : ""
            return "\rRendering \(done) of \(total) pages\(rate)\u{1B}[K"
        }
        if let line { FileHandle.standardOutput.write(Data(line.utf8)) }
    }

    func clear() {
        let shown = state.withLock { state in
            defer { state.shown = false }
            return state.shown
        }
        if shown { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
    }
}
