import CFileOps
import Foundation

/// The real file system.
public struct DiskFileSystem: FileSystem {
    public init() {}

    /// A regular file or a folder, following links; anything else (a FIFO, a socket, a device) is neither.
    public func kind(of path: String) -> FileKind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return nil
        }
    }

    public func identity(of path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// What a path that is neither a regular file nor a folder is, for a message.
    static func describeSpecial(_ path: String, link: Bool) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return link ? "a symbolic link that leads nowhere" : "unreadable" }
        let what: String
        switch info.st_mode & S_IFMT {
        case S_IFIFO: what = "a named pipe (FIFO)"
        case S_IFSOCK: what = "a socket"
        case S_IFCHR, S_IFBLK: what = "a device"
        default: what = "not a regular file or folder"
        }
        return link ? "a symbolic link to " + what : what
    }

    public func resolvingSymlinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileStamp(size: Int(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                         changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec), inode: UInt64(info.st_ino))
    }

    /// Plain POSIX reads into one buffer sized from `fstat` (no `Data` in between). Opened without blocking
    /// and refused unless it is a regular file, so a FIFO in its place cannot hang the build.
    public func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw FileSystemError(path: path, reason: "cannot read file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileSystemError(path: path, reason: "cannot read file: not a regular file")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: 4096)) }
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, reason: "cannot read file: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    public func contentsOfDirectory(_ path: String) throws -> [String] {
        try entries(of: path, everything: true).map(\.name)
    }

    /// `readdir`, whose entry types spare a `stat` per file (one is made only for links and unknown types).
    public func entries(of path: String) throws -> [DirectoryEntry] {
        try entries(of: path, everything: false)
    }

    /// `everything`: a plain listing (`contentsOfDirectory`), which needs no kinds.
    private func entries(of path: String, everything: Bool) throws -> [DirectoryEntry] {
        guard let directory = opendir(path) else {
            throw FileSystemError(path: path, reason: "cannot list folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var result: [DirectoryEntry] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if everything {
                result.append(DirectoryEntry(name: name, kind: nil, isSymlink: false))
                continue
            }
            let full = path + "/" + name
            func special(_ kind: FileKind?, link: Bool) -> String? { kind == nil ? Self.describeSpecial(full, link: link) : nil }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): result.append(DirectoryEntry(name: name, kind: .directory, isSymlink: false))
            case Int32(DT_REG): result.append(DirectoryEntry(name: name, kind: .file, isSymlink: false))
            case Int32(DT_LNK):
                let target = kind(of: full)
                result.append(DirectoryEntry(name: name, kind: target, isSymlink: true, special: special(target, link: true)))
            case Int32(DT_UNKNOWN):
                var info = stat()
                let isLink = lstat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
                let target = kind(of: full)
                result.append(DirectoryEntry(name: name, kind: target, isSymlink: isLink, special: special(target, link: isLink)))
            default:
                // Sockets, devices, FIFOs: never site files.
                result.append(DirectoryEntry(name: name, kind: nil, isSymlink: false, special: Self.describeSpecial(full, link: false)))
            }
        }
        return result
    }

    /// `mkdir`, making missing parents first; a folder that exists (made by another thread too) is fine.
    public func createDirectory(_ path: String) throws {
        if mkdir(path, 0o755) == 0 { return }
        var failure = errno
        if failure == ENOENT, let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try createDirectory(String(path[..<slash]))
            if mkdir(path, 0o755) == 0 { return }
            failure = errno
        }
        if failure == EEXIST, kind(of: path) == .directory { return }
        throw FileSystemError(path: path, reason: "cannot create folder: \(String(cString: strerror(failure)))")
    }

    /// Plain POSIX writes: the output is staged and swapped in as a whole, so a per-file atomic write (and the
    /// fsync Foundation's does) would only cost time.
    public func writeFile(_ path: String, _ contents: [UInt8]) throws {
        try contents.withUnsafeBytes { try writeFile(path, bytes: $0) }
    }

    public func writeFile(_ path: String, bytes buffer: UnsafeRawBufferPointer) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystemError(path: path, reason: "cannot write file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < buffer.count {
            let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, reason: "cannot write file: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Removes a file, a link (never what it leads to) or a folder with everything in it.
    public func removeItem(_ path: String) throws {
        guard let type = entryType(path) else { return }
        if type == .directory {
            for name in try contentsOfDirectory(path) { try removeItem(path + "/" + name) }
            guard rmdir(path) == 0 else { throw FileSystemError(path: path, reason: "cannot remove the folder: \(Self.reason(errno))") }
        } else {
            guard unlink(path) == 0 else { throw FileSystemError(path: path, reason: "cannot delete it: \(Self.reason(errno))") }
        }
    }

    public func moveItem(from source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw FileSystemError(path: source, reason: "cannot rename to \(destination): \(Self.reason(errno))")
        }
    }

    public func entryType(_ path: String) -> EntryType? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// `renameat2(RENAME_EXCHANGE)`; where the file system cannot (some network and FUSE file systems), two
    /// renames through a temporary name beside `first`.
    public func exchange(_ first: String, _ second: String) throws {
        if orbis_rename_exchange(first, second) == 0 { return }
        let failure = errno
        guard failure == EINVAL || failure == ENOSYS else {
            throw FileSystemError(path: second, reason: "cannot replace it: \(Self.reason(failure))")
        }
        let aside = first + ".orbis-swap"
        try moveItem(from: first, to: aside)
        do { try moveItem(from: second, to: first) } catch {
            try? moveItem(from: aside, to: first)
            throw error
        }
        try moveItem(from: aside, to: second)
    }

    public func moveItemNoReplace(from source: String, to destination: String) throws {
        if orbis_rename_noreplace(source, destination) == 0 { return }
        let failure = errno
        if failure == EINVAL || failure == ENOSYS {
            // The file system cannot refuse for us; the callers hold the output's lock, so look first.
            guard entryType(destination) == nil else {
                throw FileSystemError(path: destination, reason: "cannot create it: something is already there")
            }
            return try moveItem(from: source, to: destination)
        }
        throw FileSystemError(path: destination, reason: "cannot create it: \(Self.reason(failure))")
    }

    public func removeFile(_ path: String) throws {
        guard unlink(path) == 0 else { throw FileSystemError(path: path, reason: "cannot delete it: \(Self.reason(errno))") }
    }

    public func removeEmptyDirectory(_ path: String) throws {
        guard rmdir(path) == 0 else { throw FileSystemError(path: path, reason: "cannot remove the folder: \(Self.reason(errno))") }
    }

    public func canonicalPath(_ path: String) -> String {
        var current = "/"
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if !path.hasPrefix("/") {
            let cwd = FileManager.default.currentDirectoryPath
            parts = cwd.split(separator: "/").map(String.init) + parts
        }
        var exists = true
        for part in parts {
            if part == "." { continue }
            if part == ".." {
                current = current == "/" ? "/" : String(current[..<(current.lastIndex(of: "/") ?? current.startIndex)])
                if current.isEmpty { current = "/" }
                continue
            }
            let candidate = current == "/" ? "/" + part : current + "/" + part
            if exists, entryType(candidate) != nil {
                current = resolvingSymlinks(candidate)
            } else {
                exists = false
                current = candidate
            }
        }
        return current
    }

    public func sync(_ path: String) {
        _ = orbis_sync_path(path)
    }

    public func tryLock(_ path: String, exclusive: Bool) throws -> (any FileLock)? {
        try DiskFileLock.acquire(path, exclusive: exclusive)
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// `flock` on a lock file. The file is made by the first holder; an exclusive holder removes it on release
/// (a shared holder only when it turns out to be the last one), and a process that locked a file that was
/// removed meanwhile tries again with the new one, so no lock file is left behind and no two holders ever
/// hold different files.
final class DiskFileLock: FileLock, @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32
    private let path: String
    private let exclusive: Bool

    private init(fd: Int32, path: String, exclusive: Bool) {
        self.fd = fd
        self.path = path
        self.exclusive = exclusive
    }

    static func acquire(_ path: String, exclusive: Bool) throws -> DiskFileLock? {
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw FileSystemError(path: path, reason: "cannot create the lock file: \(DiskFileSystem.reason(errno))")
            }
            if flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
                let failure = errno
                close(fd)
                if failure == EWOULDBLOCK { return nil }
                throw FileSystemError(path: path, reason: "cannot lock it: \(DiskFileSystem.reason(failure))")
            }
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                if exclusive {
                    let pid = Array("\(getpid())\n".utf8)
                    _ = ftruncate(fd, 0)
                    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                }
                return DiskFileLock(fd: fd, path: path, exclusive: exclusive)
            }
            close(fd)  // removed by its last holder while we waited: take the new one
        }
    }

    func release() {
        lock.withLock {
            guard fd >= 0 else { return }
            if exclusive || flock(fd, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
