import Foundation
import SiteIO
import SiteModel

/// What a write did.
public struct WriteSummary: Sendable {
    public var files: Int
    public var bytes: Int
    /// Where the manifest was written.
    public var manifestPath: String
    /// Precompressed `.gz` files written (with `gzip`).
    public var compressed: Int = 0
    /// The manifest's entries: every published file's size and SHA-256.
    public var entries: [ManifestEntry] = []
    /// Files left as they were because the previous build wrote the same bytes (incremental update).
    public var unchanged: Int = 0
    /// Whether the output was updated in place (true) or staged and swapped in whole (false).
    public var incremental = false
}

/// One published file in the build manifest.
public struct ManifestEntry: Sendable, Hashable {
    public var path: String
    public var size: Int
    public var sha256: String
}

/// What to write besides the site itself.
public struct WriteOptions: Sendable {
    /// Write `name.gz` beside each HTML, CSS, JS, SVG, JSON, XML and text file (for `gzip_static` and the like).
    public var gzip: Bool
    /// On an in-place update, check that each file the manifest says is unchanged is still there with its
    /// size (someone may have touched the output). Only a folder nobody else writes can skip it.
    public var verifyUnchanged: Bool

    public init(gzip: Bool = false, verifyUnchanged: Bool = true) {
        self.gzip = gzip
        self.verifyUnchanged = verifyUnchanged
    }

    static let compressible: Set<String> = ["html", "css", "js", "mjs", "svg", "json", "xml", "txt", "map"]

    static func isCompressible(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return compressible.contains(path[path.index(after: dot)...].lowercased())
    }
}

/// Writes a built site into its output folder. Files go first into a staging folder beside the output
/// (through an `OutputSession`, as they are made); only `commit` changes the output — swapping the staging
/// folder in, or moving changed files over their old versions when the previous manifest describes the
/// output. A failure leaves the previous output as it was and no staging folder behind; files whose sources
/// were deleted disappear.
public struct OutputWriter: Sendable {
    public var fileSystem: any FileSystem

    public init(fileSystem: any FileSystem) {
        self.fileSystem = fileSystem
    }

    /// The manifest of the output folder `output`: `<output>.manifest.json` beside it, never inside it, so it
    /// is not published with the site.
    public static func manifestPath(for output: String) -> String {
        let (parent, name) = split(output)
        return joinPath(parent, "\(name).manifest.json")
    }

    /// The manifest's text: every published file with its size and SHA-256, sorted by path.
    public static func manifest(_ entries: [ManifestEntry]) -> String {
        var text = "{\"files\": [\n"
        text.reserveCapacity(entries.count * (entries.first.map { $0.path.utf8.count + 110 } ?? 0) + 16)
        for (index, entry) in entries.sorted(by: { $0.path < $1.path }).enumerated() {
            if index > 0 { text += ",\n" }
            text += "  {\"path\":" + JSONText.string(entry.path) + ",\"size\":" + String(entry.size)
                + ",\"sha256\":\"" + entry.sha256 + "\"}"
        }
        return text + "\n]}\n"
    }

    /// Writes the site: `begin`, every file added (on all cores), `commit`. When the previous build's manifest
    /// describes the output folder, the folder is updated in place: files with the same bytes are left alone,
    /// changed ones are each replaced atomically, files no longer built are deleted. Otherwise (first build,
    /// no manifest, a manifest that does not match) the whole site is written into a staging folder beside
    /// the output and swapped in. Content errors never reach this stage, so a failed build never touches the
    /// output.
    /// - Parameter knownDigests: SHA-256 of files whose bytes the caller knows are those of an earlier write.
    /// - Parameter previous: the manifest this writer last wrote for `output`, when the caller kept it
    ///   (saves reading and parsing it; only for a folder nobody else writes).
    public func write(files: [OutputFile], assets: [AssetFile], to output: String,
                      options: WriteOptions = .init(), knownDigests: [String: String] = [:],
                      previous kept: [String: ManifestEntry]? = nil) throws -> WriteSummary {
        try Self.checkForCollisions(paths: files.map(\.path), assets: assets)
        let session = try begin(output, options: options, knownDigests: knownDigests, previous: kept)
        do {
            let assetEntries = try session.add(assets)
            let outcomes = parallelMap(files) { file in Result { try session.add(file) } }
            let entries = try assetEntries + outcomes.flatMap { try $0.get() }
            return try session.commit(entries: entries, pageBytes: files.reduce(0) { $0 + $1.count })
        } catch {
            session.discard()
            throw error
        }
    }

    /// Starts writing `output`: files are then added, from any thread, as they are made, and published
    /// together by `commit` (or dropped by `discard`, leaving the output as it was).
    public func begin(_ output: String, options: WriteOptions = .init(), knownDigests: [String: String] = [:],
                      previous kept: [String: ManifestEntry]? = nil) throws -> OutputSession {
        let manifestPath = Self.manifestPath(for: output)
        var previous: [String: ManifestEntry]?
        if fileSystem.directoryExists(output), fileSystem.fileExists(manifestPath) {
            previous = try kept ?? Self.parseManifest(try fileSystem.readText(manifestPath))
        }
        return try OutputSession(writer: self, output: output, options: options, knownDigests: knownDigests, previous: previous)
    }

    /// The manifest, written beside the output and renamed into place.
    func writeManifest(_ entries: [ManifestEntry], to output: String) throws {
        let (parent, name) = Self.split(output)
        let staging = joinPath(parent, ".\(name).manifest.json.orbis-new")
        try fileSystem.writeFile(staging, Array(Self.manifest(entries).utf8))
        try fileSystem.moveItem(from: staging, to: Self.manifestPath(for: output))
    }

    /// The folders that hold `path`, deepest first: `a/b/c.html` → `a/b`, `a`.
    static func folders(of path: String) -> [String] {
        var parts = path.split(separator: "/").dropLast()
        var result: [String] = []
        while !parts.isEmpty {
            result.append(parts.joined(separator: "/"))
            parts = parts.dropLast()
        }
        return result
    }

    /// Reads a manifest written by `manifest(_:)`; nil when it is not one.
    static func parseManifest(_ text: String) -> [String: ManifestEntry]? {
        // On the bytes: it is read before every build (10,000 lines at 10,000 pages).
        let pathStart = Array(#"{"path":""#.utf8), sizeStart = Array(#","size":"#.utf8)
        let shaStart = Array(#","sha256":""#.utf8)
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"))
        guard let first = lines.first, first.elementsEqual(#"{"files": ["#.utf8),
              let last = lines.last, last.elementsEqual("]}".utf8) else { return nil }
        var result: [String: ManifestEntry] = [:]
        result.reserveCapacity(lines.count)
        for line in lines.dropFirst().dropLast() {
            var rest = line.drop { $0 == UInt8(ascii: " ") }
            guard rest.starts(with: pathStart) else { return nil }
            rest = rest.dropFirst(pathStart.count)
            guard let (path, afterPath) = JSONText.parseString(Substring(rest)) else { return nil }
            var after = afterPath.utf8[...]
            guard after.starts(with: sizeStart) else { return nil }
            after = after.dropFirst(sizeStart.count)
            let digits = after.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard let size = Int(Substring(digits)) else { return nil }
            after = after.dropFirst(digits.count)
            guard after.starts(with: shaStart) else { return nil }
            let sha = after.dropFirst(shaStart.count).prefix(64)
            guard sha.count == 64 else { return nil }
            result[path] = ManifestEntry(path: path, size: size, sha256: String(Substring(sha)))
        }
        return result
    }

    /// Two sources that would write the same output file are an error naming both.
    public static func checkForCollisions(paths: [String], assets: [AssetFile]) throws {
        var owners: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for asset in assets {
            if let other = owners[asset.outputPath] {
                diagnostics.append(.error(at: SourceLocation(file: asset.sourcePath),
                    "writes \(asset.outputPath), which \(other) writes too; rename one of them"))
            }
            owners[asset.outputPath] = asset.sourcePath
        }
        for path in paths {
            if let other = owners[path] {
                diagnostics.append(.error(at: nil,
                    "two sources write \(path) (one is \(other)); rename one of them"))
            }
            owners[path] = "a generated page"
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
    }

    static func split(_ path: String) -> (parent: String, name: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
        let parent = trimmed[..<slash]
        return (parent.isEmpty ? "/" : String(parent), String(trimmed[trimmed.index(after: slash)...]))
    }
}

/// One write of an output folder in progress. Every file goes to a staging folder beside the output
/// (`.<name>.orbis-new`) as it is added — all of them for a full write, only those that differ from the
/// previous manifest for an in-place update — and nothing reaches the output before `commit`.
public final class OutputSession: @unchecked Sendable {
    let writer: OutputWriter
    let output: String
    let options: WriteOptions
    let knownDigests: [String: String]
    /// The manifest of what the output holds now; nil for a full write (staged, then swapped in).
    let previous: [String: ManifestEntry]?
    let staging: String
    /// Folders made in the staging folder, and files staged for an in-place update.
    private let lock = NSLock()
    private var madeFolders: Set<String> = []
    private var staged: [String] = []
    private var compressed = 0

    var fileSystem: any FileSystem { writer.fileSystem }

    init(writer: OutputWriter, output: String, options: WriteOptions, knownDigests: [String: String],
         previous: [String: ManifestEntry]?) throws {
        self.writer = writer
        self.output = output
        self.options = options
        self.knownDigests = knownDigests
        self.previous = previous
        let (parent, name) = OutputWriter.split(output)
        staging = joinPath(parent, ".\(name).orbis-new")
        try fileSystem.removeItem(staging)  // left by a build that was killed
        try fileSystem.createDirectory(staging)
    }

    /// Whether the output is updated in place (else written whole and swapped in).
    public var isIncremental: Bool { previous != nil }

    /// Digests `file` (and, with `gzip`, its compressed twin) and stages it unless the output already holds
    /// those bytes. Returns its manifest entries. Safe to call from several threads at once.
    public func add(_ file: OutputFile) throws -> [ManifestEntry] {
        var entries = [try stage(file, sha: knownDigests[file.path] ?? file.withBytes { SHA256.hex($0) })]
        if options.gzip, WriteOptions.isCompressible(file.path) {
            let packed = file.withBytes { Gzip.compress($0) }
            entries.append(try stage(OutputFile(path: file.path + ".gz", contents: packed), sha: SHA256.hex(packed)))
            lock.withLock { compressed += 1 }
        }
        return entries
    }

    /// Adds the site's copied files (read from their sources).
    public func add(_ assets: [AssetFile]) throws -> [ManifestEntry] {
        try assets.flatMap { try add(OutputFile(path: $0.outputPath, contents: try fileSystem.readFile($0.sourcePath))) }
    }

    private func stage(_ file: OutputFile, sha: String) throws -> ManifestEntry {
        let entry = ManifestEntry(path: file.path, size: file.count, sha256: sha)
        if let previous, let old = previous[file.path], old.sha256 == sha, old.size == file.count,
           !options.verifyUnchanged || fileSystem.stamp(joinPath(output, file.path))?.size == old.size {
            return entry
        }
        let destination = joinPath(staging, file.path)
        let folder = OutputWriter.split(destination).parent
        if lock.withLock({ !madeFolders.contains(folder) }) {
            try fileSystem.createDirectory(folder)
            lock.withLock { _ = madeFolders.insert(folder) }
        }
        try file.withBytes { try fileSystem.writeFile(destination, bytes: $0) }
        if previous != nil { lock.withLock { staged.append(file.path) } }
        return entry
    }

    /// Publishes what was added: `entries` must be every entry `add` returned (any order). For an in-place
    /// update, moves each staged file over its old version and deletes files no longer built (and the
    /// folders they leave empty); for a full write, swaps the staging folder in for the output. Then writes
    /// the manifest.
    /// - Parameter pageBytes: the size of the generated files (for the summary).
    public func commit(entries: [ManifestEntry], pageBytes: Int) throws -> WriteSummary {
        let compressed = lock.withLock { self.compressed }
        let files = entries.count - compressed
        let summary: WriteSummary
        if let previous {
            summary = try update(previous, entries)
        } else {
            try swap()
            summary = WriteSummary(files: files, bytes: 0, manifestPath: "")
        }
        try writer.writeManifest(entries, to: output)
        var result = summary
        result.bytes = pageBytes
        result.compressed = compressed
        result.entries = entries
        result.manifestPath = OutputWriter.manifestPath(for: output)
        return result
    }

    /// Drops everything staged; the output stays as it was.
    public func discard() {
        try? fileSystem.removeItem(staging)
    }

    private func swap() throws {
        let (parent, name) = OutputWriter.split(output)
        let retired = joinPath(parent, ".\(name).orbis-old")
        try fileSystem.removeItem(retired)
        do {
            if fileSystem.kind(of: output) != nil {
                try fileSystem.moveItem(from: output, to: retired)
            }
            do {
                try fileSystem.moveItem(from: staging, to: output)
            } catch {
                if fileSystem.kind(of: retired) != nil { try? fileSystem.moveItem(from: retired, to: output) }
                throw error
            }
        } catch {
            discard()
            throw error
        }
        try fileSystem.removeItem(retired)
    }

    private func update(_ previous: [String: ManifestEntry], _ entries: [ManifestEntry]) throws -> WriteSummary {
        let moved = lock.withLock { staged.sorted() }
        // Folders the previous build left (relative to the output), so only new ones are created.
        var folders: Set<String> = []
        if !moved.isEmpty {
            for path in previous.keys { folders.formUnion(OutputWriter.folders(of: path)) }
        }
        for path in moved {
            let needed = OutputWriter.folders(of: path)
            if let deepest = needed.first, !folders.contains(deepest) {
                try fileSystem.createDirectory(joinPath(output, deepest))
                folders.formUnion(needed)
            }
            try fileSystem.moveItem(from: joinPath(staging, path), to: joinPath(output, path))
        }
        try fileSystem.removeItem(staging)
        // Files no longer built, then the folders they leave empty (deepest first).
        let current = Set(entries.map(\.path))
        var emptied: Set<String> = []
        for path in previous.keys where !current.contains(path) {
            try fileSystem.removeItem(joinPath(output, path))
            emptied.formUnion(OutputWriter.folders(of: path))
        }
        for folder in emptied.sorted(by: { $0.count > $1.count }) {
            let path = joinPath(output, folder)
            if fileSystem.directoryExists(path), (try? fileSystem.contentsOfDirectory(path).isEmpty) == true {
                try fileSystem.removeItem(path)
            }
        }
        return WriteSummary(files: moved.count, bytes: 0, manifestPath: "", unchanged: entries.count - moved.count,
                            incremental: true)
    }
}
