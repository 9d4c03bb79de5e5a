import Foundation
import Logging
import Synchronization
@_exported import SiteIO
@_exported import SiteModel
@_exported import SiteCheck
import SiteLoad
import SiteRender
import SiteSearch
import SiteWrite

public typealias SiteEnvironmentError = SiteLoad.SiteEnvironmentError
public typealias OutputRefusal = SiteWrite.OutputRefusal

/// What a build is asked to do.
public struct BuildOptions: Sendable {
    /// The site's folder (holding `site.yaml`, `Content/`, `Templates/`).
    public var root: String
    /// Where the site is written; defaults to `<root>/Output`.
    public var output: String
    public var includeDrafts: Bool
    /// Overrides `base_url` from `site.yaml` for this build.
    public var baseURL: String?
    /// Today's date, for checks that depend on it (the clock is injected).
    public var today: CalendarDate?
    /// Write precompressed `.gz` files beside text files.
    public var gzip: Bool
    /// Threads for the parallel stages (nil: one per core).
    public var jobs: Int?
    /// The output folder is private to this process (`orbis serve`): an in-place update need not check that
    /// unchanged files are still there.
    public var privateOutput = false
    /// The process ends right after this build (`orbis build`): what the build held in memory is left for the
    /// exit to reclaim instead of being freed object by object (tens of ms at 10,000 pages, on one core).
    public var endsProcess = false
    /// Build into a non-empty folder Orbis cannot prove it wrote (files it does not write are kept).
    public var force = false
    /// The user's home folder, which no build may write (the CLI passes `$HOME`).
    public var home: String?
    /// How long to wait for another build of the same output.
    public var lockTimeout: Duration = .seconds(120)
    /// For tests of a killed build (see `WriteOptions.killAt`).
    public var killAt: String?
    /// Called as pages are rendered, with how many are done and how many there are (from any thread).
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    /// Per-stage detail in the log: memory after each stage, the check's scan time (`--verbose`).
    public var verbose = false
    /// Read the record the last build left beside the output to render only what changed, and leave one
    /// (`orbis build`; see `BuildRecord`).
    public var keepsRecord = false
    /// Which Orbis builds (the CLI: its version and its executable's stamp): a record another one wrote is
    /// not used.
    public var engine = "orbis"
    /// The pages open in a browser, rendered before the rest of a rebuild (`orbis serve`).
    public var firstPages: FirstPages?

    public init(root: String, output: String? = nil, includeDrafts: Bool = false, baseURL: String? = nil,
                today: CalendarDate? = nil, gzip: Bool = false, jobs: Int? = nil) {
        self.jobs = jobs
        self.today = today
        self.gzip = gzip
        self.root = root
        self.output = output ?? joinPath(root, "Output")
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
    }
}

/// The pages a preview has open (`orbis serve`): a rebuild renders them first, right after loading, and
/// hands over those that changed, so that they can be shown before the rest of the site is rendered, checked
/// and written. The build itself is unchanged: it still renders, checks and publishes every page it would.
public struct FirstPages: Sendable {
    /// The output paths of the pages open now (`a/index.html`).
    public var paths: @Sendable () -> Set<String>
    /// Called, on the build's thread, with each open page whose HTML is not the last build's, by output path.
    public var show: @Sendable ([String: String]) -> Void

    public init(paths: @escaping @Sendable () -> Set<String>, show: @escaping @Sendable ([String: String]) -> Void) {
        self.paths = paths
        self.show = show
    }
}

/// What a build did: counts, time per stage, warnings.
public struct BuildReport: Sendable {
    public struct Stage: Sendable {
        public var name: String
        public var milliseconds: Double
        public var summary: String
    }

    public var pages: Int
    public var files: Int
    public var bytes: Int
    public var stages: [Stage]
    public var warnings: [Diagnostic]
    /// Where the build manifest went (`<output>.manifest.json`).
    public var manifestPath: String = ""
    /// How many pages were rendered (the others were the last build's, unchanged), and how many the check
    /// read (after an edit that changed no page's ids and no file, only those rendered).
    public var renderedPages = 0
    public var checkedPages = 0

    public var totalMilliseconds: Double { stages.reduce(0) { $0 + $1.milliseconds } }
}

/// Runs the pipeline (load → render → write), timing each stage and logging one line per stage.
/// The CLI and the preview server both build through this façade.
public struct SiteBuilder: Sendable {
    public var options: BuildOptions
    /// How many threads each stage uses: `--jobs`, else every core.
    var threads: Int { options.jobs.map { max(1, $0) } ?? Parallelism.processors }
    public var fileSystem: any FileSystem
    public var logger: Logger
    /// What an earlier build in this process left to reuse (`orbis serve`); nil builds everything.
    public var cache: BuildCache?

    public init(options: BuildOptions, fileSystem: any FileSystem = DiskFileSystem(),
                logger: Logger = Logger(label: "orbis")) {
        self.options = options
        self.fileSystem = fileSystem
        self.logger = logger
    }

    public init(options: BuildOptions, fileSystem: any FileSystem = DiskFileSystem(), logger: Logger, cache: BuildCache?) {
        self.init(options: options, fileSystem: fileSystem, logger: logger)
        self.cache = cache
    }

    /// A site loaded and rendered: what a build writes, before it is written. When pages were streamed to
    /// the output's staging folder, their `html` is empty (the stream has their scans).
    struct Rendered {
        var site: Site
        var pages: [RenderedPage]
        /// `sitemap.xml`, collections' JSON and the like.
        var exports: [OutputFile]
        /// Where the pages went when they were streamed (`orbis build`).
        var stream: PageStream?
        /// What the site is made of (for the next build's plan), when the build keeps a cache.
        var digests: SiteDigests?
        /// The output paths of the pages taken from the last build, not rendered this time.
        var reused: Set<String> = []
        /// Renders pages again (with their Markdown's links, which a record does not keep).
        var redo: ((RenderSelection) throws -> [RenderedPage])?
        /// The build record being made, on other cores (`orbis build`).
        var record: RecordParts?
        /// Every page's search document and the index's runs (for the cache, once the build is published).
        var searchDocuments: [String: SearchDocument] = [:]
        var searchMemo: SearchIndexMemo?

        /// Every file the site publishes, relative to the output.
        func outputPaths() -> Set<String> {
            Set(pages.map(\.outputPath) + exports.map(\.path) + site.assets.map(\.outputPath))
        }
    }

    /// Times each stage and logs one line per stage.
    final class Stages {
        var list: [BuildReport.Stage] = []
        let logger: Logger
        let verbose: Bool
        init(logger: Logger, verbose: Bool = SiteBuilder.reportsDetail) {
            self.logger = logger
            self.verbose = verbose
        }

        func run<T>(_ name: String, _ work: () throws -> T, summary: (T) -> String) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try work()
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            let line = summary(result)
            list.append(.init(name: name, milliseconds: ms, summary: line))
            logger.info("\(line) in \(SiteBuilder.format(ms))")
            if verbose { logger.info("  memory after \(name): \(SiteBuilder.memoryLine())") }
            return result
        }
    }

    /// `ORBIS_STAGE_DETAIL=1` adds the process's resident and peak memory after each stage, and the time spent
    /// scanning pages for the check while they were rendered (for `make bench`).
    static let reportsDetail = ProcessInfo.processInfo.environment["ORBIS_STAGE_DETAIL"] == "1"

    static func memoryLine() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "unknown" }
        func field(_ name: String) -> String {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) } ?? "?"
        }
        return "resident \(field("VmRSS")), peak \(field("VmHWM"))"
    }

    /// What the write is asked to do.
    var writeOptions: WriteOptions {
        var write = WriteOptions(gzip: options.gzip, verifyUnchanged: !options.privateOutput, durable: !options.privateOutput,
                                 direct: options.privateOutput)
        write.killAt = options.killAt
        return write
    }

    /// What the build may do to its output: never write the site's own folders, `/` or the home folder; only
    /// a folder Orbis built unless `--force`.
    var outputPolicy: OutputPolicy {
        var policy = OutputPolicy(force: options.force, siteRoot: options.root,
                                  sourceFolders: [joinPath(options.root, "Content"), joinPath(options.root, "Templates")],
                                  sourceFiles: [joinPath(options.root, "site.yaml")], home: options.home)
        policy.lockTimeout = options.lockTimeout
        policy.isPrivate = options.privateOutput
        if options.privateOutput, let written = cache?.written[options.output] { policy.written = written }
        let logger = self.logger
        policy.onWait = { logger.notice("\($0)") }
        return policy
    }

    /// Throws `OutputRefusal` when the output is a folder no build may write (the site's own, `/`, home).
    public func refuseProtectedOutput() throws {
        try OutputWriter.refuseProtected(fileSystem.canonicalPath(options.output), display: options.output,
                                         policy: outputPolicy, fileSystem: fileSystem)
    }

    /// A site's folder must hold `Content/` (checked before anything is created for the output).
    func requireSiteFolder() throws {
        guard fileSystem.directoryExists(joinPath(options.root, "Content")) else {
            throw SiteEnvironmentError("no Content/ folder in \(options.root); run orbis in a site's folder or pass --root DIR")
        }
    }

    /// Load → render. With a claim (`orbis build`) and every page to render, each page goes to a
    /// `PageStream` (and the output's staging folder) as soon as it is rendered and is kept without its
    /// HTML; otherwise pages keep their HTML. With a cache, only the pages its plan names are rendered.
    func render(_ stages: Stages, into claim: OutputClaim? = nil, indexing: Bool = true) throws -> Rendered {
        var site = try stages.run("load", { try SiteLoader(fileSystem: fileSystem, threads: threads).load(
                root: options.root, includeDrafts: options.includeDrafts,
                today: options.today, cache: cache?.pages) }) {
            "Loaded \(Self.count($0.pages.count + $0.collections.reduce(0) { $0 + $1.records.reduce(0) { $0 + $1.prose.count } }, "page")), \(Self.recordCount($0))\(Self.count($0.data.count, "data file")), \(Self.count($0.templates.count, "template")), \(Self.count($0.assets.count, "file")) to copy"
        }
        if let baseURL = options.baseURL {
            site.config.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        }
        // Each page's Markdown is let go once the page is rendered.
        let record = options.keepsRecord && cache?.keepsHTML == false ? RecordParts() : nil
        // (`orbis serve` keeps every page's Markdown in its cache anyway: taking them would copy every page.)
        let bodies = cache?.keepsHTML == true ? MarkdownBodies() : MarkdownBodies(takingFrom: &site)
        // With search on, each page's text, taken as it leaves the renderer (from any thread).
        let searching = site.config.search && indexing
        let searched = searching ? SearchDocuments() : nil
        var rendered: Rendered
        var stream: PageStream?
        do {
            rendered = try stages.run("render", {
                let renderers = try LanguageRenderers(site: site, bodies: bodies, threads: threads)
                if let first = options.firstPages { renderFirst(first, with: renderers) }
                let planned = renderers.plannedPages()
                let digests = cache.map { _ in SiteDigests(site: site, renderers: renderers, settings: settings) }
                // The same structure rendering the same files as the last build's cannot make two of them collide.
                let samePlan = digests.flatMap { digests in cache?.last.map { last in
                    last.digests.structure == digests.structure && last.pages.count == planned.count
                        && zip(last.pages, planned.map(\.path).sorted()).allSatisfy { $0.outputPath == $1 }
                } } ?? false
                if !samePlan { try checkPlan(site, planned: planned) }
                if let digests, let cache, let last = cache.last, let only = cache.plan(digests) {
                    return try renderAgain(only, of: site, with: renderers, planned: planned, bodies: bodies, last: last, cache: cache,
                                           digests: digests, searched: searched)
                }
                if let cache, !cache.keepsHTML {
                    try provideBodies(of: site.pages + site.collections.flatMap { $0.records.flatMap { $0.prose.values } }, to: bodies, cache: cache)
                }
                // Only a site that loaded opens the output's staging folder (a wrong --root creates nothing).
                stream = try claim.map { PageStream(session: try OutputWriter(fileSystem: fileSystem, threads: threads).begin($0, options: writeOptions)) }
                let pages = try renderers.renderAll(consume: counted(total: site.pages.count, searched: searched, config: site.config,
                                                                       stream?.consume ?? { $0 }))
                return Rendered(site: site, pages: pages, exports: [], stream: stream, digests: digests)
            }) { rendered in
                "Rendered \(rendered.pages.count) pages" + (rendered.reused.isEmpty ? "" : " (\(rendered.reused.count) unchanged, reused)")
            }
            if let failure = stream?.failure { throw failure }
        } catch {
            stream?.session.discard()
            throw error
        }
        if let stream, logsDetail {
            logger.info("  scanning pages for the check, during render: \(Self.format(Double(stream.scanNanoseconds) / 1_000_000)) of thread time")
        }
        if let searched, logsDetail {
            logger.info("  taking pages' text for search, during render: \(Self.format(Double(searched.nanoseconds) / 1_000_000)) of thread time")
        }
        let pages = rendered.pages
        let listed = pages.filter { $0.outputPath.hasSuffix("index.html") }
        var exports = SiteExports.files(for: site, routes: listed.map(\.route),
                                        translations: Dictionary(listed.map { ($0.route, $0.translations) }, uniquingKeysWith: { a, _ in a }))
        if searching {
            // Pages that did not pass through the renderers this time: the last render's document when the
            // cache has it, otherwise taken from their HTML (read back from the output when not in memory).
            var documents = searched?.documents ?? [:]
            var unchanged: Set<String> = []
            for page in pages where documents[page.outputPath] == nil {
                let reused = rendered.reused.contains(page.outputPath)
                if reused, let known = cache?.searchDocuments[page.outputPath] {
                    documents[page.outputPath] = known
                    unchanged.insert(page.outputPath)
                    continue
                }
                let html = page.html.isEmpty && reused ? try publishedHTML(of: page.outputPath, claim: claim) : page.html
                if !html.isEmpty, let document = Self.searchDocument(page, html: html, config: site.config) {
                    documents[page.outputPath] = document
                }
            }
            rendered.searchDocuments = documents
            let memo = cache?.searchMemo.copy()
            rendered.searchMemo = memo
            let index = stages.run("search", {
                SearchIndex.files(Array(documents.values), languages: site.config.languages.map(\.key), threads: threads,
                                  memo: memo, unchanged: unchanged)
            }) { files in
                "Indexed \(documents.count) pages for search: \(files.count) files, \(Self.formatBytes(files.reduce(0) { $0 + $1.count }))"
            }
            exports += index
        }
        rendered.exports = exports
        rendered.record = record
        return rendered
    }

    /// Renders the pages a preview has open and shows those whose HTML changed since the last build (see
    /// `FirstPages`). Problems are left for the build, which finds them again.
    func renderFirst(_ first: FirstPages, with renderers: LanguageRenderers) {
        guard let last = cache?.last, cache?.keepsHTML == true else { return }
        let open = first.paths()
        guard !open.isEmpty else { return }
        let selection = renderers.selection(making: open)
        guard !selection.isEmpty, let pages = try? renderers.renderAll(only: selection, notFound: false) else { return }
        var changed: [String: String] = [:]
        for page in pages where open.contains(page.outputPath) {
            // The last build's pages are sorted by output path.
            var low = 0, high = last.pages.count
            while low < high {
                let middle = (low + high) / 2
                if last.pages[middle].outputPath < page.outputPath { low = middle + 1 } else { high = middle }
            }
            if low == last.pages.count || last.pages[low].outputPath != page.outputPath || last.pages[low].html != page.html {
                changed[page.outputPath] = page.html
            }
        }
        if !changed.isEmpty { first.show(changed) }
    }

    /// `work`, its time logged with the stages' detail.
    func timed<T>(_ what: String, _ work: () throws -> T) rethrows -> T {
        guard logsDetail else { return try work() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { logger.info("  \(what): \(Self.format(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000))") }
        return try work()
    }

    /// Whether this build logs per-stage detail (memory, the check's scan time): `--verbose` or
    /// `ORBIS_STAGE_DETAIL=1`.
    var logsDetail: Bool { Self.reportsDetail || options.verbose }

    /// What the build was asked that changes its pages or its files (a record is used only with the same).
    var settings: String {
        "drafts=\(options.includeDrafts) base=\(options.baseURL ?? "-") gzip=\(options.gzip) root=\(fileSystem.canonicalPath(options.root))"
    }

    /// `consume`, with progress for the terminal (counted as each page comes out of the renderers) and, with
    /// search on, each page's text taken for the index before its HTML is let go.
    func counted(total: Int, searched: SearchDocuments?, config: SiteConfig,
                 _ consume: @escaping (RenderedPage) -> RenderedPage) -> (RenderedPage) -> RenderedPage {
        let progress = options.progress
        guard progress != nil || searched != nil else { return consume }
        let done = Mutex(0)
        return { page in
            if let progress {
                let count = done.withLock { count in
                    count += 1
                    return count
                }
                progress(min(count, total), total)
            }
            searched?.take(page, config: config)
            return consume(page)
        }
    }

    /// A rebuild that renders only `only` (the cache's plan); every other page is the last build's. Pages
    /// read back from a record without their Markdown get it from their files first.
    func renderAgain(_ only: RenderSelection, of site: Site, with renderers: LanguageRenderers,
                     planned: [(path: String, source: String, location: SourceLocation?)], bodies: MarkdownBodies,
                     last: BuildState, cache: BuildCache, digests: SiteDigests, searched: SearchDocuments?) throws -> Rendered {
        let rendering = Self.sources(of: only, in: site)
        try provideBodies(of: rendering, to: bodies, cache: cache)
        let fresh = try renderers.renderAll(only: only, consume: counted(total: rendering.count, searched: searched, config: site.config, { $0 }))
        // The last build's pages of what is not rendered again and still exists.
        var kept = last.pages.filter { page in
            if let collection = page.recordCollection { return !only.collections.contains(collection) }
            return page.source.hasPrefix("/") && !only.pages.contains(page.source) && digests.pages[page.source] != nil
        }
        if !cache.keepsHTML {
            // What a record leaves out and the renderers know.
            for index in kept.indices { kept[index].translations = renderers.translations(ofRoute: kept[index].route) }
        }
        let pages = Self.merged(kept, fresh.sorted { $0.outputPath < $1.outputPath })
        // Every page the site has now, once: anything else means the plan missed something, so do it all.
        let paths = planned.map(\.path).sorted()
        guard pages.count == paths.count, zip(pages, paths).allSatisfy({ $0.outputPath == $1 }) else { throw RecordMismatch() }
        var rendered = Rendered(site: site, pages: pages, exports: [], digests: digests, reused: Set(kept.map(\.outputPath)))
        if !cache.keepsHTML {
            rendered.redo = { selection in
                try provideBodies(of: Self.sources(of: selection, in: site), to: bodies, cache: cache, all: true)
                return try renderers.renderAll(only: selection)
            }
        }
        return rendered
    }

    /// The Markdown pages a selection renders: its pages, and the prose of its collections' records.
    static func sources(of selection: RenderSelection, in site: Site) -> [Page] {
        var pages = site.pages.filter { selection.pages.contains($0.route) }
        for collection in site.collections where selection.collections.contains(collection.spec.name) {
            for record in collection.records { pages += record.prose.values }
        }
        return pages
    }

    /// Two lists of pages each sorted by output path, as one.
    static func merged(_ a: [RenderedPage], _ b: [RenderedPage]) -> [RenderedPage] {
        var result: [RenderedPage] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if b[j].outputPath < a[i].outputPath { result.append(b[j]); j += 1 } else { result.append(a[i]); i += 1 }
        }
        result += a[i...]
        result += b[j...]
        return result
    }

    /// Reads the Markdown of those of `pages` the cache knew only by their front matter (from a record).
    /// With `all`, every page's (rendered once already, their Markdown let go).
    func provideBodies(of pages: [Page], to bodies: MarkdownBodies, cache: BuildCache, all: Bool = false) throws {
        let lacking = pages.filter { $0.sourcePath.hasPrefix("Content/") && (all || cache.pages.lacksBody(String($0.sourcePath.dropFirst(8)))) }
        guard !lacking.isEmpty else { return }
        let loader = SiteLoader(fileSystem: fileSystem, threads: threads)
        let texts = parallelMap(lacking, threads: threads) { loader.body(ofPageAt: $0.sourcePath, root: options.root) }
        for (page, text) in zip(lacking, texts) {
            guard let text else { throw RecordMismatch() }
            bodies.provide(text, for: page.sourcePath)
        }
    }

    /// The HTML the output holds for `path`, as the manifest says it is (a page a rebuild kept, when the
    /// check or the search index needs its text).
    func publishedHTML(of path: String, claim: OutputClaim?) throws -> String {
        guard let entry = claim?.previous?[path],
              let bytes = try? fileSystem.readFile(joinPath(claim!.output, path)),
              bytes.count == entry.size, SHA256.hex(bytes) == entry.sha256 else { throw RecordMismatch() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A rendered page as search sees it, in the language its route's prefix names (404 pages left out).
    static func searchDocument(_ page: RenderedPage, html: String? = nil, config: SiteConfig) -> SearchDocument? {
        guard !page.outputPath.hasSuffix("404.html") else { return nil }
        let language = config.languages.first { language in
            let prefix = config.routePrefix(for: language.key)
            return !prefix.isEmpty && (page.route == prefix + "/" || page.route.hasPrefix(prefix + "/"))
        }?.key ?? config.defaultLanguage.key
        return SearchDocument.extract(html: html ?? page.html, path: page.outputPath, language: language)
    }

    /// Every file the build will write, checked before anything is rendered (see `OutputPlan`): a collision
    /// would otherwise surface as a failed write, or two files that are one on another file system.
    func checkPlan(_ site: Site, planned: [(path: String, source: String, location: SourceLocation?)]) throws {
        var plan = OutputPlan()
        for page in planned {
            plan.add(page.path, from: page.source, at: page.location)
        }
        let root = options.root.hasSuffix("/") ? options.root : options.root + "/"
        for asset in site.assets {
            let shown = asset.sourcePath.hasPrefix(root) ? String(asset.sourcePath.dropFirst(root.count)) : asset.sourcePath
            plan.add(asset.outputPath, from: shown)
        }
        for name in SiteExports.names(for: site) { plan.add(name, from: "the build's own \(name)", at: SourceLocation.file("site.yaml")) }
        let conflicts = plan.conflicts()
        if !conflicts.isEmpty { throw DiagnosticsError(conflicts) }
    }

    /// The check of every page against the whole output: `files` are all output paths.
    static func check(_ pages: [CheckedPage], files: Set<String>, site: Site, threads: Int,
                      known: [String: ScannedPage] = [:], reuse: [String: PageCheck] = [:], keepingDetails: Bool = false) -> CheckResult {
        checker(files: files, site: site, threads: threads).check(pages, known: known, reuse: reuse, keepingDetails: keepingDetails)
    }

    /// The checker of `site`'s output with `files`.
    static func checker(files: Set<String>, site: Site, threads: Int) -> OutputChecker {
        var checker = OutputChecker(files: files, options: site.config.check, linkStyle: site.config.links, templates: site.templates)
        checker.threads = threads
        return checker
    }

    static func checkedPage(_ page: RenderedPage, html: String? = nil) -> CheckedPage {
        CheckedPage(path: page.outputPath, html: html ?? page.html, layout: page.layout,
                    markdownLinks: page.markdownLinks, source: page.sourcePath)
    }

    /// Builds the site: load → render → check → write. Throws `DiagnosticsError` for content problems, broken
    /// links included (nothing is written: the check reads the exact bytes the write would publish), and
    /// `SiteEnvironmentError` when the site's folders are missing.
    /// Throws `OutputRefusal` when the output is not Orbis's to write (see `OutputWriter.claim`); the output
    /// is locked for the whole build, so builds of one output run one at a time.
    /// With `BuildOptions.keepsRecord`, the build reads the record the last build of this output left beside
    /// it (`BuildRecord`) to render only what changed, and leaves a new one.
    public func build() throws -> BuildReport {
        try requireSiteFolder()
        let claim = try timed("claiming the output") { try OutputWriter(fileSystem: fileSystem, threads: threads).claim(options.output, policy: outputPolicy) }
        defer { claim.release() }
        var builder = self
        if cache == nil, options.keepsRecord { builder.cache = timed("reading the build record") { readRecord(claim) } ?? BuildCache(keepsHTML: false) }
        do {
            do {
                return try builder.runBuild(claim)
            } catch is RecordMismatch {
                // The record (or the output) is not what the plan took it for: build everything.
                logger.notice("the build record of \(options.output) does not match the output; building every page")
                builder.cache?.forget()
                return try builder.runBuild(claim)
            } catch is KeptFileChanged {
                logger.notice("files in \(options.output) were changed since the last build; building every page")
                builder.cache?.forget()
                return try builder.runBuild(claim)
            }
        } catch let error as DiagnosticsError {
            // The cache still describes the last good build (the output being served, `orbis serve`).
            throw error
        } catch {
            // A build that failed writing may have left the cache describing pages that were never published.
            cache?.forget()
            throw error
        }
    }

    private func runBuild(_ claim: OutputClaim) throws -> BuildReport {
        let stages = Stages(logger: logger, verbose: logsDetail)
        // Without a cache that keeps pages (`orbis build`), pages stream from the renderer to the output's
        // staging folder, each scanned for the check on its way: the site's HTML is never all in memory.
        // Nothing is published before the check has passed. `orbis serve` keeps pages in its cache instead.
        let rendered = try render(stages, into: cache?.keepsHTML == true ? nil : claim)
        do {
            return try checkAndWrite(rendered, claim, stages)
        } catch {
            rendered.stream?.session.discard()
            throw error
        }
    }

    /// The record `orbis build` left beside this output, if it is for this output as it is now, this Orbis
    /// and these settings.
    func readRecord(_ claim: OutputClaim) -> BuildCache? {
        guard let manifest = claim.manifestDigest, let bytes = try? fileSystem.readFile(BuildRecord.path(for: claim.output)),
              let (state, pages, parseKey) = BuildRecord.decode(bytes, key: recordKey(claim, manifest: manifest)) else { return nil }
        let cache = BuildCache(keepsHTML: false)
        cache.pages.seed(pages, parseKey: parseKey)
        cache.last = state
        return cache
    }

    func recordKey(_ claim: OutputClaim, manifest: String) -> BuildRecord.Key {
        BuildRecord.Key(output: claim.id, manifest: manifest, engine: options.engine, settings: settings)
    }

    /// Leaves the record of this build beside the output. A record that cannot be written only means the
    /// next build renders everything.
    func writeRecord(_ payload: [UInt8], claim: OutputClaim, manifestPath: String) {
        let path = BuildRecord.path(for: claim.output)
        guard let manifest = try? fileSystem.readFile(manifestPath) else {
            try? fileSystem.removeItem(path)
            return
        }
        let bytes = BuildRecord.file(key: recordKey(claim, manifest: SHA256.hex(manifest)), payload: payload)
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        let staging = String(path[..<slash]) + "/." + path[path.index(after: slash)...] + ".orbis-new"
        do {
            try fileSystem.writeFile(staging, bytes)
            try fileSystem.moveItem(from: staging, to: path)
        } catch {
            try? fileSystem.removeItem(staging)
            try? fileSystem.removeItem(path)
            logger.notice("could not keep the build record beside \(options.output): \(error); the next build renders every page")
        }
    }

    private func checkAndWrite(_ rendered: Rendered, _ claim: OutputClaim, _ stages: Stages) throws -> BuildReport {
        let stream = rendered.stream
        let config = rendered.site.config
        if config.baseURL == nil {
            logger.notice("no base_url: sitemap.xml, canonical links and og:url are left out (set base_url in site.yaml or pass --base-url)")
        }
        let outputPaths = rendered.outputPaths()
        let last = cache?.last
        // (The files the last build published, from the same structure, did not collide.)
        if rendered.reused.isEmpty || last?.outputPaths != outputPaths {
            try OutputWriter.checkForCollisions(paths: rendered.pages.map(\.outputPath) + rendered.exports.map(\.path),
                                                assets: rendered.site.assets)
        }
        let (result, checker) = try stages.run("check", { () throws -> (CheckResult, OutputChecker) in
            cache?.checkedPages = rendered.pages.count
            // After an edit that changed no page's ids and no file: only the pages rendered again (the site's
            // structure, the templates among it, is the same: so is the checker).
            if stream == nil, let last, !rendered.reused.isEmpty, last.outputPaths == outputPaths,
               let again = try Self.recheckInputs(rendered.pages.filter { !rendered.reused.contains($0.outputPath) }, last: last,
                                                  idsOf: { try publishedIDs(of: $0, claim: claim) }) {
                let checker = cache?.checker ?? Self.checker(files: outputPaths, site: rendered.site, threads: threads)
                cache?.checkedPages = again.changed.count
                var failed = false
                let result = checker.recheck(again.changed.map { Self.checkedPage($0) }, scans: again.scans, previous: last.check) { path in
                    do { return try publishedIDs(of: String(decoding: path, as: UTF8.self), claim: claim) } catch {
                        failed = true
                        return nil
                    }
                }
                if failed { throw RecordMismatch() }
                return (result, checker)
            }
            let checker = Self.checker(files: outputPaths, site: rendered.site, threads: threads)
            if let stream {
                return (checker.check(rendered.pages.map { Self.checkedPage($0) }, known: stream.scans, keepingDetails: cache?.keepsHTML == true,
                                      keepingFindings: cache != nil), checker)
            }
            // Every page, with the HTML of those kept from the last build read back from the output if the
            // cache does not hold it.
            var known: [String: ScannedPage] = [:]
            if let last, cache?.keepsHTML == true {
                for page in last.pages where rendered.reused.contains(page.outputPath) { known[page.outputPath] = last.check.scans[page.outputPath] }
            }
            let pages = try rendered.pages.map { page -> CheckedPage in
                if page.html.isEmpty, rendered.reused.contains(page.outputPath), known[page.outputPath] == nil {
                    return Self.checkedPage(page, html: try publishedHTML(of: page.outputPath, claim: claim))
                }
                return Self.checkedPage(page)
            }
            var result = checker.check(pages, known: known, keepingDetails: cache != nil)
            // A page taken from a record has no Markdown positions for its links: one the check finds a
            // problem in is rendered again (to the same bytes) for them, and checked again.
            if let redo = rendered.redo {
                let flagged = rendered.pages.filter { rendered.reused.contains($0.outputPath) && result.pageChecks[$0.outputPath]?.findings.isEmpty == false }
                if !flagged.isEmpty {
                    var selection = RenderSelection()
                    for page in flagged {
                        if let collection = page.recordCollection { selection.collections.insert(collection) } else { selection.pages.insert(page.source) }
                    }
                    let paths = Set(flagged.map(\.outputPath))
                    let again = try redo(selection).filter { paths.contains($0.outputPath) }
                    for page in again where SHA256.hex(Array(page.html.utf8)) != claim.previous?[page.outputPath]?.sha256 { throw RecordMismatch() }
                    result = checker.recheck(again.map { Self.checkedPage($0) }, scans: Dictionary(again.map { ($0.outputPath, HTMLScanner.scan($0.html)) }, uniquingKeysWith: { a, _ in a }),
                                             previous: result)
                }
            }
            return (result, checker)
        }) { "Checked \($0.0.checkedLinks) links in \(rendered.pages.count) pages: \(Self.count($0.0.errors.count, "error")), \(Self.count($0.0.warnings.count, "warning"))" }
        if !result.errors.isEmpty { throw DiagnosticsError(result.diagnostics) }
        let state = rendered.digests.map { digests in
            var pages = rendered.pages
            if cache?.keepsHTML == false { for index in pages.indices { pages[index].html = "" } }
            return BuildState(digests: digests, pages: pages, check: result, outputPaths: outputPaths)
        }
        // The record's two parts are made on the other cores while the output is written (its key needs the new
        // manifest). (Made earlier, while pages render, the parsed pages' part raised the peak memory of
        // 100,000 pages by a fifth.)
        if let state, let record = rendered.record, let cache {
            let pages = cache.pages.all, parseKey = cache.pages.parseKey ?? ""
            record.make(.parsedPages) { BuildRecord.parsedPages(pages, parseKey: parseKey) }
            record.make(.build) { BuildRecord.build(state) }
        }
        let written = try stages.run("write", {
            if let stream {
                let session = stream.session
                // The exports (the search index: thousands of files) staged on every core.
                let exported = parallelMap(rendered.exports, threads: threads) { file in Result { try session.add(file) } }
                let entries = try session.add(rendered.site.assets) + stream.entries + exported.flatMap { try $0.get() }
                return try session.commit(entries: entries, pageBytes: stream.bytes + rendered.exports.reduce(0) { $0 + $1.count })
            }
            let kept = cache?.keepsHTML == true ? [] : rendered.pages.filter { rendered.reused.contains($0.outputPath) }
            let keptPaths = Set(kept.map(\.outputPath))
            return try OutputWriter(fileSystem: fileSystem, threads: threads).write(
                files: rendered.pages.filter { !keptPaths.contains($0.outputPath) }.map { OutputFile(path: $0.outputPath, text: $0.html) } + rendered.exports,
                assets: rendered.site.assets, to: claim, options: writeOptions,
                knownDigests: cache.map { cache in cache.digests.filter { rendered.reused.contains($0.key) } } ?? [:],
                previous: options.privateOutput ? cache?.written[options.output]?.entries : nil,
                keeping: kept.map(\.outputPath))
        }) { summary in
            (summary.incremental ? "Updated \(Self.count(summary.files, "file")), \(summary.unchanged) unchanged (\(Self.formatBytes(summary.bytes)) of pages)"
                                 : "Wrote \(summary.files) files (\(Self.formatBytes(summary.bytes)) of pages)")
                + (summary.compressed > 0 ? " and \(summary.compressed) .gz files" : "")
        }
        if let cache {
            cache.renderedPages = rendered.pages.count - rendered.reused.count
            cache.reused = rendered.reused
            cache.checker = checker
            if let state { cache.last = state }
            cache.searchDocuments = rendered.searchDocuments
            if let memo = rendered.searchMemo { cache.searchMemo = memo }
            if cache.keepsHTML {
                cache.digests = Dictionary(written.entries.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
                cache.written[options.output] = (claim.id, Dictionary(written.entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a }))
            } else if let record = rendered.record, state != nil {
                let payload = timed("making the build record (after the write)") { record.bytes() }
                timed("writing the build record") { writeRecord(payload, claim: claim, manifestPath: written.manifestPath) }
            }
        }
        if options.endsProcess { LeftForExit.keep(rendered, result, stream as Any, written, cache as Any) }
        var report = BuildReport(pages: rendered.pages.count, files: written.files, bytes: written.bytes, stages: stages.list,
                                 warnings: rendered.site.warnings + result.warnings + claim.notes + written.notes,
                                 manifestPath: written.manifestPath)
        report.renderedPages = rendered.pages.count - rendered.reused.count
        report.checkedPages = cache?.checkedPages ?? rendered.pages.count
        return report
    }

    /// When only `changed` pages (rendered again) differ from the last build and each kept its ids, no link
    /// elsewhere changed meaning: those pages and their scans. Nil otherwise (check every page).
    /// `idsOf`: the ids a page of the last build had, when its check did not keep them (a record).
    static func recheckInputs(_ changed: [RenderedPage], last: BuildState,
                              idsOf: (String) throws -> Set<[UInt8]>?) throws -> (changed: [RenderedPage], scans: [String: ScannedPage])? {
        guard !last.check.pageChecks.isEmpty else { return nil }
        var scans: [String: ScannedPage] = [:]
        for page in changed {
            let now = HTMLScanner.scan(page.html)
            guard let before = try last.check.ids[Array(page.outputPath.utf8)] ?? idsOf(page.outputPath), before == now.idBytes else { return nil }
            scans[page.outputPath] = now
        }
        return (changed, scans)
    }

    /// The ids of the page the output holds at `path` (as the manifest says it is), if it is a page.
    func publishedIDs(of path: String, claim: OutputClaim) throws -> Set<[UInt8]>? {
        guard path.hasSuffix(".html"), claim.previous?[path] != nil else { return nil }
        return HTMLScanner.scan(try publishedHTML(of: path, claim: claim)).idBytes
    }

    /// What `orbis check` found.
    public struct CheckReport: Sendable {
        public var result: CheckResult
        public var pages: Int
        public var files: Int
    }

    /// `orbis check`: loads and renders the site in memory (which validates content, data and templates) and
    /// checks the HTML already in `options.output`, writing nothing. Problems are reported at the Markdown line
    /// when the rendered site has the same link on the same page.
    public func check() throws -> CheckReport {
        let stages = Stages(logger: logger, verbose: logsDetail)
        // The output's files are read from disk: no search index is made.
        let rendered = try render(stages, indexing: false)
        guard fileSystem.directoryExists(options.output) else {
            throw SiteEnvironmentError("no output folder at \(options.output); run orbis build first (or pass --output DIR)")
        }
        // Read while no build writes it.
        let hold = try OutputWriter(fileSystem: fileSystem, threads: threads).claimForReading(options.output, policy: outputPolicy)
        defer { hold.lock?.release() }
        let files = try fileSystem.filesRecursively(in: options.output)
        let byPath = Dictionary(rendered.pages.map { ($0.outputPath, $0) }, uniquingKeysWith: { a, _ in a })
        let pages = try files.filter { $0.hasSuffix(".html") }.map { path -> CheckedPage in
            let html = try fileSystem.readText(joinPath(options.output, path))
            if let page = byPath[path] { return Self.checkedPage(page, html: html) }
            return CheckedPage(path: path, html: html)
        }
        let result = stages.run("check", { Self.check(pages, files: Set(files), site: rendered.site, threads: threads) }) {
            "Checked \($0.checkedLinks) links in \(pages.count) pages of \(options.output): \(Self.count($0.errors.count, "error")), \(Self.count($0.warnings.count, "warning"))"
        }
        var report = CheckReport(result: result, pages: pages.count, files: files.count)
        report.result.diagnostics += hold.notes
        return report
    }

    public static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `3 people, 2 events, ` (nothing for a site without collections).
    static func recordCount(_ site: Site) -> String {
        site.collections.map { "\($0.records.count) \($0.records.count == 1 ? $0.spec.singular : $0.spec.name), " }.joined()
    }

    /// `3.2 ms` under ten milliseconds, `24 ms` above: how every timing is shown.
    public static func format(_ ms: Double) -> String {
        ms < 10 ? String(format: "%.1f ms", ms) : String(format: "%.0f ms", ms)
    }

    static func formatBytes(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1024 * 1024 ? String(format: "%.1f KB", Double(bytes) / 1024)
            : String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}

/// Pages on their way from the renderer to the output's staging folder (`orbis build`): each is scanned for
/// the link check and added to the write session on the thread that rendered it, then kept without its HTML.
final class PageStream: @unchecked Sendable {
    let session: OutputSession
    private let lock = NSLock()
    private(set) var scans: [String: ScannedPage] = [:]
    private(set) var entries: [ManifestEntry] = []
    private(set) var bytes = 0
    /// The first write that failed (the build stops with it after rendering).
    private(set) var failure: Error?
    /// Time spent scanning, summed over threads.
    private(set) var scanNanoseconds: UInt64 = 0

    init(session: OutputSession) {
        self.session = session
    }

    func consume(_ page: RenderedPage) -> RenderedPage {
        let start = DispatchTime.now().uptimeNanoseconds
        let scan = HTMLScanner.scan(page.html)
        let scanned = DispatchTime.now().uptimeNanoseconds - start
        let file = OutputFile(path: page.outputPath, text: page.html)
        let added = Result { try session.add(file) }
        lock.withLock {
            scans[page.outputPath] = scan
            scanNanoseconds += scanned
            bytes += file.count
            switch added {
            case .success(let new): entries += new
            case .failure(let error): if failure == nil { failure = error }
            }
        }
        var kept = page
        kept.html = ""
        return kept
    }
}

/// The build record, or the output it describes, is not what a rebuild took it for: the build starts again
/// without it.
struct RecordMismatch: Error {}

/// A build record's two parts, each made on another core; `bytes` waits for both.
final class RecordParts: Sendable {
    enum Part: Int { case parsedPages, build }
    private let group = DispatchGroup()
    private let parts = Mutex<[[UInt8]]>([[], []])

    func make(_ part: Part, _ work: @escaping @Sendable () -> [UInt8]) {
        DispatchQueue.global().async(group: group) {
            let bytes = work()
            self.parts.withLock { $0[part.rawValue] = bytes }
        }
    }

    func bytes() -> [UInt8] {
        group.wait()
        return parts.withLock { $0[0] + $0[1] }
    }
}

/// What a build that ends the process leaves for the exit to reclaim (`BuildOptions.endsProcess`).
enum LeftForExit {
    nonisolated(unsafe) private static var held: [Any] = []
    private static let lock = NSLock()

    static func keep(_ values: Any...) {
        lock.withLock { held += values }
    }
}

/// Search documents by output path, filled from the render threads, and the time spent taking them.
final class SearchDocuments: Sendable {
    private let state = Mutex<(documents: [String: SearchDocument], nanoseconds: UInt64)>(([:], 0))

    /// The searchable part of `page`, taken on the calling (render) thread.
    func take(_ page: RenderedPage, config: SiteConfig) {
        let start = DispatchTime.now().uptimeNanoseconds
        let document = SiteBuilder.searchDocument(page, config: config)
        let spent = DispatchTime.now().uptimeNanoseconds - start
        state.withLock { state in
            if let document { state.documents[page.outputPath] = document }
            state.nanoseconds += spent
        }
    }

    var documents: [String: SearchDocument] { state.withLock { $0.documents } }
    /// Time spent in `take`, summed over threads.
    var nanoseconds: UInt64 { state.withLock { $0.nanoseconds } }
}
