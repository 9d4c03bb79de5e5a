import Foundation

/// Size and modification time (nanoseconds, or a write counter in memory) of a file.
public struct FileStamp: Sendable, Hashable {
    public var size: Int
    public var modified: Int64

    public init(size: Int, modified: Int64) {
        self.size = size
        self.modified = modified
    }
}

/// What a path names.
public enum FileKind: Sendable { case file, directory }

/// The file system the pipeline reads and writes through; tests inject `InMemoryFileSystem`.
/// Paths are plain strings joined with `/`.
public protocol FileSystem: Sendable {
    func kind(of path: String) -> FileKind?
    /// The path with every symbolic link resolved (the path itself where there are none).
    func resolvingSymlinks(_ path: String) -> String
    /// `writeFile` without the copy into an array.
    func writeFile(_ path: String, bytes: UnsafeRawBufferPointer) throws
    /// Size and modification time of a regular file: what tells a cache the file may have changed.
    func stamp(_ path: String) -> FileStamp?
    func readFile(_ path: String) throws -> [UInt8]
    /// The names in a directory, in whatever order the file system gives them.
    func contentsOfDirectory(_ path: String) throws -> [String]
    /// Creates a directory and any missing parents.
    func createDirectory(_ path: String) throws
    func writeFile(_ path: String, _ contents: [UInt8]) throws
    /// Removes a file or a directory tree; no error when it does not exist.
    func removeItem(_ path: String) throws
    /// Renames a file or directory (atomic on one disk).
    func moveItem(from source: String, to destination: String) throws
}

extension FileSystem {
    public func readText(_ path: String) throws -> String {
        String(decoding: try readFile(path), as: UTF8.self)
    }

    public func resolvingSymlinks(_ path: String) -> String { path }

    public func writeFile(_ path: String, bytes: UnsafeRawBufferPointer) throws { try writeFile(path, Array(bytes)) }

    public func fileExists(_ path: String) -> Bool { kind(of: path) == .file }
    public func directoryExists(_ path: String) -> Bool { kind(of: path) == .directory }

    /// Every file under `directory`, as paths relative to it, sorted (so the result never depends on the
    /// order the file system lists entries in). Hidden entries (names starting with `.`) are skipped.
    public func filesRecursively(in directory: String) throws -> [String] {
        var result: [String] = []
        func walk(_ relative: String) throws {
            let full = relative.isEmpty ? directory : directory + "/" + relative
            for name in try contentsOfDirectory(full) where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : relative + "/" + name
                switch kind(of: directory + "/" + child) {
                case .directory: try walk(child)
                case .file: result.append(child)
                case nil: break
                }
            }
        }
        try walk("")
        return result.sorted()
    }
}

/// Errors from the file systems, with the path they concern.
public struct FileSystemError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Joins path components with `/`, ignoring empty ones.
public func joinPath(_ parts: String...) -> String {
    var result = ""
    for part in parts where !part.isEmpty {
        if result.isEmpty || result.hasSuffix("/") { result += part } else { result += "/" + part }
    }
    return result
}
