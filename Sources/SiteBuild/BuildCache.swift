import Foundation
import SiteCheck
import SiteIO
import SiteLoad
import SiteModel
import SiteRender
import SiteSearch
import SiteWrite

/// What the last good build of an output left for the next one: the pages it parsed (by file stamp), what
/// its site was made of (`SiteDigests`), every page it published with what that page's context read
/// (`RenderedPage.reads`), and what the check found in each. `orbis serve` keeps one in memory between
/// rebuilds, with every page's HTML; `orbis build` writes one beside the output after each build
/// (`BuildRecord`, without HTML: the output holds it) and reads it back at the next.
///
/// A rebuild renders again only the pages an edit can have changed (`plan`): every page when the site's
/// structure changed; otherwise the pages whose own file changed, and those whose context read a summary,
/// a section's list or a collection that changed. Everything else is the last build's, byte for byte.
/// Whatever cannot be proven the same is built again: the result is always what a build from nothing
/// gives (tests compare both after each kind of edit, and after 200 random edits in a row).
public final class BuildCache: @unchecked Sendable {
    let pages: PageCache
    /// The last good build, if any.
    var last: BuildState?
    /// Whether `last` holds every page's HTML (`orbis serve`); a build read back from a record does not.
    let keepsHTML: Bool
    /// The manifest last written into each output folder (serve alternates between two), with the folder's id.
    var written: [String: (id: String, entries: [String: ManifestEntry])] = [:]
    /// The search documents of the last build's pages, by output path: a page not rendered again has the same.
    var searchDocuments: [String: SearchDocument] = [:]
    /// The last search index's runs, for those whose documents are the same.
    var searchMemo = SearchIndexMemo()
    /// The checker of the last build (the same files make the same checker).
    var checker: OutputChecker?
    /// Pages the last build took from the one before instead of rendering them.
    var reused: Set<String> = []
    /// The SHA-256 of every file the last build published, by path (`orbis serve`).
    var digests: [String: String] = [:]

    /// How many pages the last build rendered, and how many its check checked (all of them, or after an edit
    /// that changed no page's ids and no file, only those rendered again).
    public internal(set) var renderedPages = 0
    public internal(set) var checkedPages = 0
    /// The Markdown files (`Content/`-relative) the last build parsed; it kept the others' parsed pages.
    public var parsedFiles: Set<String> { pages.changed }

    /// - Parameter keepsHTML: keep every page's HTML between builds (a long-lived process: `orbis serve`).
    public init(keepsHTML: Bool = true) {
        self.keepsHTML = keepsHTML
        self.pages = PageCache(keepsBodies: keepsHTML)
    }

    func forget() {
        last = nil
        written = [:]
        searchDocuments = [:]
        searchMemo = SearchIndexMemo()
        checker = nil
        reused = []
        digests = [:]
    }

    /// What to render again, or nil for every page (no last build, or a new structure): the pages that are
    /// new or whose own digest changed, every page whose reads changed, and every record's page of a
    /// collection one of whose record pages' reads did.
    func plan(_ digests: SiteDigests) -> RenderSelection? {
        guard let last, last.digests.structure == digests.structure else { return nil }
        let changed = digests.changedReads(since: last.digests)
        var selection = RenderSelection()
        for (route, page) in digests.pages where last.digests.pages[route]?.own != page.own { selection.pages.insert(route) }
        for page in last.pages where page.reads.contains(where: changed.contains) {
            if let collection = page.recordCollection {
                selection.collections.insert(collection)
            } else if page.source.hasPrefix("/"), digests.pages[page.source] != nil {
                selection.pages.insert(page.source)
            }
        }
        for name in digests.collections.keys where changed.contains("r" + name) { selection.collections.insert(name) }
        return selection
    }
}

/// What a good build leaves: what its site was made of, every page it published (sorted by output path;
/// with its HTML only when the cache keeps it), and its check with each page's ids and findings.
struct BuildState {
    var digests: SiteDigests
    var pages: [RenderedPage]
    var check: CheckResult
    /// Every file it published, pages and others (the check's files).
    var outputPaths: Set<String>
}
