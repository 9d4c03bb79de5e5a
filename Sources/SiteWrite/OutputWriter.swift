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

    public init(gzip: Bool = false) {
        self.gzip = gzip
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

    public func write(files: [OutputFile], assets: [AssetFile], to output: String,
                      options: WriteOptions = .init()) throws -> WriteSummary {
        try Self.checkForCollisions(files: files, assets: assets)
        let (parent, name) = Self.split(output)
        let staging = joinPath(parent, ".\(name).orbis-new")
        let retired = joinPath(parent, ".\(name).orbis-old")
        let manifestPath = Self.manifestPath(for: output)
        let manifestStaging = joinPath(parent, ".\(name).manifest.json.orbis-new")
        try fileSystem.removeItem(staging)
        try fileSystem.removeItem(retired)
        var bytes = 0
        var entries: [ManifestEntry] = []
        var compressed = 0
        do {
            try fileSystem.createDirectory(staging)
            var made: Set<String> = [staging]
            func ensureParent(of path: String) throws {
                let folder = Self.split(path).parent
                if made.insert(folder).inserted { try fileSystem.createDirectory(folder) }
            }
            // Everything published, in order: copied files, then generated ones.
            let published = try assets.map { OutputFile(path: $0.outputPath, contents: try fileSystem.readFile($0.sourcePath)) } + files
            // Digests and compression on all cores; the writes stay in order on this thread.
            let prepared = parallelMap(published) { file -> (sha: String, packed: [UInt8]?, packedSHA: String?) in
                guard options.gzip, WriteOptions.isCompressible(file.path) else { return (SHA256.hex(file.contents), nil, nil) }
                let packed = Gzip.compress(file.contents)
                return (SHA256.hex(file.contents), packed, SHA256.hex(packed))
            }
            for (file, extra) in zip(published, prepared) {
                let destination = joinPath(staging, file.path)
                try ensureParent(of: destination)
                try fileSystem.writeFile(destination, file.contents)
                entries.append(ManifestEntry(path: file.path, size: file.contents.count, sha256: extra.sha))
                if let packed = extra.packed, let packedSHA = extra.packedSHA {
                    try fileSystem.writeFile(destination + ".gz", packed)
                    entries.append(ManifestEntry(path: file.path + ".gz", size: packed.count, sha256: packedSHA))
                    compressed += 1
                }
            }
            bytes = files.reduce(0) { $0 + $1.contents.count }
            try fileSystem.writeFile(manifestStaging, Array(Self.manifest(entries).utf8))
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
            try? fileSystem.removeItem(manifestStaging)
            throw error
        }
        try fileSystem.removeItem(retired)
        try fileSystem.moveItem(from: manifestStaging, to: manifestPath)
        return WriteSummary(files: files.count + assets.count, bytes: bytes, manifestPath: manifestPath, compressed: compressed)
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
