import SiteIO
import SiteModel
import Synchronization

/// Pages parsed by earlier loads, by file: a Markdown file whose stamp (size, modification and change
/// times, inode) has not changed is not read or parsed again. `orbis serve` keeps it between rebuilds;
/// `orbis build` fills it from the last build's record, with the pages' front matter but not their text
/// (`lacksBody`: the build reads the text of a page it renders again). Also records which files were parsed
/// anew by the last load.
public final class PageCache: Sendable {
    private struct Entry {
        var stamp: FileStamp
        var page: Page
        /// Kept without its Markdown (read back from a record, or kept by a cache that keeps no bodies).
        var stripped: Bool
    }

    private let pages = Mutex<[String: Entry]>([:])
    private let parsed = Mutex<Set<String>>([])

    /// Whether the pages kept hold their Markdown (`orbis serve`, which renders them again from memory); a
    /// build that writes a record keeps only their front matter (the record holds no more), and reads a
    /// page's text again when it renders it again.
    let keepsBodies: Bool

    public init(keepsBodies: Bool = true) {
        self.keepsBodies = keepsBodies
    }

    /// The `Content/`-relative paths of the Markdown files the last load had to parse.
    public var changed: Set<String> { parsed.withLock { $0 } }

    /// What the pages were parsed with (`SiteLoader.parseKey`: the settings a page is parsed with, the
    /// collections' declaration files): a load with another one parses every page again.
    public var parseKey: String? { key.withLock { $0 } }
    private let key = Mutex<String?>(nil)

    func beginLoad(parseKey: String) {
        parsed.withLock { $0 = [] }
        let changed = key.withLock { key in
            defer { key = parseKey }
            return key != parseKey
        }
        if changed { forgetAll() }
    }

    /// Drops every parsed page (site.yaml changed: routes may have).
    public func forgetAll() {
        pages.withLock { $0 = [:] }
        data.withLock { $0 = [:] }
    }

    func page(for path: String, stamp: FileStamp) -> Page? {
        pages.withLock { entry in entry[path].flatMap { $0.stamp == stamp ? $0.page : nil } }
    }

    /// Whether the page the last load took for `path` has no Markdown (it was not parsed by that load, and
    /// is kept without it).
    public func lacksBody(_ path: String) -> Bool {
        pages.withLock { $0[path]?.stripped ?? false } && !parsed.withLock { $0.contains(path) }
    }

    /// Every page held, by `Content/`-relative path, with its file's stamp (what a record keeps).
    public var all: [(path: String, stamp: FileStamp, page: Page)] {
        pages.withLock { $0.map { ($0.key, $0.value.stamp, $0.value.page) } }
    }

    /// Pages read back from a build's record: their front matter, without their Markdown, and what they
    /// were parsed with.
    public func seed(_ entries: [(path: String, stamp: FileStamp, page: Page)], parseKey: String) {
        key.withLock { $0 = parseKey }
        pages.withLock { pages in
            for entry in entries { pages[entry.path] = Entry(stamp: entry.stamp, page: entry.page, stripped: true) }
        }
    }

    /// Only the pages of `paths` (the files the last load found) are kept: a record holds no deleted file.
    public func keepOnly(_ paths: Set<String>) {
        pages.withLock { $0 = $0.filter { paths.contains($0.key) } }
    }

    /// Data files (`Content/data/…`) parsed by earlier loads: the tree, or the errors it had.
    private let data = Mutex<[String: (FileStamp, DataNode?, [Diagnostic])]>([:])

    func data(for path: String, stamp: FileStamp) -> (node: DataNode?, problems: [Diagnostic])? {
        data.withLock { entry in entry[path].flatMap { $0.0 == stamp ? ($0.1, $0.2) : nil } }
    }

    func storeData(_ node: DataNode?, problems: [Diagnostic], for path: String, stamp: FileStamp) {
        data.withLock { $0[path] = (stamp, node, problems) }
    }

    func store(_ page: Page, for path: String, stamp: FileStamp?) {
        parsed.withLock { _ = $0.insert(path) }
        guard let stamp else { return }
        var kept = page
        if !keepsBodies { kept.body = "" }
        pages.withLock { $0[path] = Entry(stamp: stamp, page: kept, stripped: !keepsBodies) }
    }
}
