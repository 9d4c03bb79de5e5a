import SiteIO
import SiteModel

/// What a write did.
public struct WriteSummary: Sendable {
    public var files: Int
    public var bytes: Int
}

/// Writes a built site into its output folder in one atomic swap: everything goes into a temporary folder
/// beside the output, which replaces the old output only when complete. A failure leaves the previous output
/// as it was and no temporary folder behind; files whose sources were deleted disappear.
public struct OutputWriter: Sendable {
    public var fileSystem: any FileSystem

    public init(fileSystem: any FileSystem) {
        self.fileSystem = fileSystem
    }

    public func write(files: [OutputFile], assets: [AssetFile], to output: String) throws -> WriteSummary {
        try Self.checkForCollisions(files: files, assets: assets)
        let (parent, name) = Self.split(output)
        let staging = joinPath(parent, ".\(name).orbis-new")
        let retired = joinPath(parent, ".\(name).orbis-old")
        try fileSystem.removeItem(staging)
        try fileSystem.removeItem(retired)
        var bytes = 0
        do {
            try fileSystem.createDirectory(staging)
            var made: Set<String> = [staging]
            func ensureParent(of path: String) throws {
                let folder = Self.split(path).parent
                if made.insert(folder).inserted { try fileSystem.createDirectory(folder) }
            }
            for asset in assets {
                let destination = joinPath(staging, asset.outputPath)
                try ensureParent(of: destination)
                try fileSystem.copyFile(from: asset.sourcePath, to: destination)
            }
            for file in files {
                let destination = joinPath(staging, file.path)
                try ensureParent(of: destination)
                try fileSystem.writeFile(destination, file.contents)
                bytes += file.contents.count
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
        return WriteSummary(files: files.count + assets.count, bytes: bytes)
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
