import Foundation

/// The real file system.
public struct DiskFileSystem: FileSystem {
    public init() {}

    public func kind(of path: String) -> FileKind? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue ? .directory : .file
    }

    public func resolvingSymlinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileStamp(size: Int(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// Plain POSIX reads into one buffer sized from `fstat` (no `Data` in between).
    public func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
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
        try FileManager.default.contentsOfDirectory(atPath: path)
    }

    /// `readdir`, whose entry types spare a `stat` per file (one is made only for links and unknown types).
    public func entries(of path: String) throws -> [DirectoryEntry] {
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
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): result.append(DirectoryEntry(name: name, kind: .directory, isSymlink: false))
            case Int32(DT_REG): result.append(DirectoryEntry(name: name, kind: .file, isSymlink: false))
            case Int32(DT_LNK): result.append(DirectoryEntry(name: name, kind: kind(of: path + "/" + name), isSymlink: true))
            case Int32(DT_UNKNOWN):
                var info = stat()
                let isLink = lstat(path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
                result.append(DirectoryEntry(name: name, kind: kind(of: path + "/" + name), isSymlink: isLink))
            default: continue  // sockets, devices, fifos: never site files
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

    public func removeItem(_ path: String) throws {
        guard kind(of: path) != nil else { return }
        try FileManager.default.removeItem(atPath: path)
    }

    public func moveItem(from source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw FileSystemError(path: source, reason: "cannot rename to \(destination): \(String(cString: strerror(errno)))")
        }
    }
}
