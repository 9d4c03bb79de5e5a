import Foundation
import Logging
import SiteBuild

/// Writes to the terminal, flushing every line (stdout is block-buffered when it is a pipe).
enum Terminal {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }

    static func printDiagnostics(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics.sorted() {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
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
