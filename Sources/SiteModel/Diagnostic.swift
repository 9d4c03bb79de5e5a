/// One problem found in the site's sources, printed like a compiler's:
/// `Content/about.md:3:8: error: 'date' must be a real date YYYY-MM-DD, found "2024-02-30"`.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation?, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(at location: SourceLocation?, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: location, message)
    }

    public static func warning(at location: SourceLocation?, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: location, message)
    }

    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        switch (a.location, b.location) {
        case let (l?, r?): return l != r ? l < r : a.message < b.message
        case (nil, _?): return true
        case (_?, nil): return false
        case (nil, nil): return a.message < b.message
        }
    }
}

/// Thrown by a stage that found content errors: every problem it found, sorted by location.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted()
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects the diagnostics of one stage; `check()` throws when any of them is an error.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
    public mutating func append(contentsOf more: [Diagnostic]) { diagnostics.append(contentsOf: more) }
    public mutating func error(at location: SourceLocation?, _ message: String) {
        diagnostics.append(.error(at: location, message))
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning }.sorted() }

    /// Throws a `DiagnosticsError` with all diagnostics when any is an error.
    public func check() throws {
        if hasErrors { throw DiagnosticsError(diagnostics) }
    }
}
