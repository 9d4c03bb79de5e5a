import Foundation
import SiteCheck
import SiteIO
import SiteLoad
import SiteModel
import SiteRender
import SiteSearch
import SiteWrite

/// What one build leaves for the next when the same process builds again (`orbis serve`): parsed pages by
/// file, the rendered pages, their scans and digests. A rebuild reuses them only when it can prove the
/// result is the same as a full build's: the site's *shape* — every page's route, title, description, date,
/// weight, layout and list settings, the menu, languages, templates, strings, collections and data — hashes
/// to the value of the last build, and the only Markdown files that changed are ordinary pages (not records'
/// prose). Then only those pages are rendered and scanned again; anything else renders everything.
public final class BuildCache: @unchecked Sendable {
    let pages = PageCache()
    var shape: Int?
    var configStamp: FileStamp?
    var rendered: [RenderedPage] = []
    /// The last check, with its details (each page's scan, findings and ids), and the checker that made it.
    var check: CheckResult?
    var checker: OutputChecker?
    /// How many pages the last build's check checked: all of them, or after an edit that changed no page's
    /// ids and no file, only those rendered again.
    public internal(set) var checkedPages = 0
    var scans: [String: ScannedPage] { check?.scans ?? [:] }
    var pageChecks: [String: PageCheck] { check?.pageChecks ?? [:] }
    var digests: [String: String] = [:]
    /// The manifest last written into each output folder (serve alternates between two).
    var manifests: [String: [String: ManifestEntry]] = [:]
    /// The renderers of the last full render (valid while the shape is the same).
    var renderers: LanguageRenderers?
    /// Output paths of the pages reused by the last render (their scans and digests stay valid).
    var reused: Set<String> = []
    /// The search documents of the last render's pages, by output path: a reused page's is the same.
    var searchDocuments: [String: SearchDocument] = [:]
    /// The last search index's runs, for those whose documents are the same.
    var searchMemo = SearchIndexMemo()
    /// Every path the last checked build published: findings of reused pages hold only while it is the same
    /// (a link to a page that is gone, or to one that is new, changes meaning).
    var outputPaths: Set<String> = []

    public init() {}

    func forget() {
        shape = nil
        rendered = []
        check = nil
        checker = nil
        digests = [:]
        renderers = nil
        manifests = [:]
        reused = []
        searchDocuments = [:]
        searchMemo = SearchIndexMemo()
        outputPaths = []
    }

    /// A hash of everything a page's rendering can read besides its own Markdown body.
    static func shape(of site: Site) -> Int {
        var hasher = Hasher()
        let config = site.config
        hasher.combine(config.title)
        hasher.combine(config.description)
        hasher.combine(config.titles)
        hasher.combine(config.descriptions)
        hasher.combine(config.baseURL)
        hasher.combine(config.languages)
        hasher.combine(config.links)
        hasher.combine(config.check)
        hasher.combine(config.markdown)
        for entry in config.menu {
            hasher.combine(entry.title)
            hasher.combine(entry.titles)
            hasher.combine(entry.target)
        }
        for template in site.templates {
            hasher.combine(template.path)
            hasher.combine(template.text)
        }
        for (key, table) in site.strings.sorted(by: { $0.key < $1.key }) {
            hasher.combine(key)
            hasher.combine(table.values)
        }
        for (key, value) in site.data {
            hasher.combine(key)
            hasher.combine("\(value)")
        }
        for asset in site.assets { hasher.combine(asset.outputPath) }
        for collection in site.collections {
            hasher.combine(collection.spec.name)
            hasher.combine("\(collection.spec)")
            for record in collection.records {
                hasher.combine(record.id)
                for (key, value) in record.values.sorted(by: { $0.key < $1.key }) {
                    hasher.combine(key)
                    hasher.combine(value)
                }
                for (key, page) in record.prose.sorted(by: { $0.key < $1.key }) {
                    hasher.combine(key)
                    hasher.combine(page.body)
                    hasher.combine(page.description)
                }
            }
        }
        for page in site.pages {
            hasher.combine(page.route)
            hasher.combine(page.contentPath)
            hasher.combine(page.sourcePath)
            hasher.combine(page.language)
            hasher.combine(page.kind.rawValue)
            hasher.combine(page.section)
            hasher.combine(page.listsSection)
            hasher.combine(page.title)
            hasher.combine(page.description)
            hasher.combine(page.layout)
            hasher.combine(page.weight)
            hasher.combine(page.draft)
            hasher.combine(page.date?.description)
            hasher.combine(page.list)
            hasher.combine(page.paginate)
            hasher.combine(page.queries)
            hasher.combine(page.isGenerated)
        }
        return hasher.finalize()
    }
}

extension BuildCache {
    /// When the last check's findings hold for every page but those re-rendered — the output has the same
    /// files, the last build was checked with its details, and each re-rendered page kept its ids (so no
    /// fragment link elsewhere changed meaning) — those pages, their scans, and the last check and checker
    /// (taken out of the cache: the caller stores the new ones). Nil otherwise: check every page.
    func recheckInputs(for pages: [RenderedPage], outputPaths paths: Set<String>)
        -> (changed: [RenderedPage], scans: [String: ScannedPage], previous: CheckResult, checker: OutputChecker)? {
        guard !reused.isEmpty, let last = check, let checker, !last.pageChecks.isEmpty, paths == outputPaths else { return nil }
        let changed = pages.filter { !reused.contains($0.outputPath) }
        var scans: [String: ScannedPage] = [:]
        for page in changed {
            let now = HTMLScanner.scan(page.html)
            guard let before = last.scans[page.outputPath], before.idSet == now.idSet else { return nil }
            scans[page.outputPath] = now
        }
        check = nil
        return (changed, scans, last, checker)
    }

    /// What the check can take from the last build: the scans of reused pages plus the re-rendered pages
    /// scanned here (once), and every reused page's findings, which still hold only when the re-rendered
    /// pages kept their ids (no fragment link elsewhere can have changed meaning). Nothing after a full render.
    func checkInputs(for pages: [RenderedPage], outputPaths paths: Set<String>) -> (known: [String: ScannedPage], reuse: [String: PageCheck]) {
        defer { outputPaths = paths }
        guard !reused.isEmpty else { return ([:], [:]) }
        var known = scans.filter { reused.contains($0.key) }
        var idsKept = !pageChecks.isEmpty && paths == outputPaths
        for page in pages where !reused.contains(page.outputPath) {
            let now = HTMLScanner.scan(page.html)
            known[page.outputPath] = now
            if scans[page.outputPath]?.idSet != now.idSet { idsKept = false }
        }
        return (known, idsKept ? pageChecks.filter { reused.contains($0.key) } : [:])
    }
}
