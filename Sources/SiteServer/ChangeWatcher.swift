#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SiteBuild
import Synchronization

/// Watches a site's sources (`Content/` and `Templates/` recursively, including folders created later, and
/// `site.yaml`) and yields once per change. Uses inotify on Linux; falls back to polling when inotify is not
/// available or out of watches, and says so through `warning`.
public final class ChangeWatcher: Sendable {
    public let changes: AsyncStream<Void>
    /// Set when the watcher had to fall back to polling.
    public var warning: String? { warningText.withLock { $0 } }
    private let warningText = Mutex<String?>(nil)
    private let continuation: AsyncStream<Void>.Continuation
    private let root: String
    private let descriptor = Atomic<Int32>(-1)
    private let watchLimit: Int?
    private let report: @Sendable (String) -> Void
    private let watches = Mutex<[Int32: String]>([:])
    private let stopped = Atomic<Bool>(false)
    private let events = Atomic<Int>(0)

    /// How many relevant changes were seen so far (for debouncing).
    public var eventCount: Int { events.load(ordering: .relaxed) }

    static let watchedFolders = ["Content", "Templates"]
    static let watchedFiles = ["site.yaml"]

    static let outOfWatches = "inotify is out of watches (raise fs.inotify.max_user_watches); watching for changes by polling every 0.5 s"

    /// - Parameters:
    ///   - forcePolling: poll even when inotify works (`--poll`).
    ///   - watchLimit: behave as if the kernel allowed only this many inotify watches (tests the fallback that
    ///     `fs.inotify.max_user_watches` would cause, without changing the machine's limit).
    ///   - report: receives a warning whenever the watcher falls back to polling, at start or later (a folder
    ///     created while serving can exhaust the watches too).
    public init(root: String, forcePolling: Bool = false, watchLimit: Int? = nil,
                report: @escaping @Sendable (String) -> Void = { _ in }) {
        self.root = root
        self.watchLimit = watchLimit
        self.report = report
        (changes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        #if canImport(Glibc)
        let fd = forcePolling ? -1 : inotify_init1(Int32(IN_CLOEXEC))
        #else
        let fd: Int32 = -1
        #endif
        descriptor.store(fd, ordering: .relaxed)
        var problem: String? = fd >= 0 ? nil : forcePolling
            ? "watching for changes by polling every 0.5 s (--poll)"
            : "inotify is not available; watching for changes by polling every 0.5 s"
        if fd >= 0 {
            if !addWatch(root, recursive: false) { problem = Self.outOfWatches }
            for folder in Self.watchedFolders where problem == nil && !addWatch(root + "/" + folder, recursive: true) {
                problem = Self.outOfWatches
            }
        }
        if let problem {
            fallBackToPolling(problem)
        } else {
            let thread = Thread { [self] in readEvents(fd) }
            thread.start()
        }
    }

    deinit { stop() }

    /// Stops watching; `changes` finishes.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        closeDescriptor()
        continuation.finish()
    }

    private func closeDescriptor() {
        let fd = descriptor.exchange(-1, ordering: .relaxed)
        if fd >= 0 { close(fd) }
    }

    private func fallBackToPolling(_ problem: String) {
        closeDescriptor()
        warningText.withLock { $0 = problem }
        startPolling()
        report(problem)
    }

    static let mask: UInt32 = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 // modify … move-self

    @discardableResult
    private func addWatch(_ path: String, recursive: Bool) -> Bool {
        #if canImport(Glibc)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return true }
        if let watchLimit, watches.withLock({ $0.count }) >= watchLimit { return false }
        let wd = inotify_add_watch(descriptor.load(ordering: .relaxed), path, Self.mask)
        guard wd >= 0 else { return false }
        // inotify gives a folder already watched its old descriptor: a link back to it (a loop) ends here.
        let known = watches.withLock { watches in
            defer { if watches[wd] == nil { watches[wd] = path } }
            return watches[wd] != nil
        }
        guard recursive, !known else { return true }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where !name.hasPrefix(".") {
            var childIsDirectory: ObjCBool = false
            let child = path + "/" + name
            if FileManager.default.fileExists(atPath: child, isDirectory: &childIsDirectory), childIsDirectory.boolValue {
                if !addWatch(child, recursive: true) { return false }
            }
        }
        return true
        #else
        return false
        #endif
    }

    /// Blocks on the inotify descriptor until it is closed.
    private func readEvents(_ fd: Int32) {
        #if canImport(Glibc)
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while !stopped.load(ordering: .relaxed) {
            let count = read(fd, buffer, size)
            if stopped.load(ordering: .relaxed) { break }
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                break
            }
            var offset = 0
            var relevant = false
            var outOfWatches = false
            while offset + 16 <= count {
                let wd = buffer.load(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = UnsafeRawBufferPointer(start: buffer + offset + 16, count: length)
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += 16 + length
                let folder = watches.withLock { $0[wd] }
                if mask & 0x4000 != 0 { relevant = true; continue } // queue overflow: rebuild to be safe
                guard let folder, !name.hasPrefix("."), !name.hasSuffix("~"), !name.hasSuffix(".swp") else { continue }
                if folder == root {
                    if Self.watchedFiles.contains(name) { relevant = true }
                    if Self.watchedFolders.contains(name), mask & 0x40000000 != 0, mask & (0x100 | 0x80) != 0 {
                        outOfWatches = outOfWatches || !addWatch(root + "/" + name, recursive: true)
                        relevant = true
                    }
                    continue
                }
                if mask & 0x40000000 != 0, mask & (0x100 | 0x80) != 0 {
                    outOfWatches = outOfWatches || !addWatch(folder + "/" + name, recursive: true)
                }
                relevant = true
            }
            if relevant {
                events.add(1, ordering: .relaxed)
                continuation.yield()
            }
            if outOfWatches {
                // A folder created while serving could not be watched: poll from now on (and the yield above
                // already rebuilds for whatever it holds).
                fallBackToPolling(Self.outOfWatches)
                return
            }
        }
        #endif
    }

    /// Takes the first snapshot before returning, so no change made after the fallback is missed.
    private func startPolling() {
        let root = self.root
        let first = Self.snapshot(root: root)
        Thread { [self] in
            var last = first
            while !stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 0.5)
                let now = Self.snapshot(root: root)
                if now != last {
                    last = now
                    events.add(1, ordering: .relaxed)
                    continuation.yield()
                }
            }
        }.start()
    }

    /// Path → (size, modification time) of every watched file.
    static func snapshot(root: String) -> [String: [Double]] {
        var result: [String: [Double]] = [:]
        func record(_ path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
            result[path] = [Double((attributes[.size] as? NSNumber)?.intValue ?? 0),
                            (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0]
        }
        for file in watchedFiles { record(root + "/" + file) }
        for folder in watchedFolders {
            let base = root + "/" + folder
            // The build's own walk: links that loop and files that are not regular are never followed or read.
            guard let walk = try? DiskFileSystem().walk(base) else { continue }
            for file in walk.files { record(base + "/" + file.path) }
            for link in walk.loops { record(base + "/" + link) }
        }
        return result
    }
}
