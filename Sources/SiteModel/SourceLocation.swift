/// A position in a source file, as a compiler reports it: path relative to the site root, 1-based line and column.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 1, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A whole file, when no line can be named (a template that produced a page): printed as just the path.
    public static func file(_ path: String) -> SourceLocation { SourceLocation(file: path, line: 0, column: 0) }

    public var description: String { line == 0 ? file : "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// Where a link in a page came from: its position in the Markdown, and the destination as the author wrote it
/// (before it was rewritten into a page-relative URL), so a problem with it quotes what the author sees.
public struct LinkOrigin: Sendable, Hashable {
    public var location: SourceLocation
    public var written: String

    public init(location: SourceLocation, written: String) {
        self.location = location
        self.written = written
    }
}
