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
    /// Whether the output was updated in place (true) or staged and renamed into place whole (false).
    public var incremental = false
    /// What the write found worth telling (files kept or replaced, a folder it could not remove).
    public var notes: [Diagnostic] = []
}

/// One published file in the build manifest.
public struct ManifestEntry: Sendable, Hashable {
    public var path: String
    public var size: Int
    public var sha256: String
}

/// A file a write was told to keep as it is was not what the output's manifest says (changed or removed
/// by hand): the caller builds it again.
public struct KeptFileChanged: Error {}

/// What to write besides the site itself.
public struct WriteOptions: Sendable {
    /// Write `name.gz` beside each HTML, CSS, JS, SVG, JSON, XML and text file (for `gzip_static` and the like).
    public var gzip: Bool
    /// On an in-place update, check that each file the manifest says is unchanged is still there with its
    /// size (someone may have touched the output). Only a folder nobody else writes can skip it.
    public var verifyUnchanged: Bool
    /// For tests of a killed build: the commit step at which the process kills itself (`staged`, `journal`,
    /// `marker`, `remove`, `move`, `moves`, `publish`, `manifest`, `done`).
    public var killAt: String?
    /// Flush the journal and the manifest to the disk before going on (`fsync`), so that a commit cut short
    /// by a crash or a power cut is repaired by the next build. Only a folder that is thrown away with the
    /// process that writes it (`orbis serve`'s private preview folders) can skip it.
    public var durable: Bool
    /// Write changed files straight into the output, without staging, exchanging or a journal: only for a
    /// folder nobody reads while it is written and that is thrown away if a write fails (`orbis serve`'s
    /// private folders, each written while the other is served). 10,000 changed files (a template edited) took
    /// 4.5 s to stage and exchange on this machine's ext4.
    public var direct: Bool

    public init(gzip: Bool = false, verifyUnchanged: Bool = true, durable: Bool = true, direct: Bool = false) {
        self.gzip = gzip
        self.verifyUnchanged = verifyUnchanged
        self.durable = durable
        self.direct = direct
    }

    static let compressible: Set<String> = ["html", "css", "js", "mjs", "svg", "json", "xml", "txt", "map"]

    static func isCompressible(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return compressible.contains(path[path.index(after: dot)...].lowercased())
    }
}

/// Writes a built site into its output folder. Files go first into a staging folder beside the output
/// (through an `OutputSession`, as they are made); only `commit` changes the output. The folder must be
/// Orbis's (see `claim`): a new or empty folder gets the staged site renamed into place; a folder Orbis built
/// is updated in place, each changed file exchanged with its old version, files no longer built deleted,
/// under a journal that lets the next build repair a commit that was cut short. A failure leaves the output
/// as it was and no staging folder behind.
public struct OutputWriter: Sendable {
    public var fileSystem: any FileSystem
    /// How many threads hash, compare and stage files.
    public var threads: Int

    public init(fileSystem: any FileSystem, threads: Int = Parallelism.processors) {
        self.fileSystem = fileSystem
        self.threads = threads
    }

    /// The manifest of the output folder `output`: `<output>.manifest.json` beside it, never inside it, so it
    /// is not published with the site.
    public static func manifestPath(for output: String) -> String {
        let (parent, name) = split(output)
        return joinPath(parent, "\(name).manifest.json")
    }

    /// The manifest's text: the folder's id, then every published file with its size and SHA-256, sorted by path.
    public static func manifest(_ entries: [ManifestEntry], id: String) -> String {
        var text = "{\"output\":\"\(id)\",\"files\": [\n"
        text.reserveCapacity(entries.count * (entries.first.map { $0.path.utf8.count + 110 } ?? 0) + 48)
        for (index, entry) in entries.sorted(by: { $0.path < $1.path }).enumerated() {
            if index > 0 { text += ",\n" }
            text += "  {\"path\":" + JSONText.string(entry.path) + ",\"size\":" + String(entry.size)
                + ",\"sha256\":\"" + entry.sha256 + "\"}"
        }
        return text + "\n]}\n"
    }

    /// Writes the site: `claim`, `begin`, every file added (on all cores), `commit`.
    /// - Parameter knownDigests: SHA-256 of files whose bytes the caller knows are those of an earlier write.
    /// - Parameter previous: the manifest this writer last wrote for `output`, when the caller kept it
    ///   (saves reading and parsing it; only for a folder nobody else writes).
    /// - Parameter keeping: files the output holds that the caller knows are unchanged, not given again
    ///   (`OutputSession.keep`); throws `KeptFileChanged` when one is not what the manifest says.
    public func write(files: [OutputFile], assets: [AssetFile], to claim: OutputClaim,
                      options: WriteOptions = .init(), knownDigests: [String: String] = [:],
                      previous kept: [String: ManifestEntry]? = nil, keeping: [String] = []) throws -> WriteSummary {
        try Self.checkForCollisions(paths: files.map(\.path) + keeping, assets: assets)
        let session = try begin(claim, options: options, knownDigests: knownDigests, previous: kept)
        do {
            guard let unchanged = keeping.isEmpty ? [] : session.keep(keeping) else { throw KeptFileChanged() }
            let assetEntries = try session.add(assets)
            let outcomes = parallelMap(files, threads: threads) { file in Result { try session.add(file) } }
            let entries = try assetEntries + unchanged + outcomes.flatMap { try $0.get() }
            let keptBytes = unchanged.reduce(0) { $0 + ($1.path.hasSuffix(".gz") ? 0 : $1.size) }
            return try session.commit(entries: entries, pageBytes: files.reduce(keptBytes) { $0 + $1.count })
        } catch {
            session.discard()
            throw error
        }
    }

    /// Starts writing the claimed output: files are then added, from any thread, as they are made, and
    /// published together by `commit` (or dropped by `discard`, leaving the output as it was).
    public func begin(_ claim: OutputClaim, options: WriteOptions = .init(), knownDigests: [String: String] = [:],
                      previous kept: [String: ManifestEntry]? = nil) throws -> OutputSession {
        try OutputSession(writer: self, claim: claim, options: options, knownDigests: knownDigests, previous: kept)
    }

    /// `text` written beside `path` and renamed over it, so that a reader finds the old text or the new one.
    func replaceFile(_ path: String, with text: String, durably: Bool) throws {
        let (parent, name) = Self.split(path)
        let staging = joinPath(parent, ".\(name).orbis-new")
        try fileSystem.writeFile(staging, Array(text.utf8))
        if durably { fileSystem.sync(staging) }
        try fileSystem.moveItem(from: staging, to: path)
        if durably { fileSystem.sync(parent) }
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

    /// The folders that removing `removed` can leave empty and that no path of `current` needs, deepest
    /// first. The folders of every current file are worked out only when files were removed (they are most
    /// of the work of a small update).
    static func emptiedFolders(removing removed: some Sequence<String>, keeping current: Set<String>) -> [String] {
        var emptied: Set<String> = []
        for path in removed { emptied.formUnion(folders(of: path)) }
        guard !emptied.isEmpty else { return [] }
        var needed: Set<String> = []
        for path in current { needed.formUnion(folders(of: path)) }
        return emptied.subtracting(needed).sorted { $0.count > $1.count }
    }

    /// A manifest as read back: the folder's id (nil in manifests from before ids) and its entries.
    struct ManifestFile {
        var id: String?
        var entries: [String: ManifestEntry]
    }

    /// Reads a manifest written by `manifest(_:id:)` (or by an Orbis from before ids); nil when it is not one,
    /// or when it names a path that is not a plain relative path inside the output (a manifest is input: it
    /// may come from a repository or a deploy bucket).
    static func parseManifest(_ text: String) -> ManifestFile? {
        // On the bytes: it is read before every build (10,000 lines at 10,000 pages).
        let pathStart = Array(#"{"path":""#.utf8), sizeStart = Array(#","size":"#.utf8)
        let shaStart = Array(#","sha256":""#.utf8)
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"))
        guard let first = lines.first, let last = lines.last, last.elementsEqual("]}".utf8) else { return nil }
        var id: String?
        if !first.elementsEqual(#"{"files": ["#.utf8) {
            let head = Substring(first)
            guard head.hasPrefix(#"{"output":""#), head.hasSuffix(#"","files": ["#) else { return nil }
            let value = head.dropFirst(#"{"output":""#.count).dropLast(#"","files": ["#.count)
            guard value.count == 16, value.allSatisfy(\.isHexDigit) else { return nil }
            id = String(value)
        }
        var result: [String: ManifestEntry] = [:]
        result.reserveCapacity(lines.count)
        for line in lines.dropFirst().dropLast() {
            var rest = line.drop { $0 == UInt8(ascii: " ") }
            guard rest.starts(with: pathStart) else { return nil }
            rest = rest.dropFirst(pathStart.count)
            guard let (path, afterPath) = JSONText.parseString(Substring(rest)), isSafeRelativePath(path) else { return nil }
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
        return ManifestFile(id: id, entries: result)
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

