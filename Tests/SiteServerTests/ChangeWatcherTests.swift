import Foundation
import SiteServer
import Synchronization
import Testing

/// The watcher's fallback to polling when inotify runs out of watches, at start and for a folder created later.
/// `watchLimit` stands in for `fs.inotify.max_user_watches`, which a test must not lower for the whole machine.
@Suite struct ChangeWatcherTests {
    /// A site folder with `Content/a`, `Content/b` and `Templates/`.
    static func site() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-watch-\(UUID().uuidString)").path
        for folder in ["Content/a", "Content/b", "Templates"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try "---\ntitle: A\n---\n".write(toFile: root + "/Content/a/page.md", atomically: true, encoding: .utf8)
        return root
    }

    /// The first element of `stream`, or nil when none arrives within 10 s.
    static func first<T: Sendable>(_ stream: AsyncStream<T>) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { var iterator = stream.makeAsyncIterator(); return await iterator.next() }
            group.addTask { try? await Task.sleep(for: .seconds(10)); return nil }
            let result = await group.next() ?? nil
            group.cancelAll()
            return result
        }
    }

    @Test func fallsBackToPollingWhenOutOfWatchesAtStart() async throws {
        let root = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let reported = Mutex<[String]>([])
        // root, Content, Content/a, Content/b, Templates would need 5 watches.
        let watcher = ChangeWatcher(root: root, watchLimit: 3) { line in reported.withLock { $0.append(line) } }
        defer { watcher.stop() }
        let warning = "inotify is out of watches (raise fs.inotify.max_user_watches); watching for changes by polling every 0.5 s"
        #expect(watcher.warning == warning)
        #expect(reported.withLock { $0 } == [warning])

        try "---\ntitle: B\n---\n".write(toFile: root + "/Content/b/new.md", atomically: true, encoding: .utf8)
        #expect(await Self.first(watcher.changes) != nil, "polling saw the new file")
    }

    @Test func fallsBackToPollingWhenAFolderCreatedLaterCannotBeWatched() async throws {
        let root = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (warnings, warningSink) = AsyncStream.makeStream(of: String.self)
        let watcher = ChangeWatcher(root: root, watchLimit: 5) { warningSink.yield($0) }
        defer { watcher.stop() }
        #expect(watcher.warning == nil, "five watches are enough to start with inotify")

        try FileManager.default.createDirectory(atPath: root + "/Content/news", withIntermediateDirectories: true)
        #expect(await Self.first(watcher.changes) != nil, "inotify saw the new folder")
        let warning = try #require(await Self.first(warnings))
        #expect(warning.contains("inotify is out of watches"))

        try "---\ntitle: News\n---\n".write(toFile: root + "/Content/news/visit.md", atomically: true, encoding: .utf8)
        #expect(await Self.first(watcher.changes) != nil, "polling saw the file in the folder inotify could not watch")
    }

    @Test func inotifyWatchesFoldersCreatedLater() async throws {
        let root = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let watcher = ChangeWatcher(root: root)
        defer { watcher.stop() }
        #expect(watcher.warning == nil)
        try FileManager.default.createDirectory(atPath: root + "/Content/news/2026", withIntermediateDirectories: true)
        #expect(await Self.first(watcher.changes) != nil)
        try "---\ntitle: Deep\n---\n".write(toFile: root + "/Content/news/2026/deep.md", atomically: true, encoding: .utf8)
        #expect(await Self.first(watcher.changes) != nil)
        #expect(watcher.warning == nil)
    }
}
