/// Every file a build will write, with where each comes from, checked before anything is rendered or
/// staged: two sources of one file, a file where another source needs a folder (`Content/notes` beside
/// `Content/notes.md`, `slug: people.json`), and two names that are one file on macOS, Windows and many
/// hosts (they differ only in case or in Unicode normalization). Each is an error naming both sources.
public struct OutputPlan: Sendable {
    public struct Entry: Sendable {
        /// Path inside the output (`programs/index.html`).
        public var path: String
        /// What writes it, for messages (`Content/programs/index.md`, `the person 'ada'`).
        public var source: String
        /// Where to report a problem with it.
        public var location: SourceLocation

        public init(path: String, source: String, location: SourceLocation) {
            self.path = path
            self.source = source
            self.location = location
        }
    }

    public var entries: [Entry] = []

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    public mutating func add(_ path: String, from source: String, at location: SourceLocation? = nil) {
        entries.append(Entry(path: path, source: source, location: location ?? .file(source)))
    }

    public func conflicts() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        // Exact bytes first (Swift's `==` on strings forgives normalization, a browser does not).
        var byBytes: [[UInt8]: Entry] = [:]
        for entry in entries {
            let key = Array(entry.path.utf8)
            if let other = byBytes[key] {
                if other.source != entry.source {
                    diagnostics.append(.error(at: entry.location,
                        "\(entry.source) and \(other.source) both publish \(entry.path); rename one of them (or give it another 'slug')"))
                }
                continue
            }
            byBytes[key] = entry
        }
        // A file where a folder must be.
        for entry in byBytes.values.sorted(by: { $0.path < $1.path }) {
            var prefix: [UInt8] = []
            for part in entry.path.split(separator: "/").dropLast() {
                if !prefix.isEmpty { prefix.append(UInt8(ascii: "/")) }
                prefix += part.utf8
                if let file = byBytes[prefix] {
                    diagnostics.append(.error(at: entry.location,
                        "\(entry.source) publishes \(entry.path), which needs a folder \(file.path), but \(file.source) publishes a file there; rename one of them"))
                    break
                }
            }
        }
        // One file where names are compared without case or normalization. Strings that are canonically
        // equivalent are equal keys, so grouping by the lowercased name finds both kinds.
        var folded: [String: [Entry]] = [:]
        for entry in byBytes.values { folded[entry.path.lowercased(), default: []].append(entry) }
        for group in folded.values where group.count > 1 {
            let sorted = group.sorted { ($0.path, $0.source) < ($1.path, $1.source) }
            let first = sorted[0]
            for other in sorted.dropFirst() {
                let how = Array(other.path.lowercased().utf8) == Array(first.path.lowercased().utf8)
                    ? "differ only in case" : "are the same name in two Unicode normalizations (NFC and NFD)"
                diagnostics.append(.error(at: other.location,
                    "\(other.source) publishes \(other.path) and \(first.source) publishes \(first.path): the names \(how), so they are one file on macOS, Windows and many hosts; rename one of them"))
            }
        }
        return diagnostics
    }
}
