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

/// Writes a built site into its output folder in one atomic swap: everything goes into a temporary folder
/// beside the output, which replaces the old output only when complete. A failure leaves the previous output
/// as it was and no temporary folder behind; files whose sources were deleted disappear.
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
        let items = entries.sorted { $0.path < $1.path }.map {
            JSONText.object([("path", JSONText.string($0.path)), ("size", String($0.size)), ("sha256", JSONText.string($0.sha256))])
        }
        return "{\"files\": [\n" + items.map { "  " + $0 }.joined(separator: ",\n") + "\n]}\n"
    }

    /// What is published: every file with its bytes, digest and (with `gzip`) compressed twin, in order.
    struct Prepared {
        var file: OutputFile
        var sha: String
        var path: String { file.path }
    }

    func prepare(files: [OutputFile], assets: [AssetFile], options: WriteOptions,
                 knownDigests: [String: String]) throws -> [Prepared] {
        // Everything published, in order: copied files, then generated ones.
        let published = try assets.map { OutputFile(path: $0.outputPath, contents: try fileSystem.readFile($0.sourcePath)) } + files
        // Digests and compression on all cores.
        return parallelMap(published) { file -> [Prepared] in
            var result = [Prepared(file: file, sha: knownDigests[file.path] ?? file.withBytes { SHA256.hex($0) })]
            if options.gzip, WriteOptions.isCompressible(file.path) {
                let packed = file.withBytes { Gzip.compress($0) }
                result.append(Prepared(file: OutputFile(path: file.path + ".gz", contents: packed),
                                       sha: SHA256.hex(packed)))
            }
            return result
        }.flatMap { $0 }
    }

    /// Writes the site. When the previous build's manifest describes the output folder, the folder is updated
    /// in place: files with the same bytes are left alone, changed ones are each replaced atomically (written
    /// beside, then renamed over), files no longer built are deleted. Otherwise (first build, no manifest, a
    /// manifest that does not match) the whole site is written into a staging folder beside the output and
    /// swapped in. Content errors never reach this stage, so a failed build never touches the output.
    /// - Parameter knownDigests: SHA-256 of files whose bytes the caller knows are those of an earlier write.
    /// - Parameter previous: the manifest this writer last wrote for `output`, when the caller kept it
    ///   (saves reading and parsing it; only for a folder nobody else writes).
    public func write(files: [OutputFile], assets: [AssetFile], to output: String,
                      options: WriteOptions = .init(), knownDigests: [String: String] = [:],
                      previous kept: [String: ManifestEntry]? = nil) throws -> WriteSummary {
        try Self.checkForCollisions(files: files, assets: assets)
        let prepared = try prepare(files: files, assets: assets, options: options, knownDigests: knownDigests)
        let entries = prepared.map { ManifestEntry(path: $0.path, size: $0.file.count, sha256: $0.sha) }
        let bytes = files.reduce(0) { $0 + $1.count }
        let compressed = options.gzip ? prepared.count - files.count - assets.count : 0
        let manifestPath = Self.manifestPath(for: output)
        if fileSystem.directoryExists(output), fileSystem.fileExists(manifestPath),
           let previous = try kept ?? Self.parseManifest(try fileSystem.readText(manifestPath)) {
            var summary = try update(output, with: prepared, previous: previous, verify: options.verifyUnchanged)
            try writeManifest(entries, to: output)
            summary.bytes = bytes
            summary.compressed = compressed
            summary.entries = entries
            return summary
        }
        try stage(output, prepared)
        try writeManifest(entries, to: output)
        return WriteSummary(files: files.count + assets.count, bytes: bytes, manifestPath: manifestPath, compressed: compressed,
                            entries: entries)
    }

    /// The manifest, written beside the output and renamed into place.
    func writeManifest(_ entries: [ManifestEntry], to output: String) throws {
        let (parent, name) = Self.split(output)
        let staging = joinPath(parent, ".\(name).manifest.json.orbis-new")
        try fileSystem.writeFile(staging, Array(Self.manifest(entries).utf8))
        try fileSystem.moveItem(from: staging, to: Self.manifestPath(for: output))
    }

    /// A whole new folder beside the output, swapped in when complete.
    func stage(_ output: String, _ prepared: [Prepared]) throws {
        let (parent, name) = Self.split(output)
        let staging = joinPath(parent, ".\(name).orbis-new")
        let retired = joinPath(parent, ".\(name).orbis-old")
        try fileSystem.removeItem(staging)
        try fileSystem.removeItem(retired)
        do {
            try fileSystem.createDirectory(staging)
            var made: Set<String> = [staging]
            for file in prepared {
                let destination = joinPath(staging, file.path)
                let folder = Self.split(destination).parent
                if made.insert(folder).inserted { try fileSystem.createDirectory(folder) }
                try file.file.withBytes { try fileSystem.writeFile(destination, bytes: $0) }
            }
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
            try? fileSystem.removeItem(staging)
            throw error
        }
        try fileSystem.removeItem(retired)
    }

    /// The in-place update against the previous manifest.
    func update(_ output: String, with prepared: [Prepared], previous: [String: ManifestEntry], verify: Bool) throws -> WriteSummary {
        var written = 0, unchanged = 0
        // Folders the previous build left (relative to the output), so only new ones are created.
        var folders: Set<String> = []
        for path in previous.keys { folders.formUnion(Self.folders(of: path)) }
        var current: Set<String> = []
        for file in prepared {
            current.insert(file.path)
            let destination = joinPath(output, file.path)
            if let old = previous[file.path], old.sha256 == file.sha, old.size == file.file.count,
               !verify || fileSystem.stamp(destination)?.size == old.size {
                unchanged += 1
                continue
            }
            let needed = Self.folders(of: file.path)
            if let deepest = needed.first, !folders.contains(deepest) {
                try fileSystem.createDirectory(joinPath(output, deepest))
                folders.formUnion(needed)
            }
            let temporary = Self.split(destination).parent + "/.\(Self.split(destination).name).orbis-new"
            try file.file.withBytes { try fileSystem.writeFile(temporary, bytes: $0) }
            try fileSystem.moveItem(from: temporary, to: destination)
            written += 1
        }
        // Files no longer built, then the folders they leave empty (deepest first).
        var emptied: Set<String> = []
        for path in previous.keys where !current.contains(path) {
            try fileSystem.removeItem(joinPath(output, path))
            emptied.formUnion(Self.folders(of: path))
        }
        for folder in emptied.sorted(by: { $0.count > $1.count }) {
            let path = joinPath(output, folder)
            if fileSystem.directoryExists(path), (try? fileSystem.contentsOfDirectory(path).isEmpty) == true {
                try fileSystem.removeItem(path)
            }
        }
        return WriteSummary(files: written, bytes: 0, manifestPath: Self.manifestPath(for: output),
                            unchanged: unchanged, incremental: true)
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
        var result: [String: ManifestEntry] = [:]
        let lines = text.split(separator: "\n")
        guard lines.first == #"{"files": ["#, lines.last == "]}" else { return nil }
        for line in lines.dropFirst().dropLast() {
            var rest = line.drop { $0 == " " }
            guard rest.hasPrefix(#"{"path":""#) else { return nil }
            rest = rest.dropFirst(9)
            guard let (path, after) = JSONText.parseString(rest), after.hasPrefix(#","size":"#) else { return nil }
            let sizeText = after.dropFirst(8).prefix { $0.isNumber }
            let shaPart = after.dropFirst(8 + sizeText.count)
            guard let size = Int(sizeText), shaPart.hasPrefix(#","sha256":""#) else { return nil }
            let sha = shaPart.dropFirst(11).prefix(64)
            guard sha.count == 64 else { return nil }
            result[path] = ManifestEntry(path: path, size: size, sha256: String(sha))
        }
        return result
    }
    /// Two sources that would write the same output file are an error naming both.
    static func checkForCollisions(files: [OutputFile], assets: [AssetFile]) throws {
        var owners: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for asset in assets {
            if let other = owners[asset.outputPath] {
                diagnostics.append(.error(at: SourceLocation(file: asset.sourcePath),
                    "writes \(asset.outputPath), which \(other) writes too; rename one of them"))
            }
            owners[asset.outputPath] = asset.sourcePath
        }
        for file in files {
            if let other = owners[file.path] {
                diagnostics.append(.error(at: nil,
                    "two sources write \(file.path) (one is \(other)); rename one of them"))
            }
            owners[file.path] = "a generated page"
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
