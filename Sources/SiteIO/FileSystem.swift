import Foundation

/// Size and modification time (nanoseconds, or a write counter in memory) of a file.
public struct FileStamp: Sendable, Hashable {
    public var size: Int
    /// The modification time, in nanoseconds.
    public var modified: Int64
    /// The status change time (`st_ctime`), in nanoseconds: unlike the modification time, no tool can set it
    /// back (a copy that keeps times, an editor that restores them), so a file rewritten in place always gets
    /// a new one.
    public var changed: Int64
    /// The file's inode number: a file replaced by another (a rename over it) is a new one.
    public var inode: UInt64

    public init(size: Int, modified: Int64, changed: Int64 = 0, inode: UInt64 = 0) {
        self.size = size
        self.modified = modified
        self.changed = changed
        self.inode = inode
    }
}

/// What a path names.
public enum FileKind: Sendable { case file, directory }

/// What a path is itself, without following a symbolic link at its end (`lstat`).
public enum EntryType: Sendable, Equatable { case file, directory, symlink, other }

/// An advisory lock on a file, held until `release` (or until the holder goes away).
public protocol FileLock: AnyObject, Sendable {
    func release()
}

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
    /// A directory's entries with what each is (following links) and whether it is a symbolic link.
    func entries(of path: String) throws -> [DirectoryEntry]
    /// Creates a directory and any missing parents.
    func createDirectory(_ path: String) throws
    func writeFile(_ path: String, _ contents: [UInt8]) throws
    /// Removes a file or a directory tree; no error when it does not exist.
    func removeItem(_ path: String) throws
    /// Renames a file or directory (atomic on one disk).
    func moveItem(from source: String, to destination: String) throws
    /// What `path` itself is (a symbolic link is reported as one, not followed); nil when nothing is there.
    func entryType(_ path: String) -> EntryType?
    /// Which file `path` is (following links), to tell two paths to one folder apart from two folders.
    func identity(of path: String) -> FileIdentity?
    /// Swaps two existing paths in one atomic step (`renameat2(RENAME_EXCHANGE)` on Linux).
    func exchange(_ first: String, _ second: String) throws
    /// Renames `source` only when nothing is at `destination`; an error otherwise.
    func moveItemNoReplace(from source: String, to destination: String) throws
    /// Removes one file (not a folder); an error when it cannot.
    func removeFile(_ path: String) throws
    /// Removes one empty folder; an error when it is not empty.
    func removeEmptyDirectory(_ path: String) throws
    /// `path` made absolute, with `.`, `..` and every symbolic link of the part that exists resolved.
    func canonicalPath(_ path: String) -> String
    /// Makes what was written to `path` (a file, or a folder's entries) durable.
    func sync(_ path: String)
    /// Takes an advisory lock on the file at `path`, created if missing: nil at once when another holder has
    /// it (`exclusive`, or a shared holder while asking for `exclusive`). Releasing an exclusive lock removes
    /// the file.
    func tryLock(_ path: String, exclusive: Bool) throws -> (any FileLock)?
}

extension FileSystem {
    public func readText(_ path: String) throws -> String {
        String(decoding: try readFile(path), as: UTF8.self)
    }

    public func resolvingSymlinks(_ path: String) -> String { path }

    public func writeFile(_ path: String, bytes: UnsafeRawBufferPointer) throws { try writeFile(path, Array(bytes)) }

    public func fileExists(_ path: String) -> Bool { kind(of: path) == .file }
    public func directoryExists(_ path: String) -> Bool { kind(of: path) == .directory }

    public func entries(of path: String) throws -> [DirectoryEntry] {
        try contentsOfDirectory(path).map { DirectoryEntry(name: $0, kind: kind(of: path + "/" + $0), isSymlink: false) }
    }

    /// Every file under `directory`, as paths relative to it, sorted (so the result never depends on the
    /// order the file system lists entries in). Hidden entries (names starting with `.`) are skipped.
    public func filesRecursively(in directory: String) throws -> [String] {
        try walk(directory).files.map(\.path)
    }

    /// Every regular file under `directory` (sorted, hidden entries skipped), telling for each whether a
    /// symbolic link is on its way from `directory` (the file itself or a folder above it): only those can
    /// lead outside the folder. Only regular files and folders are read: anything else (a FIFO, which would
    /// block a read forever, a socket, a device, a dangling link) is listed as skipped, and a link to a
    /// folder that contains it (a loop, which would repeat the tree inside itself without end) as a loop.
    public func walk(_ directory: String) throws -> FolderWalk {
        var result = FolderWalk()
        func walk(_ relative: String, throughLink: Bool, ancestors: [FileIdentity]) throws {
            let full = relative.isEmpty ? directory : directory + "/" + relative
            for entry in try entries(of: full) where !entry.name.hasPrefix(".") {
                let child = relative.isEmpty ? entry.name : relative + "/" + entry.name
                switch entry.kind {
                case .directory:
                    let identity = identity(of: directory + "/" + child)
                    if entry.isSymlink, let identity, ancestors.contains(identity) {
                        result.loops.append(child)
                        continue
                    }
                    try walk(child, throughLink: throughLink || entry.isSymlink, ancestors: ancestors + (identity.map { [$0] } ?? []))
                case .file:
                    result.files.append((child, throughLink || entry.isSymlink))
                case nil:
                    result.skipped.append((child, entry.special ?? "not a regular file or folder"))
                }
            }
        }
        try walk("", throughLink: false, ancestors: identity(of: directory).map { [$0] } ?? [])
        result.files.sort { $0.path < $1.path }
        result.skipped.sort { $0.path < $1.path }
        result.loops.sort()
        return result
    }

    public func identity(of path: String) -> FileIdentity? { nil }
}

/// What `FileSystem.walk` found under a folder.
public struct FolderWalk: Sendable {
    /// Regular files, and whether a symbolic link is on the way to each.
    public var files: [(path: String, throughLink: Bool)] = []
    /// Entries that are neither a regular file nor a folder, with what each is.
    public var skipped: [(path: String, what: String)] = []
    /// Links to a folder that contains them.
    public var loops: [String] = []
}

/// A file's identity on its device, for telling that two paths are the same folder.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

/// One entry of a directory listing.
public struct DirectoryEntry: Sendable {
    public var name: String
    /// What the entry is, following a symbolic link (nil: neither file nor folder, or a dangling link).
    public var kind: FileKind?
    public var isSymlink: Bool
    /// For an entry of no kind: what it is, for a message ("a named pipe (FIFO)", "a symbolic link that leads
    /// nowhere").
    public var special: String?

    public init(name: String, kind: FileKind?, isSymlink: Bool, special: String? = nil) {
        self.name = name
        self.kind = kind
        self.isSymlink = isSymlink
        self.special = special
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
