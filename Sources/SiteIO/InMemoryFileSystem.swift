import Synchronization

/// A file system held in memory, for tests. `listingOrder` lets a test shuffle directory listings to prove
/// that output does not depend on the order a real file system returns entries in.
public final class InMemoryFileSystem: FileSystem {
    private enum Node { case file([UInt8]), directory }
    private let nodes = Mutex<[String: Node]>(["/": .directory])
    private let writes = Mutex<[String: Int64]>([:])
    private let reverseListings: Bool
    private let shuffleSeed: UInt64?

    /// Creates a file system holding `files` (path → text); parent directories are created. Directory listings
    /// are sorted, unless `reverseListings` or `shuffleSeed` (a fixed pseudo-random order per folder) asks
    /// otherwise: real file systems promise no order, and builds must not depend on one.
    public init(files: [String: String] = [:], reverseListings: Bool = false, shuffleSeed: UInt64? = nil) {
        self.reverseListings = reverseListings
        self.shuffleSeed = shuffleSeed
        for (path, text) in files {
            try? createDirectory(Self.parent(of: Self.normalize(path)))
            try? writeFile(path, Array(text.utf8))
        }
    }

    static func normalize(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    public func kind(of path: String) -> FileKind? {
        switch nodes.withLock({ $0[Self.normalize(path)] }) {
        case .file?: return .file
        case .directory?: return .directory
        case nil: return nil
        }
    }

    public func readFile(_ path: String) throws -> [UInt8] {
        guard case .file(let bytes)? = nodes.withLock({ $0[Self.normalize(path)] }) else {
            throw FileSystemError(path: path, reason: "no such file")
        }
        return bytes
    }

    /// Gives `path` a new modification "time" (a global write counter).
    private func touch(_ path: String) {
        writes.withLock { writes in
            let next = (writes[""] ?? 0) + 1
            writes[""] = next
            writes[path] = next
        }
    }

    public func stamp(_ path: String) -> FileStamp? {
        let p = Self.normalize(path)
        guard case .file(let bytes)? = nodes.withLock({ $0[p] }) else { return nil }
        let written = writes.withLock { $0[p] ?? 0 }
        return FileStamp(size: bytes.count, modified: written, changed: written)
    }

    public func contentsOfDirectory(_ path: String) throws -> [String] {
        let dir = Self.normalize(path)
        let prefix = dir == "/" ? "/" : dir + "/"
        let names: [String] = try nodes.withLock { nodes in
            guard case .directory? = nodes[dir] else { throw FileSystemError(path: path, reason: "no such directory") }
            return nodes.keys.filter { $0.hasPrefix(prefix) && $0 != dir && !$0.dropFirst(prefix.count).contains("/") }
                .map { String($0.dropFirst(prefix.count)) }
        }
        let sorted = names.sorted()
        if let shuffleSeed {
            var generator = SplitMix64(seed: shuffleSeed ^ UInt64(truncatingIfNeeded: dir.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
            return sorted.shuffled(using: &generator)
        }
        return reverseListings ? sorted.reversed() : sorted
    }

    public func createDirectory(_ path: String) throws {
        var current = ""
        try nodes.withLock { nodes in
            for part in Self.normalize(path).split(separator: "/") {
                current += "/" + part
                if case .file? = nodes[current] { throw FileSystemError(path: current, reason: "is a file") }
                nodes[current] = .directory
            }
        }
    }

    public func writeFile(_ path: String, _ contents: [UInt8]) throws {
        let p = Self.normalize(path)
        try nodes.withLock { nodes in
            guard case .directory? = nodes[Self.parent(of: p)] else {
                throw FileSystemError(path: path, reason: "parent directory does not exist")
            }
            if case .directory? = nodes[p] { throw FileSystemError(path: path, reason: "is a directory") }
            nodes[p] = .file(contents)
        }
        touch(p)
    }

    public func removeItem(_ path: String) throws {
        let p = Self.normalize(path)
        nodes.withLock { nodes in
            for key in nodes.keys where key == p || key.hasPrefix(p + "/") { nodes[key] = nil }
        }
    }

    public func entryType(_ path: String) -> EntryType? {
        switch kind(of: path) {
        case .file?: return .file
        case .directory?: return .directory
        case nil: return nil
        }
    }

    public func exchange(_ first: String, _ second: String) throws {
        let a = Self.normalize(first), b = Self.normalize(second)
        try nodes.withLock { nodes in
            guard nodes[a] != nil, nodes[b] != nil else { throw FileSystemError(path: second, reason: "no such file or directory") }
            var moved: [String: Node] = [:]
            for key in nodes.keys where key == a || key.hasPrefix(a + "/") { moved[b + key.dropFirst(a.count)] = nodes.removeValue(forKey: key) }
            for key in nodes.keys where key == b || key.hasPrefix(b + "/") { moved[a + key.dropFirst(b.count)] = nodes.removeValue(forKey: key) }
            nodes.merge(moved) { _, new in new }
        }
        touch(a)
        touch(b)
    }

    public func moveItemNoReplace(from source: String, to destination: String) throws {
        guard kind(of: destination) == nil else { throw FileSystemError(path: destination, reason: "cannot create it: something is already there") }
        try moveItem(from: source, to: destination)
    }

    public func removeFile(_ path: String) throws {
        let p = Self.normalize(path)
        try nodes.withLock { nodes in
            guard case .file? = nodes[p] else { throw FileSystemError(path: path, reason: "cannot delete it: not a file") }
            nodes[p] = nil
        }
    }

    public func removeEmptyDirectory(_ path: String) throws {
        guard kind(of: path) == .directory, try contentsOfDirectory(path).isEmpty else {
            throw FileSystemError(path: path, reason: "cannot remove the folder: not an empty folder")
        }
        try removeItem(path)
    }

    /// `..` resolved lexically; relative paths are taken from `/`.
    public func canonicalPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Records each path synced (`synced`): nothing here is cached, so there is nothing to flush.
    public func sync(_ path: String) { syncs.withLock { $0.append(canonicalPath(path)) } }

    private let syncs = Mutex<[String]>([])

    /// The paths `sync` was called with, in order, since the last `forgetSyncs()`.
    public var synced: [String] { syncs.withLock { $0 } }

    public func forgetSyncs() { syncs.withLock { $0.removeAll() } }

    private let locks = Mutex<[String: Int]>([:])

    /// Locks within this process: a count of shared holders, or -1 for an exclusive one.
    public func tryLock(_ path: String, exclusive: Bool) throws -> (any FileLock)? {
        let p = Self.normalize(path)
        let taken = locks.withLock { locks -> Bool in
            let holders = locks[p] ?? 0
            if exclusive ? holders != 0 : holders < 0 { return false }
            locks[p] = exclusive ? -1 : holders + 1
            return true
        }
        guard taken else { return nil }
        return MemoryLock { [self] in
            locks.withLock { locks in
                let holders = locks[p] ?? 0
                locks[p] = holders <= 1 ? nil : holders - 1
            }
        }
    }

    public func moveItem(from source: String, to destination: String) throws {
        let s = Self.normalize(source), d = Self.normalize(destination)
        try nodes.withLock { nodes in
            guard nodes[s] != nil else { throw FileSystemError(path: source, reason: "no such file or directory") }
            // Like rename(2): a file replaces a file, a folder an empty folder.
            if case .file = nodes[s], case .file = nodes[d] { nodes[d] = nil }
            if case .directory = nodes[s], case .directory = nodes[d], !nodes.keys.contains(where: { $0.hasPrefix(d + "/") }) {
                nodes[d] = nil
            }
            guard nodes[d] == nil else { throw FileSystemError(path: destination, reason: "already exists") }
            for key in nodes.keys where key == s || key.hasPrefix(s + "/") {
                nodes[d + key.dropFirst(s.count)] = nodes[key]
                nodes[key] = nil
                touch(d + key.dropFirst(s.count))
            }
        }
    }
}

final class MemoryLock: FileLock, Sendable {
    private let action: Mutex<(@Sendable () -> Void)?>

    init(_ release: @escaping @Sendable () -> Void) { action = Mutex(release) }

    func release() {
        let release = action.withLock { action -> (@Sendable () -> Void)? in
            defer { action = nil }
            return action
        }
        release?()
    }

    deinit { release() }
}

/// A small seeded generator, so a shuffled listing (or a test's data) is the same in every run.
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
