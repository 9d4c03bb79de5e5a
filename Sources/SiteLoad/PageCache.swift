import SiteIO
import SiteModel
import Synchronization

/// Pages parsed by earlier loads, by file, kept while `orbis serve` runs: a Markdown file whose size and
/// modification time have not changed is not read or parsed again. Also records which files were parsed
/// anew by the last load, so later stages can redo only what those files affect.
public final class PageCache: Sendable {
    private let pages = Mutex<[String: (FileStamp, Page)]>([:])
    private let parsed = Mutex<Set<String>>([])

    public init() {}

    /// The `Content/`-relative paths of the Markdown files the last load had to parse.
    public var changed: Set<String> { parsed.withLock { $0 } }

    func beginLoad() { parsed.withLock { $0 = [] } }

    /// Drops every parsed page (site.yaml changed: routes may have).
    public func forgetAll() {
        pages.withLock { $0 = [:] }
        data.withLock { $0 = [:] }
    }

    func page(for path: String, stamp: FileStamp) -> Page? {
        pages.withLock { entry in entry[path].flatMap { $0.0 == stamp ? $0.1 : nil } }
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
        pages.withLock { $0[path] = (stamp, page) }
    }
}
